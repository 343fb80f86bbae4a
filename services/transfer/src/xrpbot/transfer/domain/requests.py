"""Reading a /send request as the user typed it: amount and destination. Pure.

XRP amounts have at most 6 decimals, one drop being 0.000001 XRP
(https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-currency-amounts).
Addresses are checked with xrpl-py's address codec (checksum included); X-addresses
(https://xrpl.org/docs/concepts/accounts/addresses#x-addresses) are converted to a classic
address and their embedded tag, and must be made for the kind of network the service runs on
(an X-address carries one bit: Mainnet "X…", or any test network "T…"). The special addresses
nobody holds a key to (`BLACK_HOLES`) are refused, whichever way they are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xrpl.core.addresscodec import (
    is_valid_classic_address,
    is_valid_xaddress,
    xaddress_to_classic_address,
)

from xrpbot.schemas import ErrorCode

from .refusal import Refusal

__all__ = [
    "BLACK_HOLES",
    "DROPS_PER_XRP",
    "MAX_DROPS",
    "AddressDestination",
    "UsernameDestination",
    "parse_amount",
    "parse_destination",
]

DROPS_PER_XRP = 1_000_000
MAX_DROPS = 100_000_000_000 * DROPS_PER_XRP
"""All XRP that will ever exist, in drops: no payment can be larger."""
UINT32_MAX = 4_294_967_295
_AMOUNT = re.compile(
    r"^\s*(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(?P<currency>[A-Za-z]{3,5})?\s*$"
)
"""A plain decimal number with a dot, then an optional currency code. No thousands separators
and no decimal comma: "1,000" could mean 1 or 1000, and a payment must not guess."""
BLACK_HOLES = frozenset(
    {
        "rrrrrrrrrrrrrrrrrrrrrhoLvTp",  # ACCOUNT_ZERO: id 0, XRP's issuer in the peer protocol
        "rrrrrrrrrrrrrrrrrrrrBZbvji",  # ACCOUNT_ONE: id 1, the issuer placeholder in trust lines
        "rrrrrrrrrrrrrrrrrNAMEtxvNvQ",  # the Ripple name reservation black hole
        "rrrrrrrrrrrrrrrrrrrn5RM1rHd",  # the NaN address (an old JavaScript library's bug)
    }
)
"""Special addresses whose keys nobody knows: XRP sent there can never be spent again.
https://xrpl.org/docs/concepts/accounts/addresses#special-addresses"""
_USERNAME = re.compile(r"^@?(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})$")
"""Telegram usernames: 5-32 characters of a-z, 0-9 and underscores (we accept 4+ for bots'
legacy names); https://core.telegram.org/api/username"""


def parse_amount(text: str) -> int:
    """XRP as typed ("10", "0.5", "10 XRP", "10xrp") → drops.

    Raises:
        Refusal: invalid_amount (not a number), unsupported_currency (e.g. "5 USD"),
            amount_not_positive (zero or negative), too_many_decimals (finer than one drop).
    """
    match = _AMOUNT.match(text)
    if match is None:
        raise Refusal(ErrorCode.INVALID_AMOUNT)
    currency = match["currency"]
    if currency and currency.upper() != "XRP":
        raise Refusal(ErrorCode.UNSUPPORTED_CURRENCY)
    try:
        value = Decimal(match["number"])
    except InvalidOperation:
        raise Refusal(ErrorCode.INVALID_AMOUNT) from None
    if not value.is_finite():
        raise Refusal(ErrorCode.INVALID_AMOUNT)
    if value <= 0:
        raise Refusal(ErrorCode.AMOUNT_NOT_POSITIVE)
    drops = value * DROPS_PER_XRP
    if drops != drops.to_integral_value():
        raise Refusal(ErrorCode.TOO_MANY_DECIMALS)
    if drops > MAX_DROPS:
        raise Refusal(ErrorCode.INSUFFICIENT_FUNDS, spendable_drops=0)
    return int(drops)


@dataclass(frozen=True, slots=True)
class UsernameDestination:
    """A bot user named by @username (without the @); wallet resolves it to an address."""

    username: str
    tag: int | None = None


@dataclass(frozen=True, slots=True)
class AddressDestination:
    """A classic address and an optional destination tag (UInt32)."""

    address: str
    tag: int | None


def _parse_tag(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    value = text.strip()
    if not value.isdigit() or int(value) > UINT32_MAX:
        raise Refusal(ErrorCode.INVALID_DESTINATION_TAG)
    return int(value)


def _looks_like_an_address(value: str) -> bool:
    """A mistyped address rather than a username: r/X/T first, 20+ letters and digits, no "_".

    (Without the @, a long name made like an address is read as one; "@name" is always a name.)
    """
    return len(value) >= 20 and value[0] in "rXT" and value.isalnum() and value.isascii()


def _address(address: str, tag: int | None) -> AddressDestination:
    if address in BLACK_HOLES:
        raise Refusal(ErrorCode.DESTINATION_BLACK_HOLE)
    return AddressDestination(address, tag)


def parse_destination(
    text: str, tag_text: str | None, *, test_network: bool
) -> UsernameDestination | AddressDestination:
    """@username, classic address (+ optional tag) or X-address → a destination.

    Args:
        test_network: the service runs on a test network (Testnet, Devnet, a stand-alone
            server), so X-addresses must be test ones (T…); False on Mainnet (X…).
    Raises:
        Refusal: invalid_address (neither form, or a bad checksum), invalid_destination_tag
            (not a UInt32, or a tag that contradicts the X-address's own),
            address_wrong_network (an X-address for the other kind of network),
            destination_black_hole (one of `BLACK_HOLES`).
    """
    value = text.strip()
    tag = _parse_tag(tag_text)
    if value.startswith("@"):
        named = _USERNAME.match(value)
        if named is None:
            raise Refusal(ErrorCode.RECIPIENT_NOT_FOUND, username=value.lstrip("@")[:32])
        return UsernameDestination(named["name"], tag)
    if is_valid_xaddress(value):
        address, embedded, is_test = xaddress_to_classic_address(value)
        if is_test != test_network:
            raise Refusal(ErrorCode.ADDRESS_WRONG_NETWORK)
        if embedded is not None and tag is not None and embedded != tag:
            raise Refusal(ErrorCode.INVALID_DESTINATION_TAG)
        return _address(address, embedded if embedded is not None else tag)
    if is_valid_classic_address(value):
        return _address(value, tag)
    if _looks_like_an_address(value):
        raise Refusal(ErrorCode.INVALID_ADDRESS)
    named = _USERNAME.match(value)
    if named is not None:  # "bob" without the @
        return UsernameDestination(named["name"], tag)
    raise Refusal(ErrorCode.INVALID_ADDRESS)
