"""The fiat quote: the latest price of 1 XRP in a fiat currency, and conversions with it. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Final

from .xrp import DROPS_PER_XRP

__all__ = ["MAX_PRICE", "MIN_PRICE", "FiatQuote", "fiat_value", "usable_price", "xrp_for_fiat"]

MIN_PRICE: Final = Decimal("1e-9")
"""The lowest price of 1 XRP in a fiat currency taken as data (pricing applies the same rule)."""
MAX_PRICE: Final = Decimal("1e9")
"""The highest price of 1 XRP in a fiat currency taken as data."""


def usable_price(price: Decimal) -> bool:
    """True when `price` (of 1 XRP, in a fiat currency) is data: a finite decimal within
    [`MIN_PRICE`, `MAX_PRICE`]. A price of 0, a negative one, NaN, an infinity or an absurd
    magnitude from upstream is "no data": never stored, shown or converted with."""
    return price.is_finite() and MIN_PRICE <= price <= MAX_PRICE


@dataclass(frozen=True, slots=True)
class FiatQuote:
    """The latest price of 1 XRP in a fiat currency, as the gateway last heard it.

    Attributes:
        currency: lower-case fiat code.
        price: price of 1 XRP.
        as_of: when the source updated it (UTC).
    """

    currency: str
    price: Decimal
    as_of: datetime


def fiat_value(drops: int, quote: FiatQuote) -> Decimal:
    """What `drops` are worth in the quote's currency (unrounded)."""
    return Decimal(drops) / DROPS_PER_XRP * quote.price


def xrp_for_fiat(value: Decimal, price: Decimal) -> Decimal:
    """XRP worth `value` of a fiat currency at `price` (fiat per XRP), rounded down to a drop.

    Rounding down never sends more than the user asked for.
    """
    return (value / price).quantize(Decimal("0.000001"), rounding=ROUND_DOWN)
