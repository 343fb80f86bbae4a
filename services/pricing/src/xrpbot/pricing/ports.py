"""What the pricing use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from xrpbot.runtime.ports import Transaction

from .domain import CacheEntry, PriceHistory, SpotPrices

__all__ = ["MarketCache", "MarketData", "MarketDataUnavailable", "UnitOfWork"]


class MarketDataUnavailable(Exception):
    """The market-data API failed, timed out, rate-limited us or answered nonsense.

    Args:
        reason: short machine-readable reason ("http_500", "rate_limited", "timeout",
            "malformed", "empty", ...), for logs and the cache's last_error.
        retry_after_s: how long the source asked us to stay away (429 Retry-After), if it did.
    """

    def __init__(self, reason: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after_s = retry_after_s


class MarketData(Protocol):
    """A source of XRP prices (CoinGecko)."""

    async def spot(self, vs_currencies: Sequence[str]) -> SpotPrices:
        """XRP's current price in each of `vs_currencies`, in one request.

        Raises:
            MarketDataUnavailable: on any failure of the source, or an answer without prices.
        """
        ...

    async def history(self, vs_currency: str, days: int) -> PriceHistory:
        """XRP's prices over the last `days` days in `vs_currency`, oldest first.

        Raises:
            MarketDataUnavailable: on any failure of the source, or an empty series.
        """
        ...


class MarketCache(Protocol):
    """The shared market-data cache in the pricing schema: one row per key, seen by every
    replica. A refresh is claimed by at most one caller per key at a time (a lease), so
    concurrent requests make one upstream call."""

    async def read(self, key: str) -> tuple[CacheEntry | None, datetime]:
        """The entry for `key` (None if never seen) and the database's current time (UTC)."""
        ...

    async def claim(self, key: str, *, lease_s: float) -> UUID | None:
        """Claim the right to fetch `key` now, for at most `lease_s` seconds.

        Succeeds only when nobody may be fetching it and its TTL or backoff is over
        (`next_fetch_at` has passed); atomic across replicas.

        Returns:
            a token to pass to `store` / `failed`, or None when someone else holds the claim
            or the entry needs no fetch.
        """
        ...

    async def store(
        self, key: str, token: UUID, payload: Mapping[str, Any], *, ttl_s: float
    ) -> None:
        """Save a fresh payload; it is served without a fetch for `ttl_s` seconds. Ends the
        claim `token`."""
        ...

    async def failed(self, key: str, token: UUID, *, error: str, retry_in_s: float) -> None:
        """Record a failed fetch; nobody asks the source for `key` for `retry_in_s` seconds.
        Ends the claim `token`; the last payload stays."""
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the pricing schema: market cache + inbox + outbox."""

    @property
    def cache(self) -> MarketCache:
        """The market-data cache, on this transaction."""
        ...
