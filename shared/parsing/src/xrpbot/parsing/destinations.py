"""Destinations as typed: @username, classic address or X-address, and destination tags. Pure.

Grammar::

    destination = "@" username | username | classic-address | x-address
    username    = a letter, then 3-31 letters, digits or "_" (ASCII; Telegram's are 5-32,
                  https://core.telegram.org/api/username, bots' legacy ones 4)
    tag         = 0-9 ...   a whole number from 0 to 4,294,967,295 (UInt32), ASCII digits only

Addresses are checked with xrpl-py's address codec, checksum included (pure computation, no I/O).
An X-address (https://xrpl.org/docs/concepts/accounts/addresses#x-addresses) is decoded to its
classic address and embedded tag, and its network flag is returned: only the caller knows which
network it runs on (transfer refuses the other one: address_wrong_network). The special
addresses nobody holds a key to (`BLACK_HOLES`) are refused however they are written.

Refusals: recipient_not_found ("@" and not a username), invalid_address (neither form, a bad
checksum, anything longer than an address), digits_not_ascii (a tag with a digit that is not
0-9: "²", "١٢"), invalid_destination_tag (not a whole number, above UInt32, or different from
the X-address's own tag), destination_black_hole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from xrpl.core.addresscodec import (
    is_valid_classic_address,
    is_valid_xaddress,
    xaddress_to_classic_address,
)

from xrpbot.schemas import ErrorCode

from .amounts import has_other_digits
from .refused import Refused

__all__ = [
    "BLACK_HOLES",
    "UINT32_MAX",
    "AddressDestination",
    "UsernameDestination",
    "parse_destination",
    "parse_tag",
]

UINT32_MAX: Final = 4_294_967_295
"""The largest destination tag (UInt32,
https://xrpl.org/docs/references/protocol/transactions/types/payment)."""
BLACK_HOLES: Final = frozenset(
    {
        "rrrrrrrrrrrrrrrrrrrrrhoLvTp",  # ACCOUNT_ZERO: id 0, XRP's issuer in the peer protocol
        "rrrrrrrrrrrrrrrrrrrrBZbvji",  # ACCOUNT_ONE: id 1, the issuer placeholder in trust lines
        "rrrrrrrrrrrrrrrrrNAMEtxvNvQ",  # the Ripple name reservation black hole
        "rrrrrrrrrrrrrrrrrrrn5RM1rHd",  # the NaN address (an old JavaScript library's bug)
    }
)
"""Special addresses whose keys nobody knows: XRP sent there can never be spent again.
https://xrpl.org/docs/concepts/accounts/addresses#special-addresses"""

_USERNAME: Final = re.compile(r"@?(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})", re.ASCII)
_MAX_ADDRESS_CHARS: Final = 64
"""Longer than any address (X-addresses have 47 characters): refused before the codec runs."""
_MAX_TAG_DIGITS: Final = len(str(UINT32_MAX))


@dataclass(frozen=True, slots=True)
class UsernameDestination:
    """A bot user named by @username (without the @); wallet resolves it to an address."""

    username: str
    tag: int | None = None


@dataclass(frozen=True, slots=True)
class AddressDestination:
    """A classic address and an optional destination tag (UInt32).

    Attributes:
        test_network: for an X-address, True when it was made for a test network ("T…"),
            False for Mainnet ("X…"); None for a classic address, which names no network.
    """

    address: str
    tag: int | None
    test_network: bool | None = None


def parse_tag(text: str) -> int | Refused:
    """A destination tag as typed (" 12345 "), 0 to `UINT32_MAX`. Never raises."""
    value = text.strip()
    if has_other_digits(value):
        return Refused(ErrorCode.DIGITS_NOT_ASCII)
    significant = value.lstrip("0") or "0"
    if (
        not value
        or not set(value) <= set("0123456789")
        or len(significant) > _MAX_TAG_DIGITS
        or int(significant) > UINT32_MAX
    ):
        return Refused(ErrorCode.INVALID_DESTINATION_TAG)
    return int(significant)


def _looks_like_an_address(value: str) -> bool:
    """A mistyped address rather than a username: r/X/T first, 20+ letters and digits, no "_".

    (Without the @, a long name made like an address is read as one; "@name" is always a name.)
    """
    return len(value) >= 20 and value[0] in "rXT" and value.isalnum() and value.isascii()


def _address(
    address: str, tag: int | None, test_network: bool | None
) -> AddressDestination | Refused:
    if address in BLACK_HOLES:
        return Refused(ErrorCode.DESTINATION_BLACK_HOLE)
    return AddressDestination(address, tag, test_network)


def parse_destination(
    text: str, tag: int | None = None
) -> UsernameDestination | AddressDestination | Refused:
    """@username, classic address or X-address (+ an optional tag, from `parse_tag`) as typed.

    Never raises. The X-address's network is returned (`AddressDestination.test_network`),
    not checked: only the caller knows its network.
    """
    value = text.strip()
    if value.startswith("@"):
        named = _USERNAME.fullmatch(value)
        if named is None:
            return Refused(ErrorCode.RECIPIENT_NOT_FOUND, username=value.lstrip("@")[:32])
        return UsernameDestination(named["name"], tag)
    if len(value) > _MAX_ADDRESS_CHARS or not value.isascii() or not value.isalnum():
        if _USERNAME.fullmatch(value):  # "robert_s": a name without the @
            return UsernameDestination(value, tag)
        return Refused(ErrorCode.INVALID_ADDRESS)
    if is_valid_xaddress(value):
        address, embedded, is_test = xaddress_to_classic_address(value)
        if embedded is not None and tag is not None and embedded != tag:
            return Refused(ErrorCode.INVALID_DESTINATION_TAG)
        return _address(address, embedded if embedded is not None else tag, is_test)
    if is_valid_classic_address(value):
        return _address(value, tag, None)
    if _looks_like_an_address(value):
        return Refused(ErrorCode.INVALID_ADDRESS)
    if _USERNAME.fullmatch(value):  # "bobby" without the @
        return UsernameDestination(value, tag)
    return Refused(ErrorCode.INVALID_ADDRESS)
