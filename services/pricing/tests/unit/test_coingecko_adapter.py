"""The CoinGecko adapter against the sandbox's CoinGecko stand-in (whose answers follow recorded
real responses), and against scripted transports for what the stand-in does not vary."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from xrpbot.pricing.adapters.coingecko import CoinGecko, parse_retry_after
from xrpbot.pricing.ports import MarketDataUnavailable
from xrpbot.sandbox.coingecko import price_at
from xrpbot.sandbox.testing import CoinGeckoStandIn
from xrpbot.schemas import FIAT_CURRENCIES


class Gecko:
    """An adapter on the CoinGecko stand-in, and the adapter's recorded waits."""

    def __init__(self, stand_in: CoinGeckoStandIn) -> None:
        self.stand_in = stand_in
        self.base = stand_in.url
        self.http = stand_in.http
        self.waits: list[float] = []

        async def sleep(seconds: float) -> None:
            self.waits.append(seconds)

        self.adapter = CoinGecko(f"{self.base}/api/v3", self.http, api_key="CG-key", sleep=sleep)

    async def fail(self, **body: Any) -> None:
        await self.stand_in.fail(**body)

    async def calls(self) -> int:
        return await self.stand_in.calls()


@pytest.fixture
def gecko(coingecko: CoinGeckoStandIn) -> Gecko:
    return Gecko(coingecko)


async def test_spot_prices_for_every_currency_in_one_call(gecko: Gecko) -> None:
    prices = await gecko.adapter.spot(FIAT_CURRENCIES)
    assert set(prices.prices) == set(FIAT_CURRENCIES)
    usd = prices.prices["usd"]
    assert isinstance(usd.price, Decimal)
    assert float(usd.price) == pytest.approx(price_at("ripple", "usd", 1_699_999_980))
    assert usd.as_of == datetime.fromtimestamp(1_699_999_980, UTC)
    assert usd.change_24h_pct is not None
    assert prices.prices["jpy"].price > prices.prices["usd"].price > prices.prices["gbp"].price
    assert await gecko.calls() == 1
    stats = (await gecko.http.get(f"{gecko.base}/sandbox/stats")).json()
    assert stats["recent"][0]["api_key"], "the key travels as x-cg-demo-api-key"


@pytest.mark.parametrize(("days", "count"), [(1, 289), (7, 169), (30, 721), (365, 366)])
async def test_history_for_each_period(gecko: Gecko, days: int, count: int) -> None:
    history = await gecko.adapter.history("eur", days)
    assert (history.vs_currency, history.days, len(history.points)) == ("eur", days, count)
    times = [p.at for p in history.points]
    assert times == sorted(times)
    assert (times[-1] - times[0]).days in (days - 1, days)
    assert history.low <= history.points[-1].price <= history.high


async def test_500_is_retried_with_backoff_then_reported(gecko: Gecko) -> None:
    await gecko.fail(mode="500")
    with pytest.raises(MarketDataUnavailable) as failure:
        await gecko.adapter.spot(["usd"])
    assert failure.value.reason == "http_500"
    assert await gecko.calls() == 3
    assert gecko.waits == [0.5, 1.0]


async def test_500_once_then_success(gecko: Gecko) -> None:
    await gecko.fail(mode="500", count=1)
    prices = await gecko.adapter.spot(["usd"])
    assert "usd" in prices.prices
    assert await gecko.calls() == 2


async def test_429_with_short_retry_after_is_retried_after_it(gecko: Gecko) -> None:
    await gecko.fail(mode="429", retry_after=2, count=1)
    history = await gecko.adapter.history("usd", 7)
    assert history.points
    assert gecko.waits == [2.0]


async def test_429_with_long_retry_after_is_reported_with_it(gecko: Gecko) -> None:
    await gecko.fail(mode="429", retry_after=119)
    with pytest.raises(MarketDataUnavailable) as failure:
        await gecko.adapter.spot(["usd"])
    assert (failure.value.reason, failure.value.retry_after_s) == ("rate_limited", 119.0)
    assert await gecko.calls() == 1, "no retry against a long Retry-After"


async def test_timeout_is_reported_at_once(gecko: Gecko) -> None:
    await gecko.fail(mode="timeout")
    async with httpx.AsyncClient(timeout=httpx.Timeout(0.2)) as quick:
        adapter = CoinGecko(f"{gecko.base}/api/v3", quick)
        with pytest.raises(MarketDataUnavailable) as failure:
            await adapter.history("usd", 1)
    assert failure.value.reason == "timeout"
    await gecko.http.post(f"{gecko.base}/sandbox/reset")


@pytest.mark.parametrize("call", ["spot", "history"])
@pytest.mark.parametrize(("mode", "reason"), [("malformed", "malformed"), ("empty", "empty")])
async def test_malformed_and_empty_answers(
    gecko: Gecko, call: str, mode: str, reason: str
) -> None:
    await gecko.fail(mode=mode)
    request = gecko.adapter.spot(["usd"]) if call == "spot" else gecko.adapter.history("usd", 30)
    with pytest.raises(MarketDataUnavailable) as failure:
        await request
    assert failure.value.reason == reason


