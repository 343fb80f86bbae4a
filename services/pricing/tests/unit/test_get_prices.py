"""GetPrices against fakes: fresh, cached, stale with its age, unavailable, coalesced."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from xrpbot.pricing import use_cases
from xrpbot.pricing.domain import MAX_HISTORY_POINTS
from xrpbot.pricing.ports import MarketDataUnavailable
from xrpbot.schemas import (
    FIAT_CURRENCIES,
    Actor,
    ErrorCode,
    GetPrices,
    PricePeriod,
    PriceReported,
    PricingFailed,
    SpotPricesRefreshed,
)

from ..conftest import NOW, World  # type: ignore[import-not-found]


def ask(currency: str = "usd", period: PricePeriod = PricePeriod.DAY, user: int = 1) -> GetPrices:
    return GetPrices.new(
        user=Actor(telegram_id=user), chat_id=user, vs_currency=currency, period=period
    )


async def answer(world: World, cmd: GetPrices) -> Any:
    await use_cases.get_prices(cmd, world.deps)
    return world.db.replies[-1]


async def test_reports_price_change_high_low_and_history_for_each_period(world: World) -> None:
    for period, days in [
        (PricePeriod.DAY, 1),
        (PricePeriod.WEEK, 7),
        (PricePeriod.MONTH, 30),
        (PricePeriod.YEAR, 365),
    ]:
        reply = await answer(world, ask("eur", period))
        assert isinstance(reply, PriceReported)
        assert (reply.vs_currency, reply.period, reply.stale) == ("eur", period, False)
        assert reply.price == Decimal("0.5123") * Decimal("0.92")
        assert reply.change_24h_pct == Decimal("-1.4")
        assert reply.history, "a chart needs the history"
        prices = [p.price for p in reply.history]
        assert reply.high == max(prices)
        assert reply.low == min(prices)
        assert reply.history[-1].price == reply.price, "the chart ends at the shown price"
        assert ("history", ("eur", days)) in world.market.calls
    spot_calls = [c for c in world.market.calls if c[0] == "spot"]
    assert spot_calls == [("spot", FIAT_CURRENCIES)], "one call for every currency, then cached"


async def test_cached_within_ttl_then_refreshed(world: World) -> None:
    await answer(world, ask())
    world.clock.advance(59)
    await answer(world, ask())
    assert len(world.market.calls) == 2  # spot + 1d history, once
    world.clock.advance(2)
    await answer(world, ask())
    assert [c[0] for c in world.market.calls] == ["spot", "history", "spot"]


async def test_source_fails_last_known_data_with_its_age(world: World) -> None:
    fresh = await answer(world, ask(period=PricePeriod.WEEK))
    world.clock.advance(4 * 60)
    world.market.failure = MarketDataUnavailable("http_500")
    stale = await answer(world, ask(period=PricePeriod.WEEK))
    assert isinstance(stale, PriceReported)
    assert stale.stale
    assert stale.price == fresh.price
    assert stale.as_of == NOW, "the reply says how old the price is"
    assert stale.history == fresh.history


async def test_nothing_known_is_prices_unavailable(world: World) -> None:
    world.market.failure = MarketDataUnavailable("timeout")
    reply = await answer(world, ask("gbp"))
    assert isinstance(reply, PricingFailed)
    assert reply.code is ErrorCode.PRICES_UNAVAILABLE


async def test_unserved_currency_is_prices_unavailable_without_a_call(world: World) -> None:
    reply = await answer(world, ask("xyz"))
    assert isinstance(reply, PricingFailed)
    assert world.market.calls == []


async def test_failure_leaves_the_source_alone_for_the_backoff(world: World) -> None:
    world.market.failure = MarketDataUnavailable("http_500")
    await answer(world, ask())
    assert len(world.market.calls) == 2
    world.market.failure = None
    world.clock.advance(29)
    assert isinstance(await answer(world, ask()), PricingFailed)
    assert len(world.market.calls) == 2, "no call during the backoff"
    world.clock.advance(2)
    assert isinstance(await answer(world, ask()), PriceReported)
    assert len(world.market.calls) == 4


async def test_rate_limit_backs_off_for_retry_after(world: World) -> None:
    await answer(world, ask())
    world.clock.advance(61)
    world.market.failure = MarketDataUnavailable("rate_limited", retry_after_s=120)
    assert (await answer(world, ask())).stale
    world.market.failure = None
    world.clock.advance(100)  # past the TTL and the 30 s backoff, within Retry-After
    reply = await answer(world, ask())
    assert reply.stale
    assert len([c for c in world.market.calls if c[0] == "spot"]) == 2
    world.clock.advance(21)
    assert not (await answer(world, ask())).stale


async def test_spot_fails_history_known_price_from_the_chart(world: World) -> None:
    world.market.failure = None
    await answer(world, ask(period=PricePeriod.MONTH))
    world.db.rows.pop("spot")  # as if spot prices had never been fetched
    world.market.failure = MarketDataUnavailable("malformed")
    reply = await answer(world, ask(period=PricePeriod.MONTH))
    assert isinstance(reply, PriceReported)
    assert reply.price == reply.history[-1].price
    assert reply.change_24h_pct is None


async def test_a_hundred_concurrent_requests_make_one_call_per_key(world: World) -> None:
    world.market.gate = asyncio.Event()
    commands = [ask("jpy", PricePeriod.YEAR, user=i) for i in range(100)]
    tasks = [asyncio.create_task(use_cases.get_prices(c, world.deps)) for c in commands]
    await world.market.called(2)
    for _ in range(50):  # every other request is waiting on the claimed refreshes now
        await asyncio.sleep(0)
    world.market.gate.set()
    await asyncio.gather(*tasks)
    assert sorted(c[0] for c in world.market.calls) == ["history", "spot"]
    assert len(world.db.replies) == 100
    assert all(isinstance(r, PriceReported) and not r.stale for r in world.db.replies)
    assert world.waits, "the others waited for the one refresh"


async def test_spot_refresh_publishes_one_event_per_fetch(world: World) -> None:
    await answer(world, ask())
    await answer(world, ask("eur"))
    assert await use_cases.refresh_spot(world.deps)
    (event,) = world.db.events
    assert isinstance(event, SpotPricesRefreshed)
    assert {p.vs_currency for p in event.prices} == {"usd", "eur"}
    assert event.user.telegram_id == 1
    world.clock.advance(61)
    assert await use_cases.refresh_spot(world.deps)
    scheduled = world.db.events[-1]
    assert (scheduled.user.telegram_id, scheduled.chat_id) == (0, 0)
    world.clock.advance(61)
    world.market.failure = MarketDataUnavailable("timeout")
    assert not await use_cases.refresh_spot(world.deps)
    assert len(world.db.events) == 2, "no event without fresh prices"


async def test_redelivered_command_replies_once(world: World) -> None:
    cmd = ask()
    await use_cases.get_prices(cmd, world.deps)
    await use_cases.get_prices(cmd, world.deps)
    assert len(world.db.replies) == 1


async def test_long_history_is_downsampled_keeping_high_and_low(world: World) -> None:
    from xrpbot.pricing.domain import PriceHistory, PricePoint

    from ..conftest import history  # type: ignore[import-not-found]

    long = history("usd", 30, NOW, n=721)
    spike = long.points[333]
    points = list(long.points)
    points[333] = PricePoint(spike.at, Decimal("9.99"))

    async def fetch(vs_currency: str, days: int) -> PriceHistory:
        return PriceHistory(vs_currency, days, tuple(points))

    world.market.history = fetch  # type: ignore[method-assign]
    reply = await answer(world, ask(period=PricePeriod.MONTH))
    assert len(reply.history) <= MAX_HISTORY_POINTS
    assert reply.high == Decimal("9.99")
    assert Decimal("9.99") in [p.price for p in reply.history]


@pytest.mark.parametrize("reason", ["http_500", "rate_limited", "timeout", "malformed", "empty"])
async def test_every_failure_serves_stale_data(world: World, reason: str) -> None:
    await answer(world, ask())
    world.clock.advance(600)
    world.market.failure = MarketDataUnavailable(reason)
    reply = await answer(world, ask())
    assert isinstance(reply, PriceReported)
    assert reply.stale
    assert world.db.rows["spot"].last_error == reason
