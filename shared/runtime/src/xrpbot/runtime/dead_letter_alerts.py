"""Every service watches its own dead-letter queue and tells the admins once per crossing.

`DeadLetterMonitor` samples the size of `<service>.dead-letter` every DEAD_LETTER_CHECK_SECONDS
(default 60): each sample sets the `xrpbot_dead_letter_messages` gauge and goes through
`DeadLetterWatch` (`dead_letters.py`, pure), so an alert (`DeadLettersFilling`, kind
`ops.dead_letters_filling` on `xrpbot.events`) goes out when the queue first reaches the warning
fraction of its bound (80 %) and again when it is full, and not again until it has drained
below 80 %. The gateway consumes it and tells each admin (ADMIN_IDS).

The bound is DEAD_LETTER_MAX_LENGTH (default 10,000), which must equal the `max-length` of the
broker policy that bounds the queue (`xrpbot.access.rights.DEAD_LETTER_BOUNDS`; a test keeps
the two defaults equal). AMQP does not tell a client a queue's policy, so the service is told.

Why the outbox and not a direct confirmed publish: the level last alerted about is a row in
the service's schema (`dead_letter_watch`), and the alert is written to the outbox in the same
transaction that moves that row. So
- replicas dedupe: each sample locks the row (SELECT … FOR UPDATE), so when two replicas see one
  crossing, the second finds it already recorded and says nothing: one crossing, one alert;
- nothing is lost or doubled by an outage: a sample whose transaction fails (database away)
  changes nothing and the next one decides again; a broker hiccup after the commit only delays
  the relay, which retries with publisher confirms (the gateway dedupes by event_id);
- it is the one way the services publish (`outbox.py`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol
from uuid import uuid4

import asyncpg
from aiormq.exceptions import AMQPError, ChannelInvalidStateError

from xrpbot.schemas import Actor, DeadLettersFilling

from .db import TRANSIENT_DB_ERRORS
from .dead_letters import DeadLetterLevel, DeadLetterWatch
from .metrics import DEAD_LETTER_MESSAGES
from .outbox import add_to_outbox
from .topology import EVENTS
from .worker import KickableWorker

__all__ = [
    "DeadLetterMonitor",
    "PgWatchStore",
    "WatchStore",
    "WatchTransaction",
    "filling_event",
]

log = logging.getLogger(__name__)

_UNREACHABLE: tuple[type[BaseException], ...] = (
    *TRANSIENT_DB_ERRORS,
    ConnectionError,
    TimeoutError,
    AMQPError,
    ChannelInvalidStateError,
)
"""A broker or database away: the sample is skipped quietly (readiness already says so)."""

Depth = Callable[[], Awaitable[int]]
"""Reads how many messages the dead-letter queue holds now."""


class WatchTransaction(Protocol):
    """One sample's transaction: the level last alerted about, and the alert to send."""

    async def reported(self, queue: str) -> DeadLetterLevel:
        """The level the admins were last told about (BELOW if never); locked until the end."""
        ...

    async def set_reported(self, queue: str, level: DeadLetterLevel) -> None:
        """Record the level now reported (or BELOW: re-armed)."""
        ...

    async def publish(self, event: DeadLettersFilling) -> None:
        """Send the alert once this transaction commits."""
        ...


class WatchStore(Protocol):
    """Where the reported level lives, shared by the service's replicas."""

    def transaction(self) -> AbstractAsyncContextManager[WatchTransaction]:
        """A transaction that commits when its block ends normally, else rolls back."""
        ...


def filling_event(
    service: str, queue: str, messages: int, bound: int, level: DeadLetterLevel
) -> DeadLettersFilling:
    """The alert for a queue that crossed into `level` (FILLING or FULL). No user caused it:
    `user` is telegram_id 0 and `chat_id` 0 (`xrpbot.schemas.ops`)."""
    return DeadLettersFilling(
        correlation_id=uuid4(),
        user=Actor(telegram_id=0),
        chat_id=0,
        service=service,
        queue=queue,
        messages=messages,
        bound=bound,
        full=level is DeadLetterLevel.FULL,
    )


