"""Pricing use cases."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from xrpbot.schemas import ErrorCode, GetPrices, PriceReported, PricingFailed

from .domain import SpotPrice
from .ports import MarketData, MarketDataUnavailable, UnitOfWork

__all__ = ["PricingDeps", "get_prices"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PricingDeps:
    """Everything the use cases need, built once by the composition root."""

    new_uow: Callable[[], UnitOfWork]
    market: MarketData


async def get_prices(cmd: GetPrices, deps: PricingDeps) -> None:
    """Reply with XRP's spot price; when the source fails, with the last known one (its
    `as_of` tells its age), or PricingFailed(prices_unavailable) when nothing is known."""
    currency = cmd.vs_currency.lower()
    fresh: SpotPrice | None
    try:
        fresh = await deps.market.spot(currency)
    except MarketDataUnavailable as exc:
        log.warning("market data unavailable: %s", exc)
        fresh = None
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        if fresh is not None:
            await uow.prices.save(fresh)
        price = fresh or await uow.prices.last(currency)
        if price is None:
            await uow.reply(PricingFailed.replying_to(cmd, code=ErrorCode.PRICES_UNAVAILABLE))
        else:
            await uow.reply(
                PriceReported.replying_to(
                    cmd,
                    vs_currency=price.vs_currency,
                    price=price.price,
                    change_24h_pct=price.change_24h_pct,
                    as_of=price.as_of,
                )
            )
        await uow.commit()
