"""Pricing domain rules: the cache's decisions, downsampling, backoff, JSON round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from xrpbot.pricing.domain import (
    CacheAction,
    CacheEntry,
    PriceHistory,
    PricePoint,
    SpotPrice,
    SpotPrices,
    backoff_s,
    downsample,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def entry(
    *, payload: bool = True, fresh_s: float = -1, next_s: float = -1, refreshing: bool = False
) -> CacheEntry:
    return CacheEntry(
        "spot",
        {"x": 1} if payload else None,
        NOW if payload else None,
        NOW + timedelta(seconds=fresh_s),
        NOW + timedelta(seconds=next_s),
        refreshing,
    )


@pytest.mark.parametrize(
    ("cached", "action"),
    [
        (entry(fresh_s=10, next_s=10), CacheAction.FRESH),
        (entry(), CacheAction.REFRESH),
        (entry(payload=False), CacheAction.REFRESH),
        (entry(next_s=20, refreshing=True), CacheAction.WAIT),
        (entry(payload=False, next_s=20, refreshing=True), CacheAction.WAIT),
        (entry(next_s=20), CacheAction.STALE),  # backing off after a failure
        (entry(payload=False, next_s=20), CacheAction.STALE),
        (entry(next_s=-1, refreshing=True), CacheAction.REFRESH),  # the lease ran out
    ],
)
def test_cache_actions(cached: CacheEntry, action: CacheAction) -> None:
    assert cached.action(NOW) is action


def series(prices: list[int]) -> list[PricePoint]:
    return [PricePoint(NOW + timedelta(hours=i), Decimal(p)) for i, p in enumerate(prices)]


def test_downsample_keeps_short_series_whole() -> None:
    points = series([1, 2, 3])
    assert downsample(points, 10) == tuple(points)


def test_downsample_keeps_extremes_ends_and_order() -> None:
    prices = [100 + (i * 37) % 23 for i in range(1000)]
    prices[500], prices[777] = 1, 999
    points = series(prices)
    kept = downsample(points, 100)
    assert len(kept) <= 100
    assert kept[0] == points[0]
    assert kept[-1] == points[-1]
    assert [p.at for p in kept] == sorted(p.at for p in kept)
    assert min(p.price for p in kept) == 1
    assert max(p.price for p in kept) == 999


def test_downsample_needs_room() -> None:
    with pytest.raises(ValueError, match="at least 4"):
        downsample(series([1, 2]), 3)


def test_history_high_low_and_ending_with_spot() -> None:
    history = PriceHistory("usd", 1, tuple(series([5, 9, 2, 4])))
    assert (history.high, history.low, history.as_of) == (9, 2, NOW + timedelta(hours=3))
    later = SpotPrice("usd", Decimal(10), None, NOW + timedelta(hours=4))
    assert history.ending_with(later).points[-1].price == 10
    assert history.ending_with(later).high == 10
    older = SpotPrice("usd", Decimal(10), None, NOW)
    assert history.ending_with(older) == history
    assert history.ending_with(SpotPrice("eur", Decimal(1), None, NOW + timedelta(days=1))) == (
        history
    )


def test_history_needs_a_point() -> None:
    with pytest.raises(ValueError, match="at least one point"):
        PriceHistory("usd", 1, ())


def test_json_round_trips_keep_decimals_exact() -> None:
    spot = SpotPrices({"usd": SpotPrice("usd", Decimal("0.123456789012345678"), None, NOW)})
    assert SpotPrices.from_json(spot.to_json()) == spot
    history = PriceHistory("eur", 7, tuple(series([1, 2])))
    assert PriceHistory.from_json(history.to_json()) == history


def test_backoff_doubles_to_a_cap_and_honours_retry_after() -> None:
    assert [backoff_s(n, retry_after_s=None) for n in (1, 2, 3, 4, 5, 6)] == [
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        8.0,
    ]
    assert backoff_s(1, retry_after_s=3) == 3.0
