"""Destinations as typed (@username, address, X-address with its network) and tags."""

from __future__ import annotations

import pytest
from xrpl.core.addresscodec import classic_address_to_xaddress

from xrpbot.parsing import (
    BLACK_HOLES,
    AddressDestination,
    Refused,
    UsernameDestination,
    parse_destination,
    parse_tag,
)
from xrpbot.schemas import ErrorCode

ADDR = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"


@pytest.mark.parametrize(
    ("text", "tag"),
    [("0", 0), ("4294967295", 4_294_967_295), (" 12 ", 12), ("007", 7), ("0" * 40 + "5", 5)],
)
def test_a_tag_is_a_uint32(text: str, tag: int) -> None:
    assert parse_tag(text) == tag


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("4294967296", ErrorCode.INVALID_DESTINATION_TAG),
        ("9" * 5000, ErrorCode.INVALID_DESTINATION_TAG),
        ("-1", ErrorCode.INVALID_DESTINATION_TAG),
        ("+1", ErrorCode.INVALID_DESTINATION_TAG),
        ("1.5", ErrorCode.INVALID_DESTINATION_TAG),
        ("abc", ErrorCode.INVALID_DESTINATION_TAG),
        ("", ErrorCode.INVALID_DESTINATION_TAG),
        ("²", ErrorCode.DIGITS_NOT_ASCII),
        ("١٢", ErrorCode.DIGITS_NOT_ASCII),
        ("\uff11\uff12", ErrorCode.DIGITS_NOT_ASCII),
    ],
)
def test_tag_refusals(text: str, code: ErrorCode) -> None:
    assert parse_tag(text) == Refused(code)


def test_usernames_addresses_and_x_addresses() -> None:
    assert parse_destination("@bob_x") == UsernameDestination("bob_x")
    assert parse_destination("robert_s", 3) == UsernameDestination("robert_s", 3)
    assert parse_destination(f" {ADDR} ", 7) == AddressDestination(ADDR, 7, None)
    testnet = classic_address_to_xaddress(ADDR, 99, is_test_network=True)
    assert parse_destination(testnet) == AddressDestination(ADDR, 99, True)
    assert parse_destination(testnet, 99) == AddressDestination(ADDR, 99, True)
    mainnet = classic_address_to_xaddress(ADDR, None, is_test_network=False)
    assert parse_destination(mainnet, 5) == AddressDestination(ADDR, 5, False)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        (ADDR[:-1] + "x", Refused(ErrorCode.INVALID_ADDRESS)),
        ("rNotAnAddressAtAll123", Refused(ErrorCode.INVALID_ADDRESS)),
        (ADDR[:-5], Refused(ErrorCode.INVALID_ADDRESS)),
        ("hello world", Refused(ErrorCode.INVALID_ADDRESS)),
        ("r" + "p" * 500, Refused(ErrorCode.INVALID_ADDRESS)),
        ("rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAY²", Refused(ErrorCode.INVALID_ADDRESS)),
        ("", Refused(ErrorCode.INVALID_ADDRESS)),
        ("@bo", Refused(ErrorCode.RECIPIENT_NOT_FOUND, username="bo")),
        ("@" + "a" * 40, Refused(ErrorCode.RECIPIENT_NOT_FOUND, username="a" * 32)),
    ],
)
def test_destination_refusals(text: str, refused: Refused) -> None:
    assert parse_destination(text) == refused


def test_a_tag_that_contradicts_the_x_address_is_refused() -> None:
    xaddr = classic_address_to_xaddress(ADDR, 99, is_test_network=True)
    assert parse_destination(xaddr, 98) == Refused(ErrorCode.INVALID_DESTINATION_TAG)


@pytest.mark.parametrize("address", sorted(BLACK_HOLES))
def test_black_holes_are_refused_however_written(address: str) -> None:
    for written, tag in (
        (address, None),
        (f"  {address} ", 7),
        (classic_address_to_xaddress(address, 3, is_test_network=True), None),
        (classic_address_to_xaddress(address, None, is_test_network=False), None),
    ):
        assert parse_destination(written, tag) == Refused(ErrorCode.DESTINATION_BLACK_HOLE)
