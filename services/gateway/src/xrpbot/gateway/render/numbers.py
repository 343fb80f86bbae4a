"""Numbers for people: XRP amounts from integer drops, decimals, percentages, fiat prices and
amounts, ages. Pure, no I/O.

Amounts travel as integer drops (1 XRP = 1,000,000 drops,
https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-currency-amounts)
and become XRP text only here, with `Decimal` (never float). Prices arrive as `Decimal` in a
fiat currency (`xrpbot.schemas.PriceReported`) and become text here too.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = [
    "format_age",
    "format_decimal",
    "format_fiat_amount",
    "format_fiat_price",
    "format_percent",
    "format_xrp",
]


def format_decimal(value: Decimal, *, max_places: int | None = None) -> str:
    """`value` with thousands separators and without trailing zeros or an exponent.

    Args:
        value: any finite decimal.
        max_places: round half-even to at most this many decimal places first.

    Returns:
        e.g. ``Decimal("1234.5000")`` -> ``"1,234.5"``; ``Decimal("1E+3")`` -> ``"1,000"``.
    """
    if max_places is not None:
        value = value.quantize(Decimal(1).scaleb(-max_places))
    text = format(value.normalize(), ",f")
    return "0" if text == "-0" else text


def format_xrp(drops: int) -> str:
    """An amount of drops as XRP text: exact, trailing zeros trimmed, thousands separated.

    Args:
        drops: integer drops (may be negative or zero).

    Returns:
        e.g. ``1_000_000`` -> ``"1"``, ``1`` -> ``"0.000001"``,
        ``1_234_567_890_123`` -> ``"1,234,567.890123"``.
    """
    return format_decimal(Decimal(drops).scaleb(-6))


def format_percent(value: Decimal) -> str:
    """A signed percentage with two decimals at most: ``Decimal("1.234")`` -> ``"+1.23%"``."""
    sign = "+" if value > 0 else ""
    return f"{sign}{format_decimal(value, max_places=2)}%"


def format_fiat_price(value: Decimal) -> str:
    """The price of 1 XRP: at most 4 decimals below 100 (0.5123, 77.1234), 2 from 100 (686.12)."""
    places = 2 if abs(value) >= 100 else 4
    return format_decimal(value, max_places=places)


def format_fiat_amount(value: Decimal) -> str:
    """A fiat amount with exactly 2 decimals and thousands separators: ``1,234.50``."""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN):,.2f}"


def format_age(age: timedelta) -> str:
    """How old, in words: "just now", "4 min ago", "3 h ago", "2 days ago"."""
    # imported here: the chart worker process imports this module and must not load aiogram
    # (texts -> render.i18n -> aiogram), which would double its memory
    from .texts import common

    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return common.age_just_now()
    if seconds < 3600:
        return common.age_minutes(seconds // 60)
    if seconds < 2 * 86400:
        return common.age_hours(seconds // 3600)
    return common.age_days(seconds // 86400)
