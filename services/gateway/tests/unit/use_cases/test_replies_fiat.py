"""Fiat equivalents beside a balance from the latest rate, and the rates consumer's wiring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from faststream.rabbit import RabbitBroker, TestRabbitBroker

from xrpbot.gateway.domain.fiat import FiatQuote
from xrpbot.gateway.entrypoints.consumers import REPLIES_QUEUE, GatewayDeps, build_rates_router
from xrpbot.gateway.render.replies import render_reply as render
from xrpbot.gateway.use_cases.replies import deliver_reply, record_spot_prices
from xrpbot.runtime.topology import EVENTS
from xrpbot.schemas import (
    Actor,
    BalanceReported,
    FiatPrice,
    SpotPricesRefreshed,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
USER = 4242


# ---- fiat equivalents ------------------------------------------------------------------------


def balance(drops: int = 1_000_000_000) -> BalanceReported:
    return BalanceReported(
        correlation_id=uuid4(),
        user=Actor(telegram_id=USER),
        chat_id=USER,
        occurred_at=NOW,
        address="rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY",
        balance_drops=drops,
        reserve_base_drops=1_000_000,
        reserve_owner_drops=200_000,
        owner_count=0,
        reserve_drops=1_000_000,
        ledger_index=10,
    )


async def test_balance_shows_fiat_from_the_latest_rate_in_the_users_currency(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    event = SpotPricesRefreshed(
        correlation_id=uuid4(),
        user=Actor(telegram_id=0),
        chat_id=0,
        prices=(
            FiatPrice(vs_currency="usd", price=Decimal("0.5"), as_of=NOW),
            FiatPrice(vs_currency="eur", price=Decimal("0.46"), as_of=NOW),
        ),
    )
    assert await record_spot_prices(event, uow=new_uow("gateway.pricing.spot_refreshed")) == 2
    assert await record_spot_prices(event, uow=new_uow("gateway.pricing.spot_refreshed")) == 0
    older = event.model_copy(
        update={
            "prices": (FiatPrice(vs_currency="eur", price=Decimal("9"), as_of=NOW - timedelta(1)),)
        }
    )
    assert await record_spot_prices(older, uow=new_uow("gateway.pricing.spot_refreshed")) == 0
    store.fiat_currency[USER] = "eur"
    await deliver_reply(balance(), uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    [(_, shown)] = messenger.sent
    assert "1,000 XRP (≈ 460.00 EUR)" in shown.text
    assert "999 XRP (≈ 459.54 EUR)" in shown.text


async def test_balance_without_a_known_rate_shows_xrp_only(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    await deliver_reply(balance(), uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    [(_, shown)] = messenger.sent
    assert "≈" not in shown.text
    assert shown.text == render(balance()).text


async def test_the_rates_consumer_is_wired_to_pricings_event(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    broker = RabbitBroker()
    broker.include_router(build_rates_router(delivery_limit=3))
    broker.context.set_global("deps", GatewayDeps(new_uow=new_uow, messenger=messenger))
    event = SpotPricesRefreshed(
        correlation_id=uuid4(),
        user=Actor(telegram_id=0),
        chat_id=0,
        prices=(FiatPrice(vs_currency="gbp", price=Decimal("0.4"), as_of=NOW),),
    )
    async with TestRabbitBroker(broker) as br:
        await br.publish(
            event.model_dump_json().encode(),
            exchange=EVENTS,
            routing_key=event.ROUTING_KEY,
            content_type="application/json",
        )
    assert store.fiat_rates == {"gbp": FiatQuote("gbp", Decimal("0.4"), NOW)}


# ---- prices that are no data -----------------------------------------------------------------

NO_DATA = ["0", "-0.5", "NaN", "Infinity", "1E+999", "1E-30"]
NO_DATA_ON_THE_WIRE = [
    p for p in NO_DATA if p not in {"NaN", "Infinity"}
]  # pydantic refuses those


@pytest.mark.parametrize("price", NO_DATA)
async def test_a_reported_price_that_is_no_data_is_never_stored_and_said_to_be_unavailable(
    store: Any, new_uow: Any, messenger: Any, price_reply: Any, price: str
) -> None:
    reply = price_reply().model_copy(update={"price": Decimal(price)})
    await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert store.fiat_rates == {}
    [(_, shown)] = messenger.sent
    assert shown.text == "Prices aren't available right now. Please try again in a minute."
    assert store.commits == 1, "delivered, never dead-lettered"


async def test_history_points_that_are_no_data_are_left_out_of_the_chart(price_reply: Any) -> None:
    reply = price_reply(points=5)
    bad = (*reply.history[:2], reply.history[2].model_copy(update={"price": Decimal(0)}))
    shown = render(reply.model_copy(update={"history": (*bad, *reply.history[3:])}))
    assert shown.chart is not None
    assert len(shown.chart.prices) == 4
    assert Decimal(0) not in shown.chart.prices


@pytest.mark.parametrize("price", NO_DATA_ON_THE_WIRE)
async def test_spot_prices_that_are_no_data_are_skipped_and_the_rest_kept(
    store: Any, new_uow: Any, price: str
) -> None:
    event = SpotPricesRefreshed(
        correlation_id=uuid4(),
        user=Actor(telegram_id=0),
        chat_id=0,
        prices=(
            FiatPrice(vs_currency="usd", price=Decimal(price), as_of=NOW),
            FiatPrice(vs_currency="eur", price=Decimal("0.46"), as_of=NOW),
        ),
    )
    assert await record_spot_prices(event, uow=new_uow("gateway.pricing.spot_refreshed")) == 1
    assert set(store.fiat_rates) == {"eur"}


async def test_a_reply_that_cannot_be_rendered_is_answered_once_not_dead_lettered(
    store: Any,
    new_uow: Any,
    messenger: Any,
    monkeypatch: pytest.MonkeyPatch,
    logged: list[Any],
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ArithmeticError("a value no rule foresaw")

    monkeypatch.setattr("xrpbot.gateway.use_cases.replies.render_reply", broken)
    await deliver_reply(balance(), uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    [(_, shown)] = messenger.sent
    assert shown.text == "Sorry — something went wrong on our side. Please try again in a minute."
    assert store.commits == 1
    assert len([r for r in logged if r.traceback]) == 1
