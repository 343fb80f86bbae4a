"""/history [page] and its page buttons through the real Dispatcher with fake ports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import history as history_texts
from xrpbot.schemas import GetHistory

MakeUpdate = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("text", "page"), [("/history", 0), ("/history 2", 1), ("/history  10000 ", 9999)]
)
async def test_history_asks_for_the_page_named(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    text: str,
    page: int,
) -> None:
    await dp.feed_raw_update(bot, message_update(60, text))
    [command] = store.outbox
    assert isinstance(command, GetHistory)
    assert (command.page, command.page_size) == (page, 5)
    assert telegram.sent("sendMessage")[0].text == history_texts.loading_history()
    assert list(store.pending) == [command.correlation_id]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/history 99999999999999999999", "99999999999999999999"),
        ("/history 10001", "10001"),
        ("/history 0", "0"),
        ("/history -1", "-1"),
        ("/history ²", "²"),
        ("/history \uff12", "\uff12"),
        ("/history two", "two"),
        ("/history 1 2", "1 2"),
        ("/history " + "9" * 5000, "9" * 31 + "…"),
    ],
)
async def test_a_page_that_cannot_exist_is_answered_in_words_and_nothing_is_asked(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    text: str,
    shown: str,
) -> None:
    await dp.feed_raw_update(bot, message_update(61, text))
    [answer] = telegram.sent("sendMessage")
    assert answer.text == history_texts.history_no_such_page(shown)
    assert answer.text.startswith(f"There's no page “{shown}” of your payments.")
    assert store.outbox == []
    assert store.pending == {}, "no placeholder waits for a reply"


@pytest.mark.parametrize("data", ["h:99999999999999999999", "h:10000", "h:-1"])
async def test_a_forged_page_button_is_answered_and_asks_nothing(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, press: MakeUpdate, data: str
) -> None:
    await dp.feed_raw_update(bot, press(62, data))
    [answer] = telegram.sent("answerCallbackQuery")
    assert answer.text == common_texts.button_expired() == "This button is no longer valid."
    assert store.outbox == []


async def test_a_page_button_asks_for_its_page_in_the_same_message(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, press: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, press(63, "h:3"))
    [command] = store.outbox
    assert command.page == 3
    assert [p.message_id for p in store.pending.values()] == [50]
