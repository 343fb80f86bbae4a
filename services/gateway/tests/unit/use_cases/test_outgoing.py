"""Showing one queued message: what Telegram answers decides the row's fate, and a database
that is briefly unreachable delays the record, never repeats the send."""

from __future__ import annotations

from typing import Any

import pytest

from xrpbot.gateway.domain.delivery import (
    ChatUnavailable,
    MessageGone,
    QueuedMessage,
    TelegramUnavailable,
)
from xrpbot.gateway.render.message import Rendered, rendered_to_json
from xrpbot.gateway.use_cases.outgoing import retry_delay_s, show_queued


class Store:
    """Records what the sender recorded; `shown` fails with `failures` first."""

    def __init__(self, failures: list[BaseException] | None = None) -> None:
        self.failures = failures or []
        self.calls: list[tuple[str, Any]] = []

    async def shown(self, message: QueuedMessage, message_id: int) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.calls.append(("shown", message_id))

    async def retry(self, message: QueuedMessage, after_s: float) -> None:
        self.calls.append(("retry", after_s))

    async def drop(self, message: QueuedMessage, reason: str) -> None:
        self.calls.append(("drop", reason))


class Telegram:
    """Answers each call with the next of `answers` (an id, or an exception to raise)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    async def _answer(self, method: str) -> int:
        self.calls.append(method)
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return int(answer)

    async def send(self, chat_id: int, message: Rendered) -> int:
        return await self._answer("send")

    async def edit(self, placeholder: Any, message: Rendered) -> int:
        return await self._answer("edit")


def _queued(message_id: int | None = None, attempts: int = 1) -> QueuedMessage:
    return QueuedMessage(1, 7, message_id, rendered_to_json(Rendered("hello")), 2, attempts)


async def test_a_new_message_is_sent_and_an_old_one_edited() -> None:
    store, telegram = Store(), Telegram(501, 300)
    assert await show_queued(_queued(), store=store, telegram=telegram) == "sent"
    assert await show_queued(_queued(300), store=store, telegram=telegram) == "edited"
    assert telegram.calls == ["send", "edit"]
    assert store.calls == [("shown", 501), ("shown", 300)]


async def test_a_message_gone_is_sent_anew() -> None:
    store, telegram = Store(), Telegram(MessageGone("deleted"), 502)
    assert await show_queued(_queued(300), store=store, telegram=telegram) == "sent"
    assert store.calls == [("shown", 502)]


@pytest.mark.parametrize(
    ("error", "outcome", "recorded"),
    [
        (ChatUnavailable("blocked"), "dropped", ("drop", "chat unavailable")),
        (TelegramUnavailable("502"), "retry", ("retry", 4.0)),
    ],
)
async def test_telegrams_refusals_decide_the_rows_fate(
    error: Exception, outcome: str, recorded: tuple[str, Any]
) -> None:
    store = Store()
    assert await show_queued(_queued(attempts=3), store=store, telegram=Telegram(error)) == outcome
    assert store.calls == [recorded]


async def test_a_database_restart_delays_the_record_and_never_resends() -> None:
    store = Store(failures=[ConnectionResetError("gone"), OSError("refused")])
    telegram = Telegram(501)
    assert await show_queued(_queued(), store=store, telegram=telegram) == "sent"
    assert telegram.calls == ["send"], "sent once"
    assert store.calls == [("shown", 501)], "recorded once Postgres was back"


def test_the_back_off_doubles_up_to_its_cap() -> None:
    assert [retry_delay_s(n) for n in (1, 2, 3, 6, 20)] == [1.0, 2.0, 4.0, 20.0, 20.0]
