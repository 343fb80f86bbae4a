"""Amounts as typed: exact drops and fiat values, every refusal, and drops back to text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xrpbot.parsing import (
    MAX_DROPS,
    FiatValue,
    Refused,
    XrpAmount,
    drops_for_fiat,
    format_drops,
    is_currency_word,
    parse_amount,
    parse_xrp_amount,
)
from xrpbot.schemas import ErrorCode


@pytest.mark.parametrize(
    ("text", "drops"),
    [
        ("10", 10_000_000),
        ("0.5", 500_000),
        ("10 XRP", 10_000_000),
        ("10xrp", 10_000_000),
        ("10 Xrp", 10_000_000),
        (" 1.000001 ", 1_000_001),
        (".25", 250_000),
        ("5.", 5_000_000),
        ("+5", 5_000_000),
        ("0.000001", 1),
        ("1.1234560", 1_123_456),  # a trailing zero is not a seventh decimal
        ("0" * 5000 + "1", 1_000_000),
        ("100000000000", MAX_DROPS),
        ("10\u00a0XRP", 10_000_000),  # a no-break space is a space
    ],
)
def test_xrp_amounts_are_exact_drops(text: str, drops: int) -> None:
    assert parse_amount(text) == XrpAmount(drops)
    assert parse_xrp_amount(text) == drops


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("5 USD", "5.00", "usd"),
        ("5 usd", "5.00", "usd"),
        ("12.5 Eur", "12.50", "eur"),
        ("5000 USD", "5000.00", "usd"),
        ("0.01gbp", "0.01", "gbp"),
    ],
)
def test_fiat_amounts_are_exact_decimals_in_any_case(text: str, value: str, currency: str) -> None:
    assert parse_amount(text) == FiatValue(Decimal(value), currency)
    assert parse_xrp_amount(text) == Refused(ErrorCode.UNSUPPORTED_CURRENCY)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", ErrorCode.INVALID_AMOUNT),
        ("   ", ErrorCode.INVALID_AMOUNT),
        ("ten", ErrorCode.INVALID_AMOUNT),
        ("1.2.3", ErrorCode.INVALID_AMOUNT),
        ("NaN", ErrorCode.INVALID_AMOUNT),
        ("Infinity", ErrorCode.INVALID_AMOUNT),
        (".", ErrorCode.INVALID_AMOUNT),
        ("\u22125", ErrorCode.INVALID_AMOUNT),  # a minus sign that is not "-"
        ("\u0661\u0660", ErrorCode.DIGITS_NOT_ASCII),  # Arabic-Indic 10
        ("\uff15", ErrorCode.DIGITS_NOT_ASCII),  # full-width 5
        ("²", ErrorCode.DIGITS_NOT_ASCII),  # superscript
        ("1½", ErrorCode.DIGITS_NOT_ASCII),
        ("1e3", ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1E-3 XRP", ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1e999999999", ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1e30 USD", ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1,000", ErrorCode.AMOUNT_HAS_COMMA),
        ("0,5", ErrorCode.AMOUNT_HAS_COMMA),
        ("1,234.5 XRP", ErrorCode.AMOUNT_HAS_COMMA),
        ("5 ABC", ErrorCode.UNSUPPORTED_CURRENCY),
        ("5 dollars", ErrorCode.UNSUPPORTED_CURRENCY),
        ("0", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("0.000000", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("-1", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("-5 USD", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("0.0000001", ErrorCode.TOO_MANY_DECIMALS),
        ("1.1234567", ErrorCode.TOO_MANY_DECIMALS),
        ("12.505 USD", ErrorCode.FIAT_TOO_MANY_DECIMALS),
        ("100000000000.000001", ErrorCode.AMOUNT_TOO_LARGE),
        ("100000000000000", ErrorCode.AMOUNT_TOO_LARGE),
        ("1" * 5000, ErrorCode.AMOUNT_TOO_LARGE),  # more digits than int() reads
        ("1" * 15 + " USD", ErrorCode.AMOUNT_TOO_LARGE),
    ],
)
def test_amount_refusals(text: str, code: ErrorCode) -> None:
    assert parse_amount(text) == Refused(code)


@pytest.mark.parametrize(
    ("value", "price", "result"),
    [
        ("5.00", "2.5", 2_000_000),
        ("1.00", "3", 333_333),  # rounded down: never more than asked
        ("5000.00", "2.5", 2_000_000_000),
        ("0.01", "1000000000", Refused(ErrorCode.AMOUNT_NOT_POSITIVE)),
        ("999999999999999.99", "0.0001", Refused(ErrorCode.AMOUNT_TOO_LARGE)),
        ("1.00", "1E-40", Refused(ErrorCode.AMOUNT_TOO_LARGE)),
        ("1.00", "0", Refused(ErrorCode.INVALID_AMOUNT)),
    ],
)
def test_fiat_converts_down_to_a_drop_within_all_the_xrp_there_is(
    value: str, price: str, result: int | Refused
) -> None:
    assert drops_for_fiat(Decimal(value), Decimal(price)) == result


@pytest.mark.parametrize(
    ("drops", "text"),
    [
        (1, "0.000001"),
        (2_500_000, "2.5"),
        (1_000_000_000_000, "1000000"),
        (MAX_DROPS, "100000000000"),
    ],
)
def test_drops_become_plain_text(drops: int, text: str) -> None:
    assert format_drops(drops) == text
    assert XrpAmount(drops).text == f"{text} XRP"


def test_fiat_text_reads_back() -> None:
    value = FiatValue(Decimal("12.50"), "usd")
    assert value.text == "12.50 USD"
    assert parse_amount(value.text) == value


@pytest.mark.parametrize(
    ("word", "currency"),
    [
        *[("XRP", True), ("xrp", True), ("usd", True), ("Eur", True), ("ABC", True)],
        *[("abc", False), ("bobby", False), ("@bob", False), ("USDT", False)],
        ("\uff15\uff15\uff15", False),  # full-width digits
    ],
)
def test_a_currency_word_is_a_code_in_any_case_or_three_capitals(
    word: str, currency: bool
) -> None:
    assert is_currency_word(word) is currency
