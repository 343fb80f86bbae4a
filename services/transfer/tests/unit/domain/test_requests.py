"""Reading a /send as typed: amounts in drops, destinations (@username, address, X-address)."""

from __future__ import annotations

import pytest
from xrpl.core.addresscodec import classic_address_to_xaddress

from xrpbot.schemas import ErrorCode
from xrpbot.transfer.domain.refusal import Refusal
from xrpbot.transfer.domain.requests import (
    AddressDestination,
    UsernameDestination,
    parse_amount,
    parse_destination,
)

ADDR = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"
OTHER = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"


@pytest.mark.parametrize(
    ("text", "drops"),
    [
        ("10", 10_000_000),
        ("0.5", 500_000),
        ("10 XRP", 10_000_000),
        ("10xrp", 10_000_000),
        (" 1.000001 ", 1_000_001),
        (".25", 250_000),
        ("0.000001", 1),
    ],
)
def test_amounts(text: str, drops: int) -> None:
    assert parse_amount(text) == drops


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ten", ErrorCode.INVALID_AMOUNT),
        ("", ErrorCode.INVALID_AMOUNT),
        ("1,000", ErrorCode.INVALID_AMOUNT),
        ("1e3", ErrorCode.INVALID_AMOUNT),
        ("NaN", ErrorCode.INVALID_AMOUNT),
        ("0", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("-1", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("0.0000001", ErrorCode.TOO_MANY_DECIMALS),
        ("5 USD", ErrorCode.UNSUPPORTED_CURRENCY),
    ],
)
def test_amount_refusals(text: str, code: ErrorCode) -> None:
    with pytest.raises(Refusal) as refused:
        parse_amount(text)
    assert refused.value.code is code


def test_destinations() -> None:
    assert parse_destination("@bob_x", None) == UsernameDestination("bob_x")
    assert parse_destination(ADDR, "7") == AddressDestination(ADDR, 7)
    xaddr = classic_address_to_xaddress(ADDR, 99, is_test_network=True)
    assert parse_destination(xaddr, None) == AddressDestination(ADDR, 99)
    with pytest.raises(Refusal) as refused:
        parse_destination(xaddr, "98")
    assert refused.value.code is ErrorCode.INVALID_DESTINATION_TAG
    for typo in (ADDR[:-1] + "x", "rNotAnAddressAtAll123", ADDR[:-5]):
        with pytest.raises(Refusal) as refused:
            parse_destination(typo, None)
        assert refused.value.code is ErrorCode.INVALID_ADDRESS, typo
    assert parse_destination("robert_s", None) == UsernameDestination("robert_s")
