"""Pricing messages: market data for XRP. Published by gateway (commands) and pricing (replies)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, Field

from .envelope import Command, Reply
from .errors import ErrorCode

__all__ = ["GetPrices", "PriceReported", "PricingFailed"]


class GetPrices(Command):
    """Ask for XRP's spot price. Published by gateway on /prices; consumed by pricing."""

    kind: Literal["pricing.get_prices"] = "pricing.get_prices"
    vs_currency: str = Field(
        default="usd", description="Fiat currency code, lower case (CoinGecko's vs_currency)."
    )


class PriceReported(Reply):
    """XRP's spot price. Published by pricing; consumed by gateway."""

    kind: Literal["pricing.price_reported"] = "pricing.price_reported"
    vs_currency: str = Field(description="Fiat currency code, lower case.")
    price: Decimal = Field(description="Price of 1 XRP in vs_currency (decimal, never float).")
    change_24h_pct: Decimal | None = Field(
        default=None, description="Change over 24 hours in percent, when known."
    )
    as_of: AwareDatetime = Field(description="When the source last updated the price (UTC).")


class PricingFailed(Reply):
    """Prices could not be given. Published by pricing; consumed by gateway."""

    kind: Literal["pricing.failed"] = "pricing.failed"
    code: ErrorCode = Field(description="Stable machine code; the gateway words it.")
