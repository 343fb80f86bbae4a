"""Any string, fuzzed: the parser never raises, answers a refusal or an exact value, and reads
its own text of any number of drops back to the same drops."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from xrpbot.parsing import (
    FIAT_DECIMALS,
    MAX_DROPS,
    UINT32_MAX,
    AddressDestination,
    FiatValue,
    Refused,
    UsernameDestination,
    XrpAmount,
    drops_for_fiat,
    format_drops,
    parse_amount,
    parse_destination,
    parse_tag,
    parse_xrp_amount,
)

bounded = settings(max_examples=300, deadline=None)

# near misses: the characters amounts are made of, other digits, exponents, commas, currencies
_NEAR = "0123456789.,eE+- \u00a0xXrRpPuUsSdDbB@١٢５²½"
texts = st.one_of(
    st.text(),
    st.text(alphabet=_NEAR, max_size=40),
    st.from_regex(
        r"\A[+-]?[0-9]{0,20}(\.[0-9]{0,10})?([eE][+-]?[0-9]{1,12})? ?(XRP|xrp|USD|eur|ABC)?\Z"
    ),
    st.integers(min_value=0, max_value=10**40).map(str),
)


def _is_exact(result: object) -> bool:
    if isinstance(result, XrpAmount):
        return type(result.drops) is int and 1 <= result.drops <= MAX_DROPS
    if isinstance(result, FiatValue):
        exponent = result.value.as_tuple().exponent
        return (
            result.value > 0
            and isinstance(exponent, int)
            and -exponent <= FIAT_DECIMALS
            and result.currency.islower()
        )
    return isinstance(result, Refused)


@bounded
@given(texts)
def test_any_amount_text_is_a_refusal_or_exact(text: str) -> None:
    result = parse_amount(text)
    assert _is_exact(result), result
    xrp = parse_xrp_amount(text)
    assert isinstance(xrp, Refused) or (type(xrp) is int and 1 <= xrp <= MAX_DROPS)


@bounded
@given(st.from_regex(r"\A[0-9]{1,12}(\.[0-9]{1,6})?\Z"))
def test_a_plain_decimal_is_read_as_exactly_that_many_drops(text: str) -> None:
    expected = Decimal(text) * 1_000_000
    result = parse_xrp_amount(text)
    if 0 < expected <= MAX_DROPS:
        assert result == int(expected)
    else:
        assert isinstance(result, Refused)


@bounded
@given(st.integers(min_value=1, max_value=MAX_DROPS))
def test_formatting_drops_then_parsing_returns_the_same_drops(drops: int) -> None:
    assert parse_xrp_amount(format_drops(drops)) == drops
    assert parse_amount(XrpAmount(drops).text) == XrpAmount(drops)


@bounded
@given(st.one_of(st.text(), st.text(alphabet="0123456789 +-١٢５²", max_size=30)))
def test_any_tag_text_is_a_refusal_or_a_uint32(text: str) -> None:
    result = parse_tag(text)
    assert isinstance(result, Refused) or (type(result) is int and 0 <= result <= UINT32_MAX)


@bounded
@given(
    st.one_of(
        st.text(),
        st.text(
            alphabet="rXT@_123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", max_size=60
        ),
    ),
    st.one_of(st.none(), st.integers(min_value=0, max_value=UINT32_MAX)),
)
def test_any_destination_text_is_a_refusal_or_a_destination(text: str, tag: int | None) -> None:
    result = parse_destination(text, tag)
    assert isinstance(result, Refused | UsernameDestination | AddressDestination)


@bounded
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e15"), places=2),
    st.decimals(allow_nan=True, allow_infinity=True),
)
def test_any_fiat_conversion_is_a_refusal_or_drops_not_above_what_was_asked(
    value: Decimal, price: Decimal
) -> None:
    result = drops_for_fiat(value, price)
    if isinstance(result, Refused):
        return
    assert type(result) is int
    assert 1 <= result <= MAX_DROPS
    assert Decimal(result) / 1_000_000 <= value / price
