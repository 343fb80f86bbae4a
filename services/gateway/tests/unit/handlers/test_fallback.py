"""What no other router takes: a hint in private chats; every unknown button answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.render.texts import common as common_texts

MakeUpdate = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    "data",
    ["garbage", "px", "px:usd", "h:abc", "q:c:not-a-uuid", "m:nope", "s:", "x" * 64, "💥", ":::"],
)
@pytest.mark.parametrize("chat_type", ["private", "group"])
async def test_a_button_with_unknown_or_forged_data_is_answered_never_left_spinning(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    press: MakeUpdate,
    data: str,
    chat_type: str,
) -> None:
    update = press(70, data, chat_type=chat_type, chat_id=None if chat_type == "private" else -100)
    await dp.feed_raw_update(bot, update)
    [answer] = telegram.sent("answerCallbackQuery")
    if chat_type == "private":
        assert answer.text == common_texts.button_expired() == "This button is no longer valid."
    else:  # or the groups middleware's toast: private features continue in private
        assert answer.text in {
            common_texts.button_expired(),
            common_texts.group_private_only_toast(),
        }
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []


async def test_a_button_without_data_is_answered(
    dp: Dispatcher, bot: Bot, telegram: Any, press: MakeUpdate
) -> None:
    update = press(71, "x")
    del update["callback_query"]["data"]
    await dp.feed_raw_update(bot, update)
    [answer] = telegram.sent("answerCallbackQuery")
    assert answer.text == common_texts.button_expired()
