"""Numbers for people: XRP amounts from integer drops, decimals, percentages. Pure, no I/O.

Amounts travel as integer drops (1 XRP = 1,000,000 drops,
https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-currency-amounts)
and become XRP text only here, with `Decimal` (never float).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["DROPS_PER_XRP", "format_decimal", "format_percent", "format_xrp"]

DROPS_PER_XRP = 1_000_000
"""Drops in one XRP."""


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
