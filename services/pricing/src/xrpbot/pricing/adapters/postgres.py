"""Postgres adapters of the pricing service: the shared market-data cache (`market_cache`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from xrpbot.runtime.db import Conn
from xrpbot.runtime.uow import PgUnitOfWork

from ..domain import CacheEntry

__all__ = ["PgMarketCache", "PricingUnitOfWork"]


class PgMarketCache:
    """`ports.MarketCache` on `pricing.market_cache` (migrations/0002_market_cache.sql).

    Times come from the database's clock (`now()`), the one clock every replica shares.
    """

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def read(self, key: str) -> tuple[CacheEntry | None, datetime]:
        row = await self.conn.fetchrow(
            "SELECT now() AS db_now, c.* FROM (SELECT 1) AS one "
            "LEFT JOIN market_cache c ON c.key = $1",
            key,
        )
        assert row is not None  # noqa: S101  the LEFT JOIN always yields one row
        if row["key"] is None:
            return None, row["db_now"]
        entry = CacheEntry(
            key=row["key"],
            payload=row["payload"],
            fetched_at=row["fetched_at"],
            fresh_until=row["fresh_until"],
            next_fetch_at=row["next_fetch_at"],
            refreshing=row["refresh_token"] is not None,
            last_error=row["last_error"],
        )
        return entry, row["db_now"]

    async def claim(self, key: str, *, lease_s: float) -> UUID | None:
        # one statement: a concurrent claimer waits on the row lock, then re-checks the WHERE
        # against the committed row and finds next_fetch_at in the future (READ COMMITTED)
        token = uuid4()
        claimed = await self.conn.fetchval(
            "INSERT INTO market_cache (key, next_fetch_at, refresh_token) "
            "VALUES ($1, now() + make_interval(secs => $2), $3) "
            "ON CONFLICT (key) DO UPDATE SET next_fetch_at = EXCLUDED.next_fetch_at, "
            "refresh_token = EXCLUDED.refresh_token "
            "WHERE market_cache.next_fetch_at <= now() "
            "RETURNING refresh_token",
            key,
            lease_s,
            token,
        )
        return token if claimed == token else None

    async def store(
        self, key: str, token: UUID, payload: Mapping[str, Any], *, ttl_s: float
    ) -> None:
        await self.conn.execute(
            "UPDATE market_cache SET payload = $2::jsonb, fetched_at = now(), "
            "fresh_until = now() + make_interval(secs => $3), "
            "next_fetch_at = now() + make_interval(secs => $3), "
            "refresh_token = NULL, last_error = NULL WHERE key = $1",
            key,
            dict(payload),
            ttl_s,
        )

    async def failed(self, key: str, token: UUID, *, error: str, retry_in_s: float) -> None:
        # a claim that outlived its lease may have been taken over: leave the new one alone
        await self.conn.execute(
            "UPDATE market_cache SET next_fetch_at = now() + make_interval(secs => $3), "
            "refresh_token = NULL, last_error = $4, failed_at = now() "
            "WHERE key = $1 AND refresh_token = $2",
            key,
            token,
            retry_in_s,
            error,
        )


class PricingUnitOfWork(PgUnitOfWork):
    """The pricing unit of work: market cache + inbox + outbox in one transaction."""

    cache: PgMarketCache

    def bind(self) -> None:
        self.cache = PgMarketCache(self.conn)
