"""Reading a /send request (RequestTransfer's words) with the shared parser. Pure.

The grammar and its refusals are `xrpbot.parsing`'s (shared/parsing/README.md), the same
code the gateway reads the user's words with; here each refusal becomes a `Refusal`, and the
one rule the parser leaves to its caller is applied: an X-address must be made for the kind of
network the service runs on (an X-address carries one bit: Mainnet "X…", or any test network
"T…"; https://xrpl.org/docs/concepts/accounts/addresses#x-addresses).
"""

from __future__ import annotations

from xrpbot import parsing
from xrpbot.parsing import AddressDestination, Refused, UsernameDestination
from xrpbot.schemas import ErrorCode

from .refusal import Refusal

__all__ = ["parse_amount", "parse_destination"]


def parse_amount(text: str) -> int:
    """XRP as typed ("10", "0.5", "10 XRP", "10xrp") → drops (`xrpbot.parsing.parse_xrp_amount`).

    Raises:
        Refusal: invalid_amount, digits_not_ascii, amount_has_exponent, amount_has_comma,
            unsupported_currency (e.g. "5 USD": the gateway converts fiat), amount_not_positive,
            too_many_decimals, amount_too_large.
    """
    drops = parsing.parse_xrp_amount(text)
    if isinstance(drops, Refused):
        raise Refusal(drops.code)
    return drops


def parse_destination(
    text: str, tag_text: str | None, *, test_network: bool
) -> UsernameDestination | AddressDestination:
    """@username, classic address (+ optional tag) or X-address → a destination.

    Args:
        test_network: the service runs on a test network (Testnet, Devnet, a stand-alone
            server), so X-addresses must be test ones (T…); False on Mainnet (X…).
    Raises:
        Refusal: invalid_address, recipient_not_found (not a username after "@"),
            invalid_destination_tag, digits_not_ascii (the tag), destination_black_hole,
            address_wrong_network (an X-address for the other kind of network).
    """
    tag: int | None = None
    if tag_text is not None and tag_text.strip():
        parsed = parsing.parse_tag(tag_text)
        if isinstance(parsed, Refused):
            raise Refusal(parsed.code)
        tag = parsed
    destination = parsing.parse_destination(text, tag)
    if isinstance(destination, Refused):
        raise Refusal(destination.code, username=destination.username)
    if (
        isinstance(destination, AddressDestination)
        and destination.test_network is not None
        and destination.test_network != test_network
    ):
        raise Refusal(ErrorCode.ADDRESS_WRONG_NETWORK)
    return destination
