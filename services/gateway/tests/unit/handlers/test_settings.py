"""/settings through the real Dispatcher with fake ports, and the notifications preference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.delivery import Delivery
from xrpbot.gateway.render.keyboards import SettingsButton
from xrpbot.gateway.use_cases import replies as use_cases
from xrpbot.schemas import (
    Actor,
    Counterparty,
    PaymentReceived,
)

BOT_ID = 123456789
ADMIN = 9001
ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
MakeUpdate = Callable[..., dict[str, Any]]


# ---- /settings and notifications -------------------------------------------------------------


async def test_settings_buttons_store_language_currency_and_notifications(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    press: Callable[..., dict[str, Any]],
    labels: Callable[[Any], list[str]],
) -> None:
    await dp.feed_raw_update(bot, message_update(8, "/settings"))
    [shown] = telegram.sent("sendMessage")
    assert "Language: English" in shown.text
    assert "notifications: on" in shown.text
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
    last = telegram.sent("editMessageText")[-1]
    assert "Idioma: Español" in last.text
    assert "Moneda: EUR" in last.text
    assert "Notificaciones de pagos: desactivadas" in last.text
    assert "🔔 Activar notificaciones" in labels(last.reply_markup)
    toasts = [q.text for q in telegram.sent("answerCallbackQuery")]
    assert toasts[-3:] == ["Guardado."] * 3


async def test_a_made_up_setting_value_changes_nothing(
    dp: Dispatcher, bot: Bot, store: Any, press: Callable[..., dict[str, Any]]
) -> None:
    await dp.feed_raw_update(bot, press(13, SettingsButton(what="lang", value="xx").pack()))
    await dp.feed_raw_update(bot, press(14, SettingsButton(what="fiat", value="zzz").pack()))
    assert store.languages == {}
    assert store.fiat_currency == {}


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
