"""Each reply in its user's language: the replies use case with fake ports and the catalogs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from xrpbot.gateway.adapters.chart import draw_price_chart
from xrpbot.gateway.domain.delivery import Placeholder
from xrpbot.gateway.render.i18n import CatalogI18n, locale_context
from xrpbot.gateway.render.prices import price_message
from xrpbot.gateway.use_cases.replies import deliver_reply
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


@pytest.fixture(scope="module")
def i18n() -> CatalogI18n:
    return CatalogI18n()


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
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n, labels: Callable[[Any], list[str]]
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
    new_uow: Any, messenger: Any, i18n: CatalogI18n, labels: Callable[[Any], list[str]]
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
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n, labels: Callable[[Any], list[str]]
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
