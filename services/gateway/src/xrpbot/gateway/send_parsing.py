"""/send's words split into amount, destination and tag; light checks for the step-by-step flow.

Pure, no I/O. The transfer service validates every part with authority (and answers
TransferRefused with a code); this module only splits what the user typed, and lets the flow
re-ask at once for an amount or tag that cannot possibly be right, with the same words the
transfer service's codes get.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xrpbot.schemas import FIAT_CURRENCIES, ErrorCode

__all__ = [
    "SendParts",
    "amount_problem",
    "asks_for_tag",
    "fiat_amount",
    "parse_send_args",
    "tag_problem",
]

UINT32_MAX = 4_294_967_295
"""Largest destination tag (UInt32, https://xrpl.org/docs/references/protocol/transactions/types/payment)."""
XRP_DECIMALS = 6
"""1 drop = 0.000001 XRP."""

# a currency word after the number: "10 XRP", "5 usd"; Telegram usernames start with @ and
# addresses are 25+ characters, so neither is mistaken for one
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_TAG_WORD = re.compile(r"(?i)(?:tag|dt)[:=](\S+)")
_CLASSIC_ADDRESS = re.compile(r"r[1-9A-HJ-NP-Za-km-z]{24,34}")
_AMOUNT = re.compile(r"(?i)\s*([+-]?[0-9.,]+(?:e[+-]?[0-9]+)?)\s*([A-Za-z]*)\s*")


@dataclass(frozen=True, slots=True)
class SendParts:
    """What `/send` carried; None for a part not given.

    Attributes:
        amount: amount as typed, possibly with its currency ("10", "0.5", "10 XRP").
        destination: @username, classic address or X-address, as typed.
        tag: destination tag as typed.
        extra: True when words followed that fit no part (the usage is shown).
    """

    amount: str | None = None
    destination: str | None = None
    tag: str | None = None
    extra: bool = False


def parse_send_args(args: str | None) -> SendParts:
    """Split `/send <amount> <destination> [tag]`.

    The amount may be two words ("10 XRP"); the tag may be written "123", "tag 123",
    "tag:123" or "dt=123".

    Args:
        args: the text after the command (aiogram's `CommandObject.args`), or None.

    Returns:
        The parts found, in order; missing trailing parts are None.
    """
    words = (args or "").split()
    if not words:
        return SendParts()
    amount, rest = words[0], words[1:]
    if rest and _CURRENCY.fullmatch(rest[0]) and (rest[0].isupper() or rest[0].lower() == "xrp"):
        amount, rest = f"{amount} {rest[0]}", rest[1:]
    if not rest:
        return SendParts(amount=amount)
    destination, rest = rest[0], rest[1:]
    if not rest:
        return SendParts(amount=amount, destination=destination)
    if len(rest) == 2 and rest[0].lower() in {"tag", "dt"}:
        return SendParts(amount=amount, destination=destination, tag=rest[1])
    if len(rest) == 1:
        written = _TAG_WORD.fullmatch(rest[0])
        tag = written.group(1) if written else rest[0]
        return SendParts(amount=amount, destination=destination, tag=tag)
    return SendParts(amount=amount, destination=destination, extra=True)


def amount_problem(text: str) -> ErrorCode | None:
    """Why `text` cannot be an amount of XRP, or None when it may be (transfer decides).

    Lenient on purpose: only what the transfer service would refuse too is caught here.

    Returns:
        INVALID_AMOUNT (not a number), UNSUPPORTED_CURRENCY (not XRP), AMOUNT_NOT_POSITIVE,
        TOO_MANY_DECIMALS, or None.
    """
    found = _AMOUNT.fullmatch(text)
    if found is None or "," in found.group(1):
        return ErrorCode.INVALID_AMOUNT
    number, currency = found.groups()
    fiat = bool(currency) and currency.lower() in FIAT_CURRENCIES
    if currency and currency.lower() != "xrp" and not fiat:
        return (
            ErrorCode.UNSUPPORTED_CURRENCY
            if _CURRENCY.fullmatch(currency)
            else (ErrorCode.INVALID_AMOUNT)
        )
    try:
        value = Decimal(number)
    except InvalidOperation:
        return ErrorCode.INVALID_AMOUNT
    if not value.is_finite():
        return ErrorCode.INVALID_AMOUNT
    if value <= 0:
        return ErrorCode.AMOUNT_NOT_POSITIVE
    exponent = value.normalize().as_tuple().exponent
    if not fiat and isinstance(exponent, int) and -exponent > XRP_DECIMALS:
        return ErrorCode.TOO_MANY_DECIMALS
    return None


def fiat_amount(text: str) -> tuple[Decimal, str] | None:
    """("5", "usd") for "5 USD" when the amount is in a fiat currency pricing knows
    (`FIAT_CURRENCIES`), else None (XRP, or not an amount: `amount_problem` says which).

    Returns:
        (the positive amount, the lower-case currency code).
    """
    found = _AMOUNT.fullmatch(text)
    if found is None or amount_problem(text) is not None:
        return None
    number, currency = found.groups()
    if not currency or currency.lower() not in FIAT_CURRENCIES:
        return None
    return Decimal(number), currency.lower()


def tag_problem(text: str) -> ErrorCode | None:
    """INVALID_DESTINATION_TAG unless `text` is a whole number from 0 to 4294967295."""
    cleaned = text.strip()
    if not cleaned.isdigit() or not cleaned.isascii() or int(cleaned) > UINT32_MAX:
        return ErrorCode.INVALID_DESTINATION_TAG
    return None


def asks_for_tag(destination: str) -> bool:
    """True when the flow should ask for a destination tag: a classic address was given.

    An @username needs none (a bot user's account), and an X-address carries its own.
    """
    return _CLASSIC_ADDRESS.fullmatch(destination.strip()) is not None
