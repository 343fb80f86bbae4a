"""Pricing use cases: answer GetPrices from the shared cache, refresh spot prices on a schedule.

Every upstream call goes through `lookup`, which coalesces: for one cache key, however many
requests arrive at once on however many replicas, one of them claims the refresh (a row lease
in Postgres) and calls CoinGecko; the others wait for its result, or get the last known data
when the call failed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from xrpbot.schemas import (
    FIAT_CURRENCIES,
    Actor,
    Envelope,
    ErrorCode,
    FiatPrice,
    GetPrices,
    PricePoint,
    PriceReported,
    PricingFailed,
    SpotPricesRefreshed,
)

from .domain import (
    HISTORY_DAYS,
    HISTORY_TTL_S,
    MAX_HISTORY_POINTS,
    SPOT_KEY,
    CacheAction,
    PriceHistory,
    SpotPrice,
    SpotPrices,
    downsample,
    history_key,
)
from .ports import MarketData, MarketDataUnavailable, UnitOfWork

__all__ = ["CachePolicy", "Lookup", "PricingDeps", "get_prices", "lookup", "refresh_spot"]

log = logging.getLogger(__name__)

SYSTEM_ACTOR = Actor(telegram_id=0, first_name="pricing")
"""The `user` of events pricing publishes on its own schedule (no user asked)."""


@dataclass(frozen=True)
class CachePolicy:
    """How long market data stays fresh, and how hard the source is asked (seconds).

    Attributes:
        spot_ttl_s: spot prices are served from the cache this long (CoinGecko refreshes
            simple/price every 60 s on the public API).
        lease_s: a claimed refresh is someone else's to take over after this long; longer
            than a whole fetch with its retries. Waiters give up waiting after it too.
        failure_backoff_s: after a failed fetch, the source is left alone this long.
        max_backoff_s: cap on a 429's Retry-After.
        poll_s: first wait between looks at a key another caller is refreshing (doubles).
        max_poll_s: longest wait between two looks.
    """

    spot_ttl_s: float = 60.0
    lease_s: float = 30.0
    failure_backoff_s: float = 30.0
    max_backoff_s: float = 600.0
    poll_s: float = 0.05
    max_poll_s: float = 0.5

    def retry_in_s(self, failure: MarketDataUnavailable) -> float:
        """How long to leave the source alone after `failure` (Retry-After when longer)."""
        return min(self.max_backoff_s, max(self.failure_backoff_s, failure.retry_after_s or 0.0))


@dataclass(frozen=True)
class PricingDeps:
    """Everything the use cases need, built once by the composition root.

    Attributes:
        new_uow: a unit of work (one transaction) on the pricing schema.
        market: the market-data source.
        policy: TTLs, leases and backoffs.
        sleep: waits while another caller refreshes a key (tests pass a fast one).
    """

    new_uow: Callable[[], UnitOfWork]
    market: MarketData
    policy: CachePolicy = field(default_factory=CachePolicy)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


@dataclass(frozen=True, slots=True)
class Lookup:
    """What `lookup` found.

    Attributes:
        payload: the cached value as JSON, or None when nothing is known.
        fresh: within its TTL (or fetched just now); False for last known data served after a
            failure, or while the source is left alone.
        error: why the source failed, when this lookup saw it fail.
    """

    payload: Mapping[str, Any] | None
    fresh: bool
    error: str | None = None


async def lookup(
    key: str,
    *,
    ttl_s: float,
    fetch: Callable[[], Awaitable[Mapping[str, Any]]],
    deps: PricingDeps,
    on_stored: Callable[[UnitOfWork, Mapping[str, Any]], Awaitable[None]] | None = None,
) -> Lookup:
    """The cached value of `key`, fetched with `fetch` when it is due and nobody else is on it.

    Args:
        key: cache key.
        ttl_s: how long a fresh value is served without a fetch.
        fetch: calls the source; raises `MarketDataUnavailable` on failure.
        deps: the unit of work factory and the policy.
        on_stored: runs in the transaction that stores a fresh value (e.g. publish an event),
            so the event goes out if and only if the value was stored.
    """
    policy = deps.policy
    waited_s, poll_s = 0.0, policy.poll_s
    while True:
        async with deps.new_uow() as uow:
            entry, now = await uow.cache.read(key)
        action = CacheAction.REFRESH if entry is None else entry.action(now)
        payload = entry.payload if entry is not None else None
        if action is CacheAction.FRESH:
            return Lookup(payload, fresh=True)
        if action is CacheAction.STALE:
            return Lookup(payload, fresh=False, error=entry.last_error if entry else None)
        if action is CacheAction.WAIT:
            if waited_s >= policy.lease_s:  # the refresher is stuck: answer with what we have
                return Lookup(payload, fresh=False, error="refresh_timeout")
            await deps.sleep(poll_s)
            waited_s += poll_s
            poll_s = min(poll_s * 2, policy.max_poll_s)
            continue
        async with deps.new_uow() as uow:
            token = await uow.cache.claim(key, lease_s=policy.lease_s)
            await uow.commit()
        if token is None:
            continue  # another caller claimed it first: wait for its result
        try:
            value = await fetch()
        except MarketDataUnavailable as failure:
            log.warning("market data %s unavailable: %s", key, failure.reason)
            async with deps.new_uow() as uow:
                await uow.cache.failed(
                    key, token, error=failure.reason, retry_in_s=policy.retry_in_s(failure)
                )
                await uow.commit()
            return Lookup(payload, fresh=False, error=failure.reason)
        async with deps.new_uow() as uow:
            await uow.cache.store(key, token, value, ttl_s=ttl_s)
            if on_stored is not None:
                await on_stored(uow, value)
            await uow.commit()
        return Lookup(value, fresh=True)


def _refreshed_event(prices: SpotPrices, cause: Envelope | None) -> SpotPricesRefreshed:
    fiat = tuple(
        FiatPrice(
            vs_currency=p.vs_currency,
            price=p.price,
            change_24h_pct=p.change_24h_pct,
            as_of=p.as_of,
        )
        for p in prices.prices.values()
    )
    if cause is not None:
        return SpotPricesRefreshed.replying_to(cause, prices=fiat)
    return SpotPricesRefreshed(correlation_id=uuid4(), user=SYSTEM_ACTOR, chat_id=0, prices=fiat)


async def _spot(deps: PricingDeps, cause: Envelope | None) -> tuple[SpotPrices | None, bool]:
    async def fetch() -> Mapping[str, Any]:
        return (await deps.market.spot(FIAT_CURRENCIES)).to_json()

    async def publish(uow: UnitOfWork, payload: Mapping[str, Any]) -> None:
        await uow.publish_event(_refreshed_event(SpotPrices.from_json(payload), cause))

    found = await lookup(
        SPOT_KEY, ttl_s=deps.policy.spot_ttl_s, fetch=fetch, deps=deps, on_stored=publish
    )
    if found.payload is None:
        return None, found.fresh
    return SpotPrices.from_json(found.payload), found.fresh


async def _history(
    deps: PricingDeps, vs_currency: str, days: int
) -> tuple[PriceHistory | None, bool]:
    async def fetch() -> Mapping[str, Any]:
        return (await deps.market.history(vs_currency, days)).to_json()

    found = await lookup(
        history_key(vs_currency, days), ttl_s=HISTORY_TTL_S[days], fetch=fetch, deps=deps
    )
    if found.payload is None:
        return None, found.fresh
    return PriceHistory.from_json(found.payload), found.fresh


async def refresh_spot(deps: PricingDeps) -> bool:
    """Refresh the spot prices if their TTL is over (pricing's schedule): keeps the fiat rates
    the gateway shows beside balances current even when nobody asks /prices.

    Returns:
        True when fresh prices are in the cache afterwards.
    """
    prices, fresh = await _spot(deps, cause=None)
    return prices is not None and fresh


async def get_prices(cmd: GetPrices, deps: PricingDeps) -> None:
    """Reply with XRP's spot price, 24-hour change and the period's history.

    Fresh data comes from the cache or, when due, from the source. When the source fails,
    the reply carries the last known data marked `stale` (its `as_of` tells its age); with
    nothing known at all, PricingFailed(prices_unavailable).
    """
    currency = cmd.vs_currency.lower()
    days = HISTORY_DAYS[cmd.period.value]
    if currency not in FIAT_CURRENCIES:
        log.warning("GetPrices for an unserved currency %r", currency)
        spots, spot_fresh, history, history_fresh = None, False, None, False
    else:
        (spots, spot_fresh), (history, history_fresh) = await asyncio.gather(
            _spot(deps, cause=cmd), _history(deps, currency, days)
        )
    spot = spots.prices.get(currency) if spots is not None else None
    stale = (spot is not None and not spot_fresh) or (history is not None and not history_fresh)
    if spot is None and history is not None:  # the chart's last point is the best we know
        last = history.points[-1]
        spot = SpotPrice(currency, last.price, None, last.at)
    reply: PriceReported | PricingFailed
    if spot is None:
        reply = PricingFailed.replying_to(cmd, code=ErrorCode.PRICES_UNAVAILABLE)
    else:
        full = history.ending_with(spot) if history is not None else None
        reply = PriceReported.replying_to(
            cmd,
            vs_currency=currency,
            price=spot.price,
            change_24h_pct=spot.change_24h_pct,
            as_of=spot.as_of,
            period=cmd.period,
            history=()
            if full is None
            else tuple(
                PricePoint(at=p.at, price=p.price)
                for p in downsample(full.points, MAX_HISTORY_POINTS)
            ),
            high=None if full is None else full.high,
            low=None if full is None else full.low,
            history_as_of=None if history is None else history.as_of,
            stale=stale,
        )
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        await uow.reply(reply)
        await uow.commit()