async def test_unknown_currency_is_a_client_error_not_retried(gecko: Gecko) -> None:
    with pytest.raises(MarketDataUnavailable) as failure:
        await gecko.adapter.history("xyz", 1)
    assert failure.value.reason == "http_400"
    assert await gecko.calls() == 1


@pytest.mark.parametrize(
    "body",
    [
        b'{"ripple": {"usd": "0.5", "last_updated_at": 1}}',
        b'{"ripple": {"usd": true, "last_updated_at": 1}}',
        b'{"ripple": []}',
        b"[]",
        b'{"ripple": {"usd": 0.5}}',
    ],
)
async def test_wrong_shapes_are_malformed(body: bytes) -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=body))
    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(MarketDataUnavailable):
            await CoinGecko("http://cg/api/v3", client).spot(["usd"])


async def test_prices_are_parsed_as_decimals_not_floats() -> None:
    body = b'{"ripple": {"usd": 0.1234567890123456789, "last_updated_at": 1763726400}}'
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=body))
    async with httpx.AsyncClient(transport=transport) as client:
        prices = await CoinGecko("http://cg/api/v3", client).spot(["usd"])
    assert prices.prices["usd"].price == Decimal("0.1234567890123456789")


async def test_pro_key_goes_in_the_pro_header() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"prices": [[1763726400000, 0.5]]})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        await CoinGecko("https://pro-api.coingecko.com/api/v3", client, "k").history("usd", 1)
    assert seen[0].headers["x-cg-pro-api-key"] == "k"
    assert "x-cg-demo-api-key" not in seen[0].headers


def test_retry_after_seconds_and_http_dates() -> None:
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert parse_retry_after("119", now) == 119.0
    assert parse_retry_after("Sat, 21 Nov 2026 12:01:00 GMT", now) == 60.0
    assert parse_retry_after("Sat, 21 Nov 2026 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


async def _spot_of(body: bytes) -> Any:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=body))
    async with httpx.AsyncClient(transport=transport) as client:
        return await CoinGecko("http://cg/api/v3", client).spot(["usd", "eur"])


async def _history_of(body: bytes) -> Any:
    transport = httpx.MockTransport(lambda _: httpx.Response(200, content=body))
    async with httpx.AsyncClient(transport=transport) as client:
        return await CoinGecko("http://cg/api/v3", client).history("usd", 1)


@pytest.mark.parametrize(
    "usd",
    ["0", "0.0", "-0.5", "1e999", "1e-30", "2e9"],
)
async def test_a_spot_price_that_is_no_data_makes_the_answer_malformed(usd: str) -> None:
    body = f'{{"ripple": {{"usd": {usd}, "eur": 0.45, "last_updated_at": 1763726400}}}}'
    with pytest.raises(MarketDataUnavailable) as failure:
        await _spot_of(body.encode())
    assert failure.value.reason == "malformed"


@pytest.mark.parametrize("at", ["-1", "0", "1e20", "99999999999999999999", "4102444800", "1.5e9"])
async def test_a_spot_time_that_is_not_plausible_makes_the_answer_malformed(at: str) -> None:
    body = f'{{"ripple": {{"usd": 0.5, "last_updated_at": {at}}}}}'
    if at == "1.5e9":  # a plausible time written as a float is fine
        prices = await _spot_of(body.encode())
        assert prices.prices["usd"].as_of == datetime.fromtimestamp(1_500_000_000, UTC)
        return
    with pytest.raises(MarketDataUnavailable) as failure:
        await _spot_of(body.encode())
    assert failure.value.reason == "malformed"


@pytest.mark.parametrize("change", ["1e999", "-100", "-250.5", "1e7"])
async def test_an_absurd_24h_change_is_unknown(change: str) -> None:
    body = (
        f'{{"ripple": {{"usd": 0.5, "usd_24h_change": {change}, "last_updated_at": 1763726400}}}}'
    )
    prices = await _spot_of(body.encode())
    assert prices.prices["usd"].price == Decimal("0.5")
    assert prices.prices["usd"].change_24h_pct is None


async def test_history_points_that_are_no_data_are_left_out() -> None:
    body = (
        b'{"prices": [[1763726400000, 0.5], [1763726700000, 0], [1763727000000, -1], '
        b'[99999999999999999999999, 0.5], ["x", 0.5], [1763727300000], [1763727600000, 0.52]]}'
    )
    history = await _history_of(body)
    assert [p.price for p in history.points] == [Decimal("0.5"), Decimal("0.52")]
    assert history.low == Decimal("0.5")


@pytest.mark.parametrize(
    "body", [b'{"prices": [[1763726400000, 0]]}', b'{"prices": {"a": 1}}', b'{"prices": [1]}']
)
async def test_a_history_with_no_usable_point_is_malformed(body: bytes) -> None:
    with pytest.raises(MarketDataUnavailable) as failure:
        await _history_of(body)
    assert failure.value.reason == "malformed"
