"""/settings through the real Dispatcher with fake ports (wallet's replies delivered by the
replies use case), the daily limit's buttons, and the notifications preference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.delivery import Delivery, Placeholder, ReplyView
from xrpbot.gateway.render.i18n import CatalogI18n
from xrpbot.gateway.render.keyboards import SettingsButton
from xrpbot.gateway.render.texts import settings as settings_texts
from xrpbot.gateway.use_cases import replies as use_cases
from xrpbot.schemas import (
    Actor,
    Counterparty,
    GetDailyLimit,
    PaymentReceived,
    SetDailyLimit,
)

BOT_ID = 123456789
ADMIN = 9001
ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
XRP = 1_000_000
MakeUpdate = Callable[..., dict[str, Any]]


# ---- /settings and notifications -------------------------------------------------------------


async def test_settings_buttons_store_language_currency_and_notifications(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    wallet: Any,
    message_update: MakeUpdate,
    press: Callable[..., dict[str, Any]],
    labels: Callable[[Any], list[str]],
) -> None:
    await dp.feed_raw_update(bot, message_update(8, "/settings"))
    [placeholder] = telegram.sent("sendMessage")
    assert placeholder.text == settings_texts.opening_settings()
    [command] = store.outbox
    assert isinstance(command, GetDailyLimit)  # the screen is wallet's answer with the limit
    [shown] = await wallet.answer()
    assert "Language: English" in shown.text
    assert "notifications: on" in shown.text
    assert "Daily sending limit: 10,000 XRP (the default)" in shown.text
    assert labels(shown.keyboard)[-1] == "📉 Daily limit: 10,000 XRP"
    await dp.feed_raw_update(bot, press(9, SettingsButton(what="lang").pack()))
    [choice] = telegram.sent("editMessageText")
    assert labels(choice.reply_markup)[:3] == ["✓ English", "Español", "Русский"]
    await dp.feed_raw_update(bot, press(10, SettingsButton(what="lang", value="es").pack()))
    await dp.feed_raw_update(bot, press(11, SettingsButton(what="fiat", value="eur").pack()))
    await dp.feed_raw_update(bot, press(12, SettingsButton(what="notif", value="0").pack()))
    assert store.languages == {4242: "es"}
    assert store.fiat_currency == {4242: "eur"}
    assert store.notifications == {4242: False}
    # the choice takes effect at once: from the language press on, the answers are Spanish
    screens = await wallet.answer(CatalogI18n())
    assert len(screens) == 3  # each press shows the screen again, in the message pressed
    last = screens[-1]
    assert "Idioma: Español" in last.text
    assert "Moneda: EUR" in last.text
    assert "Notificaciones de pagos: desactivadas" in last.text
    assert "Límite diario de envío: 10,000 XRP" in last.text
    assert "🔔 Activar notificaciones" in labels(last.keyboard)
    toasts = [q.text for q in telegram.sent("answerCallbackQuery")]
    assert toasts[-3:] == ["Guardado."] * 3


async def test_a_made_up_setting_value_changes_nothing(
    dp: Dispatcher, bot: Bot, store: Any, press: Callable[..., dict[str, Any]]
) -> None:
    await dp.feed_raw_update(bot, press(13, SettingsButton(what="lang", value="xx").pack()))
    await dp.feed_raw_update(bot, press(14, SettingsButton(what="fiat", value="zzz").pack()))
    assert store.languages == {}
    assert store.fiat_currency == {}


# ---- the daily limit -------------------------------------------------------------------------


async def test_the_limit_button_offers_only_limits_not_above_the_default(
    dp: Dispatcher,
    bot: Bot,
    store: Any,
    wallet: Any,
    press: Callable[..., dict[str, Any]],
    labels: Callable[[Any], list[str]],
) -> None:
    wallet.default_drops = 1_000 * XRP
    await dp.feed_raw_update(bot, press(15, SettingsButton(what="limit").pack()))
    [command] = store.outbox
    assert isinstance(command, GetDailyLimit)
    assert store.views[command.correlation_id] == ReplyView("limit_choice", {})
    [choice] = await wallet.answer()
    assert "below the default of 1,000 XRP" in choice.text
    assert labels(choice.keyboard) == [
        "100 XRP",
        "500 XRP",
        "1,000 XRP",
        "✓ Default (1,000 XRP)",
        "◀️ Back",
    ]
    wallet.own[4242] = 500 * XRP
    await dp.feed_raw_update(bot, press(16, SettingsButton(what="limit").pack()))
    [choice] = await wallet.answer()
    assert labels(choice.keyboard)[:4] == [
        "100 XRP",
        "✓ 500 XRP",
        "1,000 XRP",
        "Default (1,000 XRP)",
    ]


async def test_a_limit_choice_asks_wallet_and_the_screen_shows_the_new_limit(
    dp: Dispatcher,
    bot: Bot,
    store: Any,
    wallet: Any,
    press: Callable[..., dict[str, Any]],
    labels: Callable[[Any], list[str]],
) -> None:
    await dp.feed_raw_update(bot, press(17, SettingsButton(what="limit", value="100").pack()))
    [command] = store.outbox
    assert isinstance(command, SetDailyLimit)
    assert command.limit_drops == 100 * XRP
    assert store.pending[command.correlation_id] == Placeholder(4242, 50)  # the pressed one
    [screen] = await wallet.answer()
    assert "Daily sending limit: 100 XRP (yours; the default is 10,000 XRP)" in screen.text
    assert "send up to 100 XRP more in the next 24 hours" in screen.text
    assert labels(screen.keyboard)[-1] == "📉 Daily limit: 100 XRP"
    await dp.feed_raw_update(bot, press(18, SettingsButton(what="limit", value="default").pack()))
    assert store.outbox[-1].limit_drops is None
    [screen] = await wallet.answer()
    assert "Daily sending limit: 10,000 XRP (the default)" in screen.text


@pytest.mark.parametrize("value", ["250", "10000", "1e9", "-100", "0", "100.5", "DEFAULT"])
async def test_a_forged_limit_button_asks_nothing(
    dp: Dispatcher, bot: Bot, store: Any, press: Callable[..., dict[str, Any]], value: str
) -> None:
    await dp.feed_raw_update(bot, press(19, SettingsButton(what="limit", value=value).pack()))
    assert store.outbox == []
    assert store.processed_updates == {19}  # handled (and answered), only nothing asked


async def test_back_from_a_choice_shows_the_screen_with_the_limit(
    dp: Dispatcher, bot: Bot, store: Any, wallet: Any, press: Callable[..., dict[str, Any]]
) -> None:
    await dp.feed_raw_update(bot, press(20, SettingsButton(what="back").pack()))
    [command] = store.outbox
    assert isinstance(command, GetDailyLimit)
    [screen] = await wallet.answer()
    assert "Daily sending limit" in screen.text


def _payment_received() -> PaymentReceived:
    return PaymentReceived(
        correlation_id=uuid4(),
        user=Actor(telegram_id=4242),
        chat_id=4242,
        tx_hash="AB" * 32,
        delivered_drops=5_000_000,
        source=Counterparty(address=ADDRESS),
        ledger_index=10,
    )


@pytest.mark.parametrize("notifications", [True, False])
async def test_payment_alerts_follow_the_notifications_setting(
    new_uow: Callable[..., Any], store: Any, messenger: Any, notifications: bool
) -> None:
    store.notifications[4242] = notifications
    outcome = await use_cases.deliver_reply(
        _payment_received(), uow=new_uow("gateway.replies"), messenger=messenger
    )
    assert outcome is (Delivery.SENT if notifications else Delivery.SKIPPED)
    assert len(messenger.sent) == (1 if notifications else 0)
    assert len(store.inbox) == 1  # claimed either way: a redelivery changes nothing
