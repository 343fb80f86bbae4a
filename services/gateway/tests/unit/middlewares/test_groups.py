"""Groups through the real Dispatcher with fake ports: quiet, and never private there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.render.keyboards import MenuAction, MenuButton, SettingsButton
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import prices as prices_texts
from xrpbot.schemas import (
    GetPrices,
)

BOT_ID = 123456789
ADMIN = 9001
MakeUpdate = Callable[..., dict[str, Any]]


# ---- groups ----------------------------------------------------------------------------------

PRIVATE_COMMANDS = [
    "/start",
    "/menu",
    "/wallet",
    "/balance",
    "/send 1 @bob",
    "/receive 5",
    "/history",
    "/settings",
    "/cancel",
    "/stats",
    "/broadcast hi",
    "/balance@xrpbot",
]


@pytest.mark.parametrize("text", PRIVATE_COMMANDS)
async def test_private_commands_in_a_group_point_to_the_private_chat(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    update = message_update(30, text, chat_type="supergroup", chat_id=-100, user_id=ADMIN)
    await dp.feed_raw_update(bot, update)
    [sent] = telegram.sent("sendMessage")
    assert sent.chat_id == -100
    assert sent.text == common_texts.private_chat_only()
    [[button]] = sent.reply_markup.inline_keyboard
    assert button.url == "https://t.me/xrpbot?start=menu"
    assert store.outbox == []
    assert store.views == {}
    assert store.processed_updates == {30}
    # the throttle spent the user's and the group's allowance first; no handler ran
    assert store.throttled == [ADMIN, -100]


@pytest.mark.parametrize("text", ["/balance@OtherBot", "/help@other_bot", "hello all", "/"])
async def test_other_bots_commands_and_chatter_in_a_group_get_no_answer(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(31, text, chat_type="group", chat_id=-100))
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []
    assert store.processed_updates == {31}


@pytest.mark.parametrize("text", ["/help", "/help@xrpbot", "/prices"])
async def test_public_commands_work_in_a_group(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(32, text, chat_type="group", chat_id=-100))
    [sent] = telegram.sent("sendMessage")
    assert sent.chat_id == -100
    assert sent.text in {common_texts.help_text(), prices_texts.fetching_prices()}


@pytest.mark.parametrize(
    "data",
    [
        MenuButton(action=MenuAction.BALANCE).pack(),
        SettingsButton(what="notif", value="0").pack(),
        "send",
        "h:0",
        f"q:c:{uuid4()}",
    ],
)
async def test_private_buttons_pressed_in_a_group_do_nothing_but_say_so(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    data: str,
    press: Callable[..., dict[str, Any]],
) -> None:
    await dp.feed_raw_update(bot, press(33, data, chat_id=-100, chat_type="group"))
    [answer] = telegram.sent("answerCallbackQuery")
    assert answer.text == common_texts.group_private_only_toast()
    assert answer.show_alert is True
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []
    assert store.notifications == {}


async def test_a_prices_button_still_works_in_a_group(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, press: Callable[..., dict[str, Any]]
) -> None:
    await dp.feed_raw_update(bot, press(34, "px:eur:7d", chat_id=-100, chat_type="group"))
    [command] = store.outbox
    assert isinstance(command, GetPrices)
    assert command.chat_id == -100
