"""Drops → XRP text: exact Decimal arithmetic, trailing zeros trimmed, thousands separated."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xrpbot.gateway.render.numbers import format_decimal, format_percent, format_xrp
from xrpbot.parsing import MAX_DROPS, Refused, parse_xrp_amount
from xrpbot.schemas import ErrorCode


@pytest.mark.parametrize(
    ("drops", "text"),
    [
        (0, "0"),
        (1, "0.000001"),
        (10, "0.00001"),
        (999_999, "0.999999"),
        (1_000_000, "1"),
        (1_000_001, "1.000001"),
        (1_500_000, "1.5"),
        (10_000_000, "10"),
        (1_000_000_000, "1,000"),
        (1_234_567_890, "1,234.56789"),
        (1_234_567_890_123, "1,234,567.890123"),
        (100_000_000_000_000_000, "100,000,000,000"),  # all XRP there will ever be
        (-2_500_000, "-2.5"),
    ],
)
def test_drops_become_exact_xrp_text(drops: int, text: str) -> None:
    assert format_xrp(drops) == text


def test_every_drop_of_a_large_amount_survives() -> None:
    # a float would print 99999999999.99998 or round; Decimal keeps all 17 digits
    assert format_xrp(99_999_999_999_999_999) == "99,999,999,999.999999"


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("1E+3"), None, "1,000"),
        (Decimal("0.5200"), None, "0.52"),
        (Decimal("-0.000"), None, "0"),
        (Decimal("0.123456789"), 6, "0.123457"),
        (Decimal("2.5"), 0, "2"),  # half-even
    ],
)
def test_decimals_lose_trailing_zeros_and_exponents(
    value: Decimal, places: int | None, text: str
) -> None:
    assert format_decimal(value, max_places=places) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("1.234"), "+1.23%"), (Decimal("-0.5"), "-0.5%"), (Decimal("0"), "0%")],
)
def test_percent_has_a_sign(value: Decimal, text: str) -> None:
    assert format_percent(value) == text


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=MAX_DROPS))
def test_an_amount_the_bot_shows_is_read_back_exactly_or_refused_never_misread(
    drops: int,
) -> None:
    """What the bot writes (`format_xrp`) typed back: the same drops, or, when it carries a
    thousands separator, the comma refusal (a comma is never guessed); never another amount."""
    shown = format_xrp(drops)
    read = parse_xrp_amount(shown)
    if "," in shown:
        assert read == Refused(ErrorCode.AMOUNT_HAS_COMMA)
        assert parse_xrp_amount(shown.replace(",", "")) == drops
    else:
        assert read == drops
    assert parse_xrp_amount(f"{shown.replace(',', '')} XRP") == drops
