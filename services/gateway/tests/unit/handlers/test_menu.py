"""The menu through the real Dispatcher with fake ports: /start and /menu, and its buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.delivery import ReplyView
from xrpbot.gateway.domain.ids import correlation_id_for
from xrpbot.gateway.render.keyboards import MenuAction, MenuButton
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import history as history_texts
from xrpbot.gateway.render.texts import prices as prices_texts
from xrpbot.gateway.render.texts import receive as receive_texts
from xrpbot.gateway.render.texts import send as send_texts
from xrpbot.gateway.render.texts import settings as settings_texts
from xrpbot.gateway.render.texts import wallet as wallet_texts
from xrpbot.schemas import (
    GetBalance,
    GetDailyLimit,
    GetHistory,
    GetPrices,
)

BOT_ID = 123456789
ADMIN = 9001
MakeUpdate = Callable[..., dict[str, Any]]


# ---- the menu --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/start", "/menu"])
async def test_start_and_menu_show_the_menu_buttons(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    message_update: MakeUpdate,
    text: str,
    labels: Callable[[Any], list[str]],
) -> None:
    await dp.feed_raw_update(bot, message_update(1, text))
    [sent] = telegram.sent("sendMessage")
    assert labels(sent.reply_markup) == [
        common_texts.menu_balance_button(),
        common_texts.menu_send_button(),
        common_texts.menu_receive_button(),
        common_texts.menu_history_button(),
        common_texts.menu_prices_button(),
        common_texts.menu_settings_button(),
        common_texts.menu_help_button(),
    ]


@pytest.mark.parametrize(
    ("action", "command_type", "placeholder"),
    [
        (MenuAction.BALANCE, GetBalance, wallet_texts.checking_balance()),
        (MenuAction.RECEIVE, GetBalance, receive_texts.getting_address()),
        (MenuAction.HISTORY, GetHistory, history_texts.loading_history()),
        (MenuAction.PRICES, GetPrices, prices_texts.fetching_prices()),
        (MenuAction.SETTINGS, GetDailyLimit, settings_texts.opening_settings()),
    ],
)
async def test_menu_buttons_do_what_their_commands_do(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    action: MenuAction,
    command_type: type,
    placeholder: str,
    press: Callable[..., dict[str, Any]],
) -> None:
    await dp.feed_raw_update(bot, press(2, MenuButton(action=action).pack()))
    assert len(telegram.sent("answerCallbackQuery")) == 1
    [sent] = telegram.sent("sendMessage")
    assert (sent.chat_id, sent.text) == (4242, placeholder)
    [command] = store.outbox
    assert isinstance(command, command_type)
    assert command.correlation_id == correlation_id_for(BOT_ID, 2)
    assert list(store.pending) == [command.correlation_id]
    expected_view = ReplyView("receive", {"amount_drops": None})
    assert store.views.get(command.correlation_id) == (
        expected_view if action is MenuAction.RECEIVE else None
    )


async def test_menu_send_starts_the_flow_and_help_answers_at_once(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, press: Callable[..., dict[str, Any]]
) -> None:
    await dp.feed_raw_update(bot, press(3, MenuButton(action=MenuAction.SEND).pack()))
    await dp.feed_raw_update(bot, press(4, MenuButton(action=MenuAction.HELP).pack()))
    sent = [m.text for m in telegram.sent("sendMessage")]
    assert sent == [send_texts.ask_amount(), common_texts.help_text()]
    assert [state for state, _ in store.fsm.values()] == ["SendFlow:amount"]
    assert store.outbox == []
