"""A handler that fails for a reason of ours: undone, answered in words, logged once, claimed,
counted by the throttle; a transient failure still rolls everything back for a retry."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.ids import correlation_id_for
from xrpbot.gateway.entrypoints.updates import UpdateProcessor
from xrpbot.gateway.middlewares.transaction import DUPLICATE
from xrpbot.gateway.render.texts import common as common_texts

BOT_ID = 123456789
MakeUpdate = Callable[..., dict[str, Any]]


class _Bug(Exception):
    """What a mistake in our code raises."""


@pytest.fixture
def broken_commands(monkeypatch: pytest.MonkeyPatch, fake_types: Any) -> None:
    """Queueing a command fails with a bug (after the placeholder went out and the reply was
    expected)."""

    async def send_command(self: Any, command: Any) -> None:
        raise _Bug("a bug")

    monkeypatch.setattr(fake_types.unit_of_work, "send_command", send_command)


def _errors(logged: list[Any]) -> list[Any]:
    return [r for r in logged if r.levelno >= logging.ERROR]


async def test_a_bug_in_a_handler_is_undone_answered_and_logged_once(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    broken_commands: None,
    logged: list[Any],
) -> None:
    processor = UpdateProcessor(dp, bot)
    update = processor.parse(message_update(40, "/balance"))
    assert update is not None
    assert await processor.process(update) == "handled"  # never raised: never retried
    # the placeholder was queued in the savepoint that the bug undid: it is never shown
    [apology] = telegram.sent("sendMessage")
    assert telegram.sent("editMessageText") == []
    assert apology.text == "Sorry — that didn't work, and nothing changed. Please try again."
    assert apology.text == common_texts.something_went_wrong()
    assert store.outbox == []
    assert store.pending == {}, "nothing changed"
    assert store.processed_updates == {40}, "claimed: a re-sent update is a duplicate"
    assert store.throttled == [4242], "the throttle count stays"
    [error] = _errors(logged)
    assert error.traceback
    assert error.correlation_id == str(correlation_id_for(BOT_ID, 40))


async def test_a_bug_behind_a_button_answers_the_button(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    press: MakeUpdate,
    broken_commands: None,
    logged: list[Any],
) -> None:
    assert await dp.feed_raw_update(bot, press(41, "px:usd:7d")) is True
    loading, apology = telegram.sent("answerCallbackQuery")
    assert loading.text == "Loading XRP/USD 7D…"
    assert apology.text == common_texts.something_went_wrong()
    assert store.outbox == []
    assert store.fiat_currency == {}, "the currency the button chose is undone too"
    assert store.processed_updates == {41}
    assert len(_errors(logged)) == 1


async def test_a_button_answered_before_the_bug_gets_the_apology_in_the_chat(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    press: MakeUpdate,
    broken_commands: None,
    logged: list[Any],
) -> None:
    telegram.script("answerCallbackQuery", 200, {"ok": True, "result": True})  # "Loading…"
    telegram.fail("answerCallbackQuery", 400, "Bad Request: query is too old")
    assert await dp.feed_raw_update(bot, press(46, "px:usd:7d")) is True
    [apology] = telegram.sent("sendMessage")
    assert (apology.chat_id, apology.text) == (4242, common_texts.something_went_wrong())


async def test_crashing_inputs_are_throttled_like_any_other(
    dp: Dispatcher,
    bot: Bot,
    store: Any,
    message_update: MakeUpdate,
    broken_commands: None,
    logged: list[Any],
) -> None:
    for update_id in range(50, 55):
        await dp.feed_raw_update(bot, message_update(update_id, "/balance"))
    assert store.throttled == [4242] * 5
    assert store.commits == 10  # each update: the throttle's own transaction, then the update's
    assert len(_errors(logged)) == 5, "one line per failed update"


async def test_telegram_refusing_a_message_drops_it_and_keeps_the_update(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    # Telegram answers after the commit: the update and its command stand, the message is
    # dropped for good (never retried), the reply will come as a new message
    telegram.fail("sendMessage", 400, "Bad Request: message is too long")
    assert await dp.feed_raw_update(bot, message_update(42, "/balance")) is not DUPLICATE
    [refused] = telegram.sent("sendMessage")
    assert refused.text == "Checking your balance…"
    assert len(store.outbox) == 1
    assert store.processed_updates == {42}
    [slot] = store.slots.values()
    assert slot.dropped == "Bad Request: message is too long"


async def test_a_chat_that_blocked_the_bot_gets_nothing_more(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    telegram.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await dp.feed_raw_update(bot, message_update(43, "/wallet"))
    assert len(telegram.sent("sendMessage")) == 1
    assert store.processed_updates == {43}
    [slot] = store.slots.values()
    assert slot.dropped == "chat unavailable", "dropped, never retried"


async def test_a_transient_failure_rolls_everything_back_for_a_retry(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    monkeypatch: pytest.MonkeyPatch,
    fake_types: Any,
) -> None:
    real_send_command = fake_types.unit_of_work.send_command
    calls = 0

    async def send_command(self: Any, command: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise TimeoutError("the database did not answer")
        await real_send_command(self, command)

    monkeypatch.setattr(fake_types.unit_of_work, "send_command", send_command)
    with pytest.raises(TimeoutError):
        await dp.feed_raw_update(bot, message_update(44, "/wallet"))
    assert store.processed_updates == set()
    assert store.slots == {}, "its placeholder was never shown"
    assert telegram.sent("sendMessage") == []
    assert store.throttled == [4242]  # the rollback never undoes the throttle's count
    await dp.feed_raw_update(bot, message_update(44, "/wallet"))
    assert store.throttled == [4242, 4242]  # each delivery of the update spends one unit
    assert len(store.outbox) == 1
    assert len(telegram.sent("sendMessage")) == 1, "one placeholder, from the retry"


async def test_a_bug_before_the_handler_is_answered_by_the_errors_router(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    monkeypatch: pytest.MonkeyPatch,
    fake_types: Any,
    logged: list[Any],
) -> None:
    async def see(self: Any, chat_id: int, language_code: str | None) -> None:
        raise _Bug("a bug in a middleware")

    monkeypatch.setattr(fake_types.chats, "see", see)
    assert await dp.feed_raw_update(bot, message_update(45, "/balance")) is True
    [apology] = telegram.sent("sendMessage")
    assert apology.text == common_texts.something_went_wrong()
    assert store.outbox == []
    assert len(_errors(logged)) == 1
