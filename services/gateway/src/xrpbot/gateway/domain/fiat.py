"""The fiat quote: the latest price of 1 XRP in a fiat currency, and what drops are worth at it.
Pure (a fiat amount typed by the user becomes drops with `xrpbot.parsing.drops_for_fiat`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from xrpbot.parsing import DROPS_PER_XRP

__all__ = ["MAX_PRICE", "MIN_PRICE", "FiatQuote", "fiat_value", "usable_price"]

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
