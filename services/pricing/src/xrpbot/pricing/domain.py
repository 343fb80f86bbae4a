"""Pricing domain: a spot quote. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

__all__ = ["SpotPrice"]


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