class DeadLetterMonitor(KickableWorker):
    """Samples one service's dead-letter queue and alerts once per crossing (see the module).

    Args:
        service: the service's name (`gateway`, `wallet`, …).
        queue: its dead-letter queue, `<service>.dead-letter`.
        bound: the queue's max-length, in messages (DEAD_LETTER_MAX_LENGTH).
        depth: reads the queue's size.
        store: the shared reported level and the outbox (`PgWatchStore`).
        interval_s: seconds between samples (DEAD_LETTER_CHECK_SECONDS).
        on_alert: called after a sample queued an alert (the outbox relay's `kick`).
        warn_fraction: the share of `bound` that counts as filling.
    Raises:
        ValueError: a bound ≤ 0 or a fraction outside (0, 1] (`DeadLetterWatch`).
    """

    def __init__(
        self,
        service: str,
        queue: str,
        bound: int,
        depth: Depth,
        store: WatchStore,
        *,
        interval_s: float,
        on_alert: Callable[[], None] = lambda: None,
        warn_fraction: float = 0.8,
    ) -> None:
        super().__init__(f"{service}-dead-letters", poll_seconds=interval_s, pause_after_error=1)
        DeadLetterWatch(bound, warn_fraction)  # fail at construction on a bad bound
        self.service = service
        self.queue = queue
        self.bound = bound
        self.warn_fraction = warn_fraction
        self.depth = depth
        self.store = store
        self.on_alert = on_alert
        self._gauge = DEAD_LETTER_MESSAGES.labels(queue)

    async def step(self, kicked: bool) -> None:
        """One sample; an unreachable broker or database is logged without a traceback."""
        try:
            await self.sample()
        except _UNREACHABLE as exc:
            log.debug("dead-letter queue not sampled (%s)", type(exc).__name__)

    async def sample(self) -> DeadLettersFilling | None:
        """Read the queue's size once; the alert it queued, if this sample crossed a level.

        Raises:
            whatever `depth` or the store raise; nothing was recorded then.
        """
        messages = await self.depth()
        self._gauge.set(messages)
        async with self.store.transaction() as tx:
            watch = DeadLetterWatch(self.bound, self.warn_fraction)
            watch.reported = before = await tx.reported(self.queue)
            level = watch.observe(messages)
            if watch.reported is not before:
                await tx.set_reported(self.queue, watch.reported)
            if level is None:
                return None
            event = filling_event(self.service, self.queue, messages, self.bound, level)
            await tx.publish(event)
        log.warning(
            "%s holds %d of %d messages: admins alerted (%s)",
            self.queue,
            messages,
            self.bound,
            "full" if event.full else "filling",
        )
        self.on_alert()
        return event


class _PgWatchTransaction:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def reported(self, queue: str) -> DeadLetterLevel:
        await self.conn.execute(
            "INSERT INTO dead_letter_watch (queue) VALUES ($1) ON CONFLICT DO NOTHING", queue
        )
        value = await self.conn.fetchval(
            "SELECT reported FROM dead_letter_watch WHERE queue = $1 FOR UPDATE", queue
        )
        return DeadLetterLevel(int(value))

    async def set_reported(self, queue: str, level: DeadLetterLevel) -> None:
        await self.conn.execute(
            "UPDATE dead_letter_watch SET reported = $2, changed_at = now() WHERE queue = $1",
            queue,
            int(level),
        )

    async def publish(self, event: DeadLettersFilling) -> None:
        await add_to_outbox(self.conn, EVENTS.name, event)


class PgWatchStore:
    """The reported level in `dead_letter_watch` (the runtime's migration 0003), and the alert
    in the outbox, in one transaction on the service's pool."""

    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self.pool = pool

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[WatchTransaction]:
        """One transaction on a pooled connection."""
        async with self.pool.acquire() as conn, conn.transaction():
            yield _PgWatchTransaction(conn)
