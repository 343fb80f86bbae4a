"""Reading a /send as typed with the shared parser: drops, destinations, each refusal as a
Refusal, and X-addresses of the other network refused (the one rule left to transfer)."""

from __future__ import annotations

import pytest
from xrpl.core.addresscodec import classic_address_to_xaddress

from xrpbot.parsing import BLACK_HOLES, AddressDestination, UsernameDestination
from xrpbot.schemas import ErrorCode
from xrpbot.transfer.domain.refusal import Refusal
from xrpbot.transfer.domain.requests import parse_amount, parse_destination

ADDR = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"


@pytest.mark.parametrize(
    ("text", "drops"),
    [("10", 10_000_000), ("0.5", 500_000), ("10 XRP", 10_000_000), (".25", 250_000)],
)
def test_amounts(text: str, drops: int) -> None:
    assert parse_amount(text) == drops


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ten", ErrorCode.INVALID_AMOUNT),
        ("", ErrorCode.INVALID_AMOUNT),
        ("1,000", ErrorCode.AMOUNT_HAS_COMMA),
        ("1e3", ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1e999999999", ErrorCode.AMOUNT_HAS_EXPONENT),
        ("\u0661\u0660", ErrorCode.DIGITS_NOT_ASCII),
        ("\uff15", ErrorCode.DIGITS_NOT_ASCII),
        ("NaN", ErrorCode.INVALID_AMOUNT),
        ("0", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("-1", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("0.0000001", ErrorCode.TOO_MANY_DECIMALS),
        ("100000000000000", ErrorCode.AMOUNT_TOO_LARGE),
        ("5 USD", ErrorCode.UNSUPPORTED_CURRENCY),  # the gateway converts fiat, never transfer
    ],
)
def test_amount_refusals(text: str, code: ErrorCode) -> None:
    with pytest.raises(Refusal) as refused:
        parse_amount(text)
    assert refused.value.code is code


def test_destinations() -> None:
    assert parse_destination("@bob_x", None, test_network=True) == UsernameDestination("bob_x")
    assert parse_destination(ADDR, "7", test_network=True) == AddressDestination(ADDR, 7)
    assert parse_destination(ADDR, " ", test_network=True) == AddressDestination(ADDR, None)
    xaddr = classic_address_to_xaddress(ADDR, 99, is_test_network=True)
    assert parse_destination(xaddr, None, test_network=True) == AddressDestination(ADDR, 99, True)


@pytest.mark.parametrize(
    ("text", "tag", "code"),
    [
        (ADDR, "²", ErrorCode.DIGITS_NOT_ASCII),
        (ADDR, "4294967296", ErrorCode.INVALID_DESTINATION_TAG),
        (ADDR[:-1] + "x", None, ErrorCode.INVALID_ADDRESS),
        ("@bo", None, ErrorCode.RECIPIENT_NOT_FOUND),
        (
            classic_address_to_xaddress(ADDR, 99, is_test_network=True),
            "98",
            ErrorCode.INVALID_DESTINATION_TAG,
        ),
    ],
)
def test_destination_refusals(text: str, tag: str | None, code: ErrorCode) -> None:
    with pytest.raises(Refusal) as refused:
        parse_destination(text, tag, test_network=True)
    assert refused.value.code is code


def test_a_username_refusal_names_the_user() -> None:
    with pytest.raises(Refusal) as refused:
        parse_destination("@bo", None, test_network=True)
    assert refused.value.username == "bo"


def test_mainnet_x_address_is_accepted_on_mainnet() -> None:
    xaddr = classic_address_to_xaddress(ADDR, None, is_test_network=False)

    assert parse_destination(xaddr, "5", test_network=False) == AddressDestination(ADDR, 5, False)


@pytest.mark.parametrize(
    ("made_for_test", "running_on_test"),
    [(False, True), (True, False)],
    ids=["mainnet-x-address-on-testnet", "test-x-address-on-mainnet"],
)
def test_x_address_for_the_other_network_is_refused(
    made_for_test: bool, running_on_test: bool
) -> None:
    xaddr = classic_address_to_xaddress(ADDR, 12, is_test_network=made_for_test)

    with pytest.raises(Refusal) as refused:
        parse_destination(xaddr, None, test_network=running_on_test)

    assert refused.value.code is ErrorCode.ADDRESS_WRONG_NETWORK


@pytest.mark.parametrize("address", sorted(BLACK_HOLES))
def test_black_holes_are_refused_as_address_and_as_x_address(address: str) -> None:
    for written in (address, classic_address_to_xaddress(address, 3, is_test_network=True)):
        with pytest.raises(Refusal) as refused:
            parse_destination(written, None, test_network=True)
        assert refused.value.code is ErrorCode.DESTINATION_BLACK_HOLE, written


def test_a_black_hole_is_refused_with_a_tag_and_surrounding_spaces() -> None:
    with pytest.raises(Refusal) as refused:
        parse_destination("  rrrrrrrrrrrrrrrrrrrrrhoLvTp ", "7", test_network=True)

    assert refused.value.code is ErrorCode.DESTINATION_BLACK_HOLE
