"""Pricing messages: market data for XRP.

Published by gateway (commands) and pricing (replies, events). Prices are `Decimal` in the
currency named beside them, never float; times are UTC.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .envelope import Command, Event, Reply
from .errors import ErrorCode

__all__ = [
    "FIAT_CURRENCIES",
    "FiatPrice",
    "GetPrices",
    "PricePeriod",
    "PricePoint",
    "PriceReported",
    "PricingFailed",
    "SpotPricesRefreshed",
]

FIAT_CURRENCIES: Final[tuple[str, ...]] = (
    "usd",
    "eur",
    "gbp",
    "jpy",
    "chf",
    "cad",
    "aud",
    "cny",
    "inr",
    "brl",
    "krw",
    "try",
)
"""Fiat currencies pricing serves (CoinGecko `vs_currency` codes, lower case), most used first.

pricing refreshes all of them with one upstream call; the gateway offers exactly these.
"""


class PricePeriod(StrEnum):
    """The period a price history covers (the chart's x axis)."""

    DAY = "1d"
    """The last 24 hours (CoinGecko: 5-minute points)."""
    WEEK = "7d"
    """The last 7 days (hourly points)."""
    MONTH = "30d"
    """The last 30 days (hourly points)."""
    YEAR = "1y"
    """The last 365 days (daily points)."""


class GetPrices(Command):
    """Ask for XRP's spot price and its history over a period.

    Published by gateway on /prices and its buttons; consumed by pricing.
    """

    kind: Literal["pricing.get_prices"] = "pricing.get_prices"
    vs_currency: str = Field(
        default="usd", description="Fiat currency code, lower case (CoinGecko's vs_currency)."
    )
    period: PricePeriod = Field(
        default=PricePeriod.DAY, description="Period of the history (and the chart)."
    )


class PricePoint(BaseModel):
    """One point of a price history."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    at: AwareDatetime = Field(description="Time of the price (UTC).")
    price: Decimal = Field(description="Price of 1 XRP at that time, in the reply's vs_currency.")


class PriceReported(Reply):
    """XRP's spot price, 24-hour change and the period's history. Published by pricing; consumed
    by gateway.

    When the market-data source fails, pricing answers with what it fetched last and sets
    `stale`; the age of the data is `occurred_at` minus the older of `as_of` and
    `history_as_of`.
    """

    kind: Literal["pricing.price_reported"] = "pricing.price_reported"
    vs_currency: str = Field(description="Fiat currency code, lower case.")
    price: Decimal = Field(description="Price of 1 XRP in vs_currency (decimal, never float).")
    change_24h_pct: Decimal | None = Field(
        default=None, description="Change over 24 hours in percent, when known."
    )
    as_of: AwareDatetime = Field(description="When the source last updated the price (UTC).")
    period: PricePeriod = Field(
        default=PricePeriod.DAY, description="Period the history, high and low cover."
    )
    history: tuple[PricePoint, ...] = Field(
        default=(),
        description="Prices over the period, oldest first, at most a few hundred points "
        "(downsampled keeping each stretch's high and low); empty when unknown.",
    )
    high: Decimal | None = Field(
        default=None, description="Highest price in the period (vs_currency), when known."
    )
    low: Decimal | None = Field(
        default=None, description="Lowest price in the period (vs_currency), when known."
    )
    history_as_of: AwareDatetime | None = Field(
        default=None, description="Time of the history's last point (UTC), when known."
    )
    stale: bool = Field(
        default=False,
        description="True when the source failed and (part of) this is the last known data.",
    )


class PricingFailed(Reply):
    """Prices could not be given. Published by pricing; consumed by gateway."""

    kind: Literal["pricing.failed"] = "pricing.failed"
    code: ErrorCode = Field(description="Stable machine code; the gateway words it.")


class FiatPrice(BaseModel):
    """XRP's price in one fiat currency."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    vs_currency: str = Field(description="Fiat currency code, lower case.")
    price: Decimal = Field(description="Price of 1 XRP in vs_currency.")
    change_24h_pct: Decimal | None = Field(
        default=None, description="Change over 24 hours in percent, when known."
    )
    as_of: AwareDatetime = Field(description="When the source last updated the price (UTC).")


class SpotPricesRefreshed(Event):
    """Domain event: pricing fetched fresh spot prices from the source (at most once per cache
    TTL, whichever replica did it). Published by pricing on `xrpbot.events`; consumed by gateway,
    which keeps the latest price per currency for fiat equivalents (/balance).

    `user` and `chat_id` are those of the request that caused the refresh, or telegram_id 0 and
    chat_id 0 for pricing's own scheduled refresh.
    """

    kind: Literal["pricing.spot_refreshed"] = "pricing.spot_refreshed"
    prices: tuple[FiatPrice, ...] = Field(description="One price per fiat currency served.")
