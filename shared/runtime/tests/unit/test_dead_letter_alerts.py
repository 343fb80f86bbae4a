"""The sampling task: each sample sets the gauge, a crossing queues one alert, replicas sharing
one store alert once, and a sample whose transaction fails changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest

from xrpbot.runtime.dead_letter_alerts import DeadLetterMonitor
from xrpbot.runtime.dead_letters import DeadLetterLevel
from xrpbot.runtime.metrics import DEAD_LETTER_MESSAGES
from xrpbot.schemas import DeadLettersFilling

QUEUE = "wallet.dead-letter"


@dataclass
class FakeStore:
    """The shared reported level and the outbox; a transaction is kept only when it ends well."""

    levels: dict[str, DeadLetterLevel] = field(default_factory=dict)
    outbox: list[DeadLettersFilling] = field(default_factory=list)
    fail_commit: bool = False

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[FakeStore.Tx]:
        tx = FakeStore.Tx(dict(self.levels))
        yield tx
        if self.fail_commit:
            raise ConnectionError("database went away")
        self.levels, self.outbox = tx.levels, [*self.outbox, *tx.published]

    @dataclass
    class Tx:
        levels: dict[str, DeadLetterLevel]
        published: list[DeadLettersFilling] = field(default_factory=list)

        async def reported(self, queue: str) -> DeadLetterLevel:
            return self.levels.get(queue, DeadLetterLevel.BELOW)

        async def set_reported(self, queue: str, level: DeadLetterLevel) -> None:
            self.levels[queue] = level

        async def publish(self, event: DeadLettersFilling) -> None:
            self.published.append(event)


class FakeQueue:
    """A dead-letter queue whose size the test sets."""

    def __init__(self) -> None:
        self.messages = 0

    async def depth(self) -> int:
        return self.messages


def monitor(
    queue: FakeQueue, store: FakeStore, kicks: list[int] | None = None
) -> DeadLetterMonitor:
    return DeadLetterMonitor(
        "wallet",
        QUEUE,
        10,
        queue.depth,
        store,
        interval_s=60,
        on_alert=lambda: (kicks if kicks is not None else []).append(1),
    )


async def test_each_crossing_publishes_one_alert_and_sets_the_gauge() -> None:
    queue, store, kicks = FakeQueue(), FakeStore(), []
    watch = monitor(queue, store, kicks)
    sent = []
    for messages in (0, 7, 8, 9, 8, 10, 11, 3, 9):
        queue.messages = messages
        sent.append(await watch.sample())
        assert DEAD_LETTER_MESSAGES.labels(QUEUE)._value.get() == messages
    alerts = [(e.messages, e.full) for e in sent if e is not None]
    assert alerts == [(8, False), (10, True), (9, False)]
    assert store.outbox == [e for e in sent if e is not None]
    assert len(kicks) == 3, "the relay is woken after each alert"
    first = store.outbox[0]
    assert (first.service, first.queue, first.bound, first.kind) == (
        "wallet",
        QUEUE,
        10,
        "ops.dead_letters_filling",
    )
    assert (first.user.telegram_id, first.chat_id) == (0, 0)


async def test_two_replicas_sharing_the_store_alert_once_per_crossing() -> None:
    queue, store = FakeQueue(), FakeStore()
    one, two = monitor(queue, store), monitor(queue, store)
    queue.messages = 8
    assert await one.sample() is not None
    assert await two.sample() is None, "the other replica already told the admins"
    queue.messages = 10
    assert await two.sample() is not None
    assert await one.sample() is None
    assert [e.full for e in store.outbox] == [False, True]


async def test_a_sample_that_cannot_commit_changes_nothing_and_the_next_one_alerts() -> None:
    queue, store = FakeQueue(), FakeStore(fail_commit=True)
    watch = monitor(queue, store)
    queue.messages = 9
    with pytest.raises(ConnectionError):
        await watch.sample()
    await watch.step(kicked=False)  # the loop's step logs it and goes on
    assert store.outbox == []
    assert store.levels == {}
    store.fail_commit = False
    assert await watch.sample() is not None
    assert store.levels == {QUEUE: DeadLetterLevel.FILLING}


def test_a_bound_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="a bound > 0"):
        monitor_with_bound(0)


def monitor_with_bound(bound: int) -> DeadLetterMonitor:
    return DeadLetterMonitor("wallet", QUEUE, bound, FakeQueue().depth, FakeStore(), interval_s=1)
