"""PgMarketCache on a real Postgres: migrations, and coalescing across replicas.

Two pools stand for two pricing replicas; 100 concurrent GetPrices spread over them make one
upstream call per cache key.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio
from yoyo import get_backend, read_migrations

from xrpbot.pricing import use_cases
from xrpbot.pricing.adapters.postgres import PricingUnitOfWork
from xrpbot.pricing.app import MIGRATIONS
from xrpbot.pricing.domain import CacheAction, SpotPrices
from xrpbot.pricing.ports import MarketDataUnavailable
from xrpbot.pricing.use_cases import CachePolicy, PricingDeps
from xrpbot.runtime.db import create_pool
from xrpbot.runtime.migrations import Migrations
from xrpbot.schemas import Actor, GetPrices, PricePeriod, PriceReported, PricingFailed

from ..conftest import Clock, FakeMarket  # type: ignore[import-not-found]

pytestmark = pytest.mark.integration


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


@pytest_asyncio.fixture
async def pools(servers: dict[str, str]) -> AsyncIterator[list[asyncpg.Pool[Any]]]:
    """Two pools on a migrated throwaway database: two pricing replicas."""
    name = f"xrpbot_pricing_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_with_path(servers["postgres"], "/postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_path(servers["postgres"], f"/{name}")
    pools: list[asyncpg.Pool[Any]] = []
    try:
        migrations = Migrations(url, "pricing", MIGRATIONS)
        await asyncio.to_thread(migrations.apply)
        for replica in range(2):
            pool = await create_pool(url, schema="pricing", application_name=f"pricing-{replica}")
            pools.append(pool)
        assert await migrations.at_head(pools[0])
        yield pools
    finally:
        for pool in pools:
            await pool.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def replica(pool: asyncpg.Pool[Any], market: FakeMarket, **policy: float) -> PricingDeps:
    async def sleep(seconds: float) -> None:
        await asyncio.sleep(0.005)  # a short real wait: other tasks and the database move on

    return PricingDeps(
        new_uow=lambda: PricingUnitOfWork(pool, "pricing.get_prices", lambda: None),
        market=market,
        policy=CachePolicy(**policy),
        sleep=sleep,
    )


def ask(user: int, currency: str = "usd", period: PricePeriod = PricePeriod.WEEK) -> GetPrices:
    return GetPrices.new(
        user=Actor(telegram_id=user), chat_id=user, vs_currency=currency, period=period
    )


async def replies(pool: asyncpg.Pool[Any]) -> list[Any]:
    rows = await pool.fetch("SELECT body FROM outbox WHERE routing_key = 'pricing.price_reported'")
    return [PriceReported.model_validate_json(r["body"]) for r in rows]


async def test_hundred_concurrent_requests_on_two_replicas_make_one_call_per_key(
    pools: list[asyncpg.Pool[Any]],
) -> None:
    market = FakeMarket(Clock())
    market.gate = asyncio.Event()
    replicas = [replica(pool, market) for pool in pools]
    tasks = [
        asyncio.create_task(use_cases.get_prices(ask(i), replicas[i % 2])) for i in range(100)
    ]
    async with asyncio.timeout(30):
        await market.called(2)
        await asyncio.sleep(0.2)  # let the others pile up on the claimed keys
        market.gate.set()
        await asyncio.gather(*tasks)
    assert sorted(c[0] for c in market.calls) == ["history", "spot"]
    answers = await replies(pools[0])
    assert len(answers) == 100
    assert all(not a.stale and a.history for a in answers)
    events = await pools[0].fetchval(
        "SELECT count(*) FROM outbox WHERE routing_key = 'pricing.spot_refreshed'"
    )
    assert events == 1, "one refresh, one event"


async def test_failure_serves_stale_then_backs_off(pools: list[asyncpg.Pool[Any]]) -> None:
    market = FakeMarket(Clock())
    deps = replica(pools[0], market, spot_ttl_s=0.001, failure_backoff_s=3600)
    await use_cases.get_prices(ask(1, "eur", PricePeriod.DAY), deps)
    market.failure = MarketDataUnavailable("http_500")
    await pools[0].execute("UPDATE market_cache SET fresh_until = now(), next_fetch_at = now()")
    await use_cases.get_prices(ask(2, "eur", PricePeriod.DAY), deps)
    await use_cases.get_prices(ask(3, "eur", PricePeriod.DAY), deps)
    assert len(market.calls) == 4, "two keys, fetched, failed, then left alone"
    fresh, stale, staler = await replies(pools[0])
    assert not fresh.stale
    assert stale.stale
    assert staler.stale
    assert stale.price == fresh.price
    assert stale.as_of == fresh.as_of
    row = await pools[0].fetchrow(
        "SELECT last_error, refresh_token FROM market_cache WHERE key = 'spot'"
    )
    assert row is not None
    assert (row["last_error"], row["refresh_token"]) == ("http_500", None)


async def test_nothing_known_is_unavailable(pools: list[asyncpg.Pool[Any]]) -> None:
    market = FakeMarket(Clock())
    market.failure = MarketDataUnavailable("timeout")
    await use_cases.get_prices(ask(1), replica(pools[1], market))
    body = await pools[1].fetchval("SELECT body FROM outbox")
    assert PricingFailed.model_validate_json(body).code == "prices_unavailable"


async def test_a_claim_whose_lease_ran_out_is_taken_over(pools: list[asyncpg.Pool[Any]]) -> None:
    async with PricingUnitOfWork(pools[0], "t", lambda: None) as uow:
        first = await uow.cache.claim("spot", lease_s=3600)
        assert first is not None
        assert await uow.cache.claim("spot", lease_s=3600) is None
        await uow.commit()
    await pools[0].execute("UPDATE market_cache SET next_fetch_at = now() - interval '1 s'")
    async with PricingUnitOfWork(pools[1], "t", lambda: None) as uow:
        second = await uow.cache.claim("spot", lease_s=30)
        assert second not in (None, first)
        await uow.cache.failed(
            "spot", first, error="late", retry_in_s=60
        )  # ignored: not its claim
        entry, _ = await uow.cache.read("spot")
        assert entry is not None
        assert entry.refreshing
        await uow.commit()


async def test_migration_keeps_last_known_spot_prices(servers: dict[str, str]) -> None:
    name = f"xrpbot_pricing_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_with_path(servers["postgres"], "/postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_path(servers["postgres"], f"/{name}")
    migrations = Migrations(url, "pricing", MIGRATIONS)
    try:
        conn = await asyncpg.connect(url)
        await conn.execute("CREATE SCHEMA pricing")
        await conn.close()
        backend = get_backend(migrations._yoyo_url())
        try:  # the schema as the previous release left it: every migration but the cache's
            everything = read_migrations(*(str(d) for d in migrations.directories))
            with backend.lock():
                backend.apply_migrations(
                    backend.to_apply(everything.filter(lambda m: m.id != "0002_market_cache"))
                )
        finally:
            backend.connection.close()
        conn = await asyncpg.connect(url)
        try:
            await conn.execute(
                "INSERT INTO pricing.spot_prices (vs_currency, price, change_24h_pct, as_of) "
                "VALUES ('usd', 0.5123, -1.5, '2026-11-21T12:00:00Z'), "
                "('eur', 0.47, NULL, '2026-11-21T12:00:00Z')"
            )
        finally:
            await conn.close()
        assert await asyncio.to_thread(migrations.apply) == ["0002_market_cache"]
        pool = await create_pool(url, schema="pricing", application_name="pricing-test")
        try:
            async with PricingUnitOfWork(pool, "t", lambda: None) as uow:
                entry, now = await uow.cache.read("spot")
            assert entry is not None
            assert entry.action(now) is CacheAction.REFRESH, "stale: refetched on first use"
            prices = SpotPrices.from_json(entry.payload or {})
            assert str(prices.prices["usd"].price) == "0.5123"
            assert prices.prices["eur"].change_24h_pct is None
            assert prices.prices["usd"].as_of.isoformat() == "2026-11-21T12:00:00+00:00"
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
