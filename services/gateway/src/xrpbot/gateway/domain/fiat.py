"""The fiat quote: the latest price of 1 XRP in a fiat currency, and what drops are worth at it.
Pure (a fiat amount typed by the user becomes drops with `xrpbot.parsing.drops_for_fiat`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from xrpbot.parsing import DROPS_PER_XRP

__all__ = ["FiatQuote", "fiat_value"]


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
