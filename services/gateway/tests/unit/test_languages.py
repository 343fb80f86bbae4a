"""Languages (issue 5) through the real Dispatcher and the replies use case with fake ports: a
Spanish-speaking user (Telegram language_code "es") gets Spanish, a choice in /settings wins
over language_code, replies and alerts follow the user they go to, and the command list is
registered in every language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway import admin
from xrpbot.gateway.adapters.chart import draw_price_chart
from xrpbot.gateway.entrypoints.background import register_all_commands
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.i18n import CatalogI18n, locale_context
from xrpbot.gateway.keyboards import SettingsButton
from xrpbot.gateway.market import price_message
from xrpbot.gateway.ports import AlertSummary, Placeholder
from xrpbot.gateway.use_cases import deliver_reply
from xrpbot.schemas import (
    Actor,
    BalanceReported,
    Counterparty,
    ErrorCode,
    PaymentReceived,
    PricePeriod,
    PricePoint,
    PriceReported,
    TransferQuoted,
    TransferRefused,
)

ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
BOB = Counterparty(address="rBobBobBobBobBobBobBobBobBobBobBo1", username="bob")
MakeUpdate = Callable[..., dict[str, Any]]


@pytest.fixture(scope="module")
def i18n() -> CatalogI18n:
    return CatalogI18n()


@pytest.fixture
def dp(new_uow: Callable[..., Any], i18n: CatalogI18n) -> Dispatcher:
    return build_dispatcher(new_uow, i18n=i18n, admin_ids={9001})


def labels(markup: Any) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


def press(update_id: int, data: str, *, language_code: str = "en") -> dict[str, Any]:
    """User 4242 presses `data` under bot message 50 of their private chat."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "from": {
                "id": 4242,
                "is_bot": False,
                "first_name": "Ada",
                "language_code": language_code,
            },
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 50,
                "from": {"id": 123456789, "is_bot": True, "first_name": "xrpbot"},
                "chat": {"id": 4242, "type": "private"},
                "date": 1_700_000_000,
                "text": "⚙️ Settings",
            },
        },
    }


# ---- updates ---------------------------------------------------------------------------------


