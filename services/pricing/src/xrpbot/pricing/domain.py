"""Pricing domain: spot quotes, histories, the cache's freshness rules, retry backoff. Pure: no I/O.

Prices are `Decimal` in the currency named beside them; times are tz-aware UTC; durations are
seconds (`*_s`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final

__all__ = [
    "HISTORY_DAYS",
    "HISTORY_TTL_S",
    "MAX_CHANGE_PCT",
    "MAX_HISTORY_POINTS",
    "MAX_PRICE",
    "MIN_PRICE",
    "SPOT_KEY",
    "CacheAction",
    "CacheEntry",
    "PriceHistory",
    "PricePoint",
    "SpotPrice",
    "SpotPrices",
    "backoff_s",
    "downsample",
    "history_key",
    "usable_change",
    "usable_price",
]

HISTORY_DAYS: Final[Mapping[str, int]] = {"1d": 1, "7d": 7, "30d": 30, "1y": 365}
"""Days of history per period (the `days` parameter of CoinGecko's market_chart)."""

HISTORY_TTL_S: Final[Mapping[int, float]] = {1: 300.0, 7: 900.0, 30: 1800.0, 365: 3600.0}
"""How long a history stays fresh, by days: about a few of its points' spacing."""

MAX_HISTORY_POINTS: Final = 240
"""At most this many points go into a reply (a phone-sized chart needs no more)."""

SPOT_KEY: Final = "spot"
"""Cache key of the spot prices (every served fiat currency, fetched in one call)."""


MIN_PRICE: Final = Decimal("1e-9")
"""The lowest price of 1 XRP in a fiat currency taken as data."""
MAX_PRICE: Final = Decimal("1e9")
"""The highest price of 1 XRP in a fiat currency taken as data."""
MAX_CHANGE_PCT: Final = Decimal("1e6")
"""The largest 24-hour rise in percent taken as data (a fall is above -100 %)."""


def usable_price(price: Decimal) -> bool:
    """True when `price` (of 1 XRP, in a fiat currency) is data: finite, within [`MIN_PRICE`,
    `MAX_PRICE`]. A price of 0, a negative one or an absurd magnitude is "no data" (the
    gateway's `fiat_rates` holds only prices above 0)."""
    return price.is_finite() and MIN_PRICE <= price <= MAX_PRICE


def usable_change(change_pct: Decimal) -> bool:
    """True when a 24-hour change in percent is data: finite, above -100, at most
    `MAX_CHANGE_PCT`."""
    return change_pct.is_finite() and Decimal(-100) < change_pct <= MAX_CHANGE_PCT


def history_key(vs_currency: str, days: int) -> str:
    """Cache key of a history: ``history:<currency>:<days>``, e.g. ``history:usd:7``."""
    return f"history:{vs_currency}:{days}"


@dataclass(frozen=True, slots=True)
class SpotPrice:
    """XRP's price in one fiat currency.

    Attributes:
        vs_currency: lower-case fiat code ("usd").
        price: price of 1 XRP in that currency.
        change_24h_pct: change over 24 hours in percent, if known.
        as_of: when the source last updated it (UTC).
    """

    vs_currency: str
    price: Decimal
    change_24h_pct: Decimal | None
    as_of: datetime


@dataclass(frozen=True, slots=True)
class SpotPrices:
    """XRP's spot price in several fiat currencies, from one answer of the source.

    Attributes:
        prices: by lower-case currency code.
    """

    prices: Mapping[str, SpotPrice]

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (decimals as strings, times as ISO 8601) for the cache."""
        return {
            "prices": {
                code: {
                    "price": str(p.price),
                    "change_24h_pct": None if p.change_24h_pct is None else str(p.change_24h_pct),
                    "as_of": p.as_of.isoformat(),
                }
                for code, p in self.prices.items()
            }
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SpotPrices:
        """The inverse of `to_json`."""
        return cls(
            {
                code: SpotPrice(
                    vs_currency=code,
                    price=Decimal(p["price"]),
                    change_24h_pct=None
                    if p.get("change_24h_pct") is None
                    else Decimal(p["change_24h_pct"]),
                    as_of=datetime.fromisoformat(p["as_of"]),
                )
                for code, p in data["prices"].items()
            }
        )


@dataclass(frozen=True, slots=True)
class PricePoint:
    """One point of a history: the price of 1 XRP at a time (UTC)."""

    at: datetime
    price: Decimal


@dataclass(frozen=True, slots=True)
class PriceHistory:
    """XRP's price over the last `days` days in one currency, oldest first.

    Attributes:
        vs_currency: lower-case fiat code.
        days: how many days back it reaches.
        points: at least one point, in time order.
    """

    vs_currency: str
    days: int
    points: tuple[PricePoint, ...]

    def __post_init__(self) -> None:
        if not self.points:
            raise ValueError("a price history needs at least one point")

    @property
    def as_of(self) -> datetime:
        """Time of the last point."""
        return self.points[-1].at

    @property
    def high(self) -> Decimal:
        """The highest price in the history."""
        return max(p.price for p in self.points)

    @property
    def low(self) -> Decimal:
        """The lowest price in the history."""
        return min(p.price for p in self.points)

    def ending_with(self, spot: SpotPrice | None) -> PriceHistory:
        """This history with `spot` appended when it is newer than the last point, so the
        chart's last point is the price the message shows."""
        if spot is None or spot.vs_currency != self.vs_currency or spot.as_of <= self.as_of:
            return self
        return PriceHistory(
            self.vs_currency, self.days, (*self.points, PricePoint(spot.as_of, spot.price))
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict for the cache."""
        return {
            "vs_currency": self.vs_currency,
            "days": self.days,
            "points": [[p.at.isoformat(), str(p.price)] for p in self.points],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PriceHistory:
        """The inverse of `to_json`."""
        return cls(
            vs_currency=data["vs_currency"],
            days=int(data["days"]),
            points=tuple(
                PricePoint(datetime.fromisoformat(at), Decimal(price))
                for at, price in data["points"]
            ),
        )


def downsample(points: Sequence[PricePoint], max_points: int) -> tuple[PricePoint, ...]:
    """At most `max_points` points that keep the series' shape and its extremes.

    The series is cut into `max_points // 2` stretches; each keeps its lowest and highest point
    (in time order), so the chart still reaches the period's high and low. The first and last
    points are always kept.

    Args:
        points: in time order.
        max_points: at least 4.
    """
    if max_points < 4:
        raise ValueError("max_points must be at least 4")
    if len(points) <= max_points:
        return tuple(points)
    first, last, inner = points[0], points[-1], points[1:-1]
    buckets = (max_points - 2) // 2
    size = len(inner) / buckets
    kept: list[PricePoint] = [first]
    for b in range(buckets):
        stretch = inner[round(b * size) : round((b + 1) * size)]
        if not stretch:
            continue
        low = min(range(len(stretch)), key=lambda i: stretch[i].price)
        high = max(range(len(stretch)), key=lambda i: stretch[i].price)
        kept.extend(stretch[i] for i in sorted({low, high}))
    kept.append(last)
    return tuple(kept)


class CacheAction(Enum):
    """What to do with a cache entry, at a given time."""

    FRESH = "fresh"
    """Serve it: it is within its TTL."""
    REFRESH = "refresh"
    """Nobody is fetching it and it may be fetched: try to claim the refresh."""
    WAIT = "wait"
    """Someone (maybe another replica) is fetching it now: wait for the result."""
    STALE = "stale"
    """The last fetch failed and the source is left alone for a while: serve what is there."""


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One key of the market-data cache, as stored.

    Attributes:
        key: e.g. "spot", "history:usd:7".
        payload: the cached value as JSON, or None if nothing was ever fetched.
        fetched_at: when the payload was fetched (UTC).
        fresh_until: the payload is served without asking the source until then.
        next_fetch_at: nobody asks the source for this key before then: the end of the TTL
            after a success, of the backoff after a failure, or of the current fetch's lease.
        refreshing: a fetch was claimed and has not finished (its lease ends at next_fetch_at).
        last_error: why the last fetch failed, if it did.
    """

    key: str
    payload: Mapping[str, Any] | None
    fetched_at: datetime | None
    fresh_until: datetime
    next_fetch_at: datetime
    refreshing: bool
    last_error: str | None = None

    def action(self, now: datetime) -> CacheAction:
        """What to do with this entry at `now` (the database's clock, shared by replicas)."""
        if self.payload is not None and now < self.fresh_until:
            return CacheAction.FRESH
        if now >= self.next_fetch_at:
            return CacheAction.REFRESH
        if self.refreshing:
            return CacheAction.WAIT
        return CacheAction.STALE


def backoff_s(
    attempt: int, *, retry_after_s: float | None, base_s: float = 0.5, cap_s: float = 8.0
) -> float:
    """Seconds to wait before retry number `attempt` (1 = the first retry).

    Honours the server's Retry-After when given; otherwise doubles from `base_s` up to `cap_s`.
    """
    if retry_after_s is not None:
        return max(0.0, retry_after_s)
    return float(min(cap_s, base_s * 2.0 ** (attempt - 1)))
