"""Pricing use case against fakes: fresh price, last known price when the source fails, nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from xrpbot.pricing import use_cases
from xrpbot.pricing.adapters.coingecko import CoinGecko
from xrpbot.pricing.domain import SpotPrice
from xrpbot.pricing.ports import MarketDataUnavailable
from xrpbot.pricing.use_cases import PricingDeps
from xrpbot.schemas import Actor, ErrorCode, GetPrices, PriceReported, PricingFailed

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


class FakeMarket:
    def __init__(self) -> None:
        self.price: SpotPrice | None = SpotPrice("usd", Decimal("0.5123"), Decimal("-1.5"), NOW)

    async def spot(self, vs_currency: str) -> SpotPrice:
        if self.price is None:
            raise MarketDataUnavailable("down")
        return self.price


class FakeUow:
    def __init__(self, saved: dict[str, SpotPrice], inbox: set[Any], out: list[Any]) -> None:
        self.saved, self.inbox, self.out = saved, inbox, out
        self.prices = self

    async def last(self, vs_currency: str) -> SpotPrice | None:
        return self.saved.get(vs_currency)

    async def save(self, price: SpotPrice) -> None:
        self.saved[price.vs_currency] = price

    async def __aenter__(self) -> FakeUow:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def claim(self, message: Any) -> bool:
        if message.event_id in self.inbox:
            return False
        self.inbox.add(message.event_id)
        return True

    async def reply(self, message: Any) -> None:
        self.out.append(message)

    async def commit(self) -> None:
        return None


@pytest.fixture
def setup() -> tuple[FakeMarket, list[Any], PricingDeps]:
    market, saved, inbox, out = FakeMarket(), {}, set(), []  # type: ignore[var-annotated]
    deps = PricingDeps(new_uow=lambda: FakeUow(saved, inbox, out), market=market)  # type: ignore[arg-type,return-value]
    return market, out, deps


async def test_reports_fresh_price_then_last_known_when_source_fails(setup: Any) -> None:
    market, out, deps = setup
    cmd = GetPrices.new(user=Actor(telegram_id=1), chat_id=1)
    await use_cases.get_prices(cmd, deps)
    market.price = None
    await use_cases.get_prices(GetPrices.new(user=Actor(telegram_id=1), chat_id=1), deps)
    fresh, stale = out
    assert isinstance(fresh, PriceReported)
    assert fresh.price == Decimal("0.5123")
    assert isinstance(stale, PriceReported)
    assert stale.as_of == NOW, "the stale answer carries its age"


async def test_nothing_known_is_prices_unavailable(setup: Any) -> None:
    market, out, deps = setup
    market.price = None
    await use_cases.get_prices(
        GetPrices.new(user=Actor(telegram_id=1), chat_id=1, vs_currency="eur"), deps
    )
    (reply,) = out
    assert isinstance(reply, PricingFailed)
    assert reply.code is ErrorCode.PRICES_UNAVAILABLE


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, b"{}"), (429, b'{"status":{"error_code":429}}'), (200, b"{not json"), (200, b"{}")],
)
async def test_coingecko_adapter_turns_any_failure_into_unavailable(
    status: int, body: bytes
) -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(status, content=body))
    async with httpx.AsyncClient(transport=transport) as client:
        with pytest.raises(MarketDataUnavailable):
            await CoinGecko("http://cg/api/v3", client).spot("usd")


async def test_coingecko_adapter_parses_simple_price() -> None:
    body = {"ripple": {"usd": 0.52, "usd_24h_change": -1.23, "last_updated_at": 1763726400}}
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=body)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        price = await CoinGecko("http://cg/api/v3", client, api_key="k").spot("usd")
    assert price.price == Decimal("0.52")
    assert price.change_24h_pct == Decimal("-1.23")
    assert seen[0].headers["x-cg-demo-api-key"] == "k"
    assert seen[0].url.params["ids"] == "ripple"