async def test_a_spanish_speaker_gets_the_welcome_and_the_menu_in_spanish(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/start", language_code="es"))
    [welcome] = telegram.sent("sendMessage")
    assert welcome.text.startswith("👋 ¡Hola, Ada!")
    assert "Soy una billetera del XRP Ledger" in welcome.text
    assert "/balance — tu saldo, la reserva y lo que puedes gastar" in welcome.text
    assert labels(welcome.reply_markup) == [
        "💰 Saldo",
        "📤 Enviar",
        "📥 Recibir",
        "🧾 Historial",
        "📈 Precios",
        "⚙️ Ajustes",
        "❓ Ayuda",
    ]


async def test_an_english_or_unknown_language_gets_english(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/menu", language_code="pt-br"))
    await dp.feed_raw_update(bot, message_update(2, "/menu", user_id=77, language_code=None))
    assert [m.text for m in telegram.sent("sendMessage")] == ["What would you like to do?"] * 2


async def test_a_russian_speaker_gets_a_refusal_in_the_send_flow_in_russian(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/send", language_code="ru"))
    await dp.feed_raw_update(bot, message_update(2, "ten", language_code="ru"))
    asked, refused = telegram.sent("sendMessage")
    assert asked.text.startswith("Сколько XRP вы хотите отправить?")
    assert refused.text.startswith("Это не сумма в XRP.")
    assert "Сколько XRP вы хотите отправить?" in refused.text


async def test_the_choice_in_settings_wins_over_telegrams_language(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate, store: Any
) -> None:
    # Telegram says Spanish; the user picks Русский: the screen, its toast and every later
    # answer are Russian
    await dp.feed_raw_update(bot, message_update(1, "/settings", language_code="es"))
    [screen] = telegram.sent("sendMessage")
    assert "🌐 Idioma: Español" in screen.text
    await dp.feed_raw_update(
        bot, press(2, SettingsButton(what="lang", value="ru").pack(), language_code="es")
    )
    assert store.languages == {4242: "ru"}
    [toast] = [a for a in telegram.sent("answerCallbackQuery") if a.text]
    assert toast.text == "Сохранено."
    [edited] = telegram.sent("editMessageText")
    assert "🌐 Язык: Русский" in edited.text
    assert labels(edited.reply_markup)[0] == "🌐 Язык: Русский"
    await dp.feed_raw_update(bot, message_update(3, "/menu", language_code="es"))
    assert telegram.sent("sendMessage")[-1].text == "Что вы хотите сделать?"


async def test_choosing_english_overrides_a_spanish_telegram(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate, store: Any
) -> None:
    store.languages[4242] = "en"
    await dp.feed_raw_update(bot, message_update(1, "/menu", language_code="es"))
    assert telegram.sent("sendMessage")[0].text == "What would you like to do?"


async def test_a_private_command_in_a_group_is_pointed_away_in_spanish(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    update = message_update(1, "/balance", chat_type="group", chat_id=-100, language_code="es")
    await dp.feed_raw_update(bot, update)
    [pointer] = telegram.sent("sendMessage")
    assert pointer.text.startswith("🔒 Las billeteras son privadas")
    assert labels(pointer.reply_markup) == ["🔒 Continuar en un chat privado"]


# ---- replies ---------------------------------------------------------------------------------


def _meta(language_code: str | None, *, telegram_id: int = 4242) -> dict[str, Any]:
    return {
        "correlation_id": uuid4(),
        "user": Actor(telegram_id=telegram_id, language_code=language_code),
        "chat_id": telegram_id,
    }


def _quote(language_code: str | None) -> TransferQuoted:
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    return TransferQuoted(
        **_meta(language_code),
        occurred_at=now,
        transfer_id=uuid4(),
        destination=BOB,
        amount_drops=10_000_000,
        fee_drops=12,
        balance_drops=100_000_000,
        balance_after_drops=89_999_988,
        reserve_drops=1_000_000,
        destination_funded=True,
        expires_at=now + timedelta(minutes=2),
    )


async def test_a_quote_is_rendered_in_the_users_language(
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n
) -> None:
    reply = _quote("es")
    store.pending[reply.correlation_id] = Placeholder(4242, 501)
    await deliver_reply(reply, uow=new_uow("gateway.replies"), messenger=messenger, i18n=i18n)
    [(_, message)] = messenger.edited
    for words in (
        "📤 <b>Revisa tu pago</b>",
        "Importe: <b>10 XRP</b>",
        "Comisión de red: 0.000012 XRP",
        "1 XRP quedan reservados en tu cuenta",
        "Tienes 2 minutos para confirmar.",
    ):
        assert words in message.text
    assert labels(message.keyboard) == ["✅ Confirmar", "✖️ Cancelar"]


async def test_a_refusal_reply_follows_the_stored_choice_over_language_code(
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n
) -> None:
    store.languages[4242] = "ru"
    reply = TransferRefused(
        **_meta("es"),
        code=ErrorCode.INSUFFICIENT_FUNDS,
        command="transfer.request_transfer",
        spendable_drops=5_000_000,
    )
    await deliver_reply(reply, uow=new_uow("gateway.replies"), messenger=messenger, i18n=i18n)
    [(_, message)] = messenger.sent
    assert message.text == (
        "Для этого не хватает XRP: сейчас можно отправить не больше <b>5 XRP</b> "
        "(баланс за вычетом резерва и комиссии сети)."
    )


async def test_a_balance_reply_is_spanish_for_a_spanish_speaker(
    new_uow: Any, messenger: Any, i18n: CatalogI18n
) -> None:
    reply = BalanceReported(
        **_meta("es-MX"),
        address=ADDRESS,
        balance_drops=50_000_000,
        reserve_base_drops=1_000_000,
        reserve_owner_drops=0,
        owner_count=0,
        reserve_drops=1_000_000,
        ledger_index=100,
    )
    await deliver_reply(reply, uow=new_uow("gateway.replies"), messenger=messenger, i18n=i18n)
    [(_, message)] = messenger.sent
    assert "💰 <b>Saldo:</b> 50 XRP" in message.text
    assert "✅ <b>Disponible:</b> 49 XRP" in message.text
    assert labels(message.keyboard) == ["Ver en el explorador de la Testnet", "📤 Enviar XRP"]


async def test_an_incoming_payment_uses_the_language_telegram_last_gave_for_the_chat(
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n
) -> None:
    # the transfer service addresses PaymentReceived without a language_code: the gateway
    # remembers the recipient's from their last update (chats.language_code)
    store.chats[4242] = "ru"
    reply = PaymentReceived(
        **_meta(None),
        tx_hash="AB" * 32,
        delivered_drops=2_000_000,
        source=Counterparty(address=ADDRESS, username="alice"),
        ledger_index=101,
    )
    await deliver_reply(reply, uow=new_uow("gateway.replies"), messenger=messenger, i18n=i18n)
    [(_, message)] = messenger.sent
    assert message.text.startswith("📥 Вы получили <b>2 XRP</b> от @alice")
    assert labels(message.keyboard) == ["Открыть транзакцию"]


async def test_without_catalogs_a_reply_is_english(new_uow: Any, messenger: Any) -> None:
    await deliver_reply(_quote("es"), uow=new_uow("gateway.replies"), messenger=messenger)
    [(_, message)] = messenger.sent
    assert "📤 <b>Please check your payment</b>" in message.text


def test_a_stale_price_answer_and_its_chart_speak_russian(i18n: CatalogI18n) -> None:
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    points = tuple(
        PricePoint(at=now - timedelta(days=3 * (9 - i)), price=Decimal("0.5") + Decimal(i) / 100)
        for i in range(10)
    )
    reply = PriceReported(
        **_meta("ru"),
        occurred_at=now,
        vs_currency="eur",
        price=points[-1].price,
        change_24h_pct=Decimal("1.5"),
        as_of=now - timedelta(days=3),
        period=PricePeriod.MONTH,
        history=points,
        high=points[-1].price,
        low=points[0].price,
        history_as_of=points[-1].at,
        stale=True,
    )
    with locale_context(i18n, "ru"):
        message = price_message(reply)
    assert "(+1.5% за 24 ч)" in message.text
    assert "30D: макс. 0.59 · мин. 0.5" in message.text
    assert "последние известные курсы (3 дня назад)" in message.text
    assert message.chart is not None
    assert message.chart.note == "последние известные данные (3 дня назад)"
    assert message.chart.locale == "ru"  # the axis' month names: drawn in a worker thread
    assert draw_price_chart(message.chart).startswith(b"\x89PNG")


# ---- admins and the command list ------------------------------------------------------------


async def test_alerts_go_to_each_admin_in_their_language(
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n
) -> None:
    store.languages[1] = "es"
    store.chats[2] = "ru"
    summary = AlertSummary("payment_failed", 3, {"transfer_expired": 3})
    async with new_uow() as uow:
        locales = await admin.admin_locales(uow, {1, 2, 3})
    await admin.notify_admins(
        messenger, {1, 2, 3}, lambda: admin.alert_text(summary), i18n=i18n, locales=locales
    )
    texts_by_admin = {chat_id: message.text for chat_id, message in messenger.sent}
    assert texts_by_admin[1].startswith("⚠️ <b>3 pagos fallidos</b>")
    assert texts_by_admin[2].startswith("⚠️ <b>3 платежа не прошли</b>")
    assert texts_by_admin[3].startswith("⚠️ <b>3 payments failed</b>")


async def test_the_command_list_is_registered_in_every_language(
    bot: Bot, telegram: Any, i18n: CatalogI18n
) -> None:
    await register_all_commands(bot, i18n)
    calls = telegram.sent("setMyCommands")
    by_language: dict[str | None, dict[str, str]] = {}
    for call in calls:
        if call.scope.type == "all_private_chats":
            by_language[call.language_code] = {c.command: c.description for c in call.commands}
    assert set(by_language) == {None, "es", "ru"}
    assert by_language[None]["balance"] == "Your balance and what you can spend"
    assert by_language["es"]["balance"] == "Tu saldo y lo que puedes gastar"
    assert by_language["ru"]["balance"] == "Баланс и сколько можно потратить"
    assert list(by_language["es"]) == list(by_language[None])  # same commands, same order
    assert len(calls) == 9  # default, private and group scopes, three times
