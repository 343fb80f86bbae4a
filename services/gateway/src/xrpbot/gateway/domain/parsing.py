"""What users type, parsed: /send's parts, amounts and tags, /receive and /prices arguments,
and commands in groups. Pure, no I/O.

The transfer service validates every part of a send with authority (and answers
TransferRefused with a code); the checks here only split what the user typed, and let the
/send flow re-ask at once for an amount or tag that cannot possibly be right, with the same
words the transfer service's codes get.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

from xrpbot.schemas import FIAT_CURRENCIES, ErrorCode, PricePeriod

from .xrp import DROPS_PER_XRP, MAX_XRP_DROPS, UINT32_MAX, XRP_DECIMALS

__all__ = [
    "MAX_AMOUNT_CHARS",
    "PERIOD_LABELS",
    "PUBLIC_COMMANDS",
    "PricesArgsError",
    "PricesRequest",
    "ReceiveAmountError",
    "SendParts",
    "amount_problem",
    "asks_for_tag",
    "fiat_amount",
    "parse_command",
    "parse_prices_args",
    "parse_receive_amount",
    "parse_send_args",
    "tag_problem",
    "too_long",
]

# a currency word after the number: "10 XRP", "5 usd"; Telegram usernames start with @ and
# addresses are 25+ characters, so neither is mistaken for one
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_TAG_WORD = re.compile(r"(?i)(?:tag|dt)[:=](\S+)")
_CLASSIC_ADDRESS = re.compile(r"r[1-9A-HJ-NP-Za-km-z]{24,34}")
_AMOUNT = re.compile(r"(?i)\s*([+-]?[0-9.,]+(?:e[+-]?[0-9]+)?)\s*([A-Za-z]*)\s*")

MAX_AMOUNT_CHARS, MAX_DESTINATION_CHARS, MAX_TAG_CHARS = 64, 128, 32
"""RequestTransfer's field limits: longer input cannot be valid, so it is refused here."""


# ---- /send -------------------------------------------------------------------------------


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


def too_long(amount: str, destination: str, tag: str | None) -> ErrorCode | None:
    """The code for the first part longer than RequestTransfer allows, or None."""
    if len(amount) > MAX_AMOUNT_CHARS:
        return ErrorCode.INVALID_AMOUNT
    if len(destination) > MAX_DESTINATION_CHARS:
        return ErrorCode.INVALID_ADDRESS
    if tag is not None and len(tag) > MAX_TAG_CHARS:
        return ErrorCode.INVALID_DESTINATION_TAG
    return None


# ---- /receive ----------------------------------------------------------------------------

_RECEIVE_AMOUNT: Final = re.compile(r"(?i)\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(?:xrp)?\s*")


class ReceiveAmountError(ValueError):
    """`/receive <words>`: the words are not a positive XRP amount with at most 6 decimals."""


def parse_receive_amount(args: str | None) -> int | None:
    """The amount of `/receive [amount]` in drops; None without one.

    Args:
        args: the words after /receive: ``25``, ``0.5``, ``25 XRP``.

    Raises:
        ReceiveAmountError: not a positive amount of XRP with at most 6 decimals, or more
            than XRP's total supply.
    """
    if args is None or not args.strip():
        return None
    found = _RECEIVE_AMOUNT.fullmatch(args)
    if found is None:
        raise ReceiveAmountError(args)
    try:
        drops = Decimal(found.group(1)) * DROPS_PER_XRP
    except InvalidOperation:
        raise ReceiveAmountError(args) from None
    if drops != drops.to_integral_value() or not 0 < drops <= MAX_XRP_DROPS:
        raise ReceiveAmountError(args)
    return int(drops)


# ---- /prices -----------------------------------------------------------------------------

PERIOD_LABELS: Final[dict[PricePeriod, str]] = {
    PricePeriod.DAY: "1D",
    PricePeriod.WEEK: "7D",
    PricePeriod.MONTH: "30D",
    PricePeriod.YEAR: "1Y",
}
"""Button and title labels of the periods."""

_PERIOD_WORDS: Final[dict[str, PricePeriod]] = {
    **{p.value: p for p in PricePeriod},
    **{label.lower(): p for p, label in PERIOD_LABELS.items()},
    "24h": PricePeriod.DAY,
    "day": PricePeriod.DAY,
    "1w": PricePeriod.WEEK,
    "week": PricePeriod.WEEK,
    "1m": PricePeriod.MONTH,
    "month": PricePeriod.MONTH,
    "365d": PricePeriod.YEAR,
    "12m": PricePeriod.YEAR,
    "year": PricePeriod.YEAR,
}


@dataclass(frozen=True, slots=True)
class PricesRequest:
    """What `/prices [currency] [period]` asks for.

    Attributes:
        currency: lower-case fiat code when given (it becomes the user's choice), else None.
        period: the chart's period (1D when not given).
    """

    currency: str | None
    period: PricePeriod


class PricesArgsError(ValueError):
    """An argument of /prices is neither a served currency nor a period."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def parse_prices_args(args: str | None) -> PricesRequest:
    """Parse `/prices` arguments, in any order and case: ``eur 30d``, ``1Y``, ``gbp``.

    Periods: 1d/24h/day, 7d/1w/week, 30d/1m/month, 1y/365d/12m/year.

    Raises:
        PricesArgsError: an argument is not understood, or more than one of a kind is given.
    """
    currency: str | None = None
    period: PricePeriod | None = None
    for token in (args or "").split():
        word = token.lower()
        if word in FIAT_CURRENCIES and currency is None:
            currency = word
        elif word in _PERIOD_WORDS and period is None:
            period = _PERIOD_WORDS[word]
        else:
            raise PricesArgsError(token)
    return PricesRequest(currency, period or PricePeriod.DAY)


# ---- commands in groups ------------------------------------------------------------------

PUBLIC_COMMANDS: Final = frozenset({"help", "prices"})
"""Commands answered in groups as in private: nothing in them belongs to one user."""


def parse_command(text: str | None) -> tuple[str, str | None] | None:
    """``/Balance@XrpBot 10`` -> ``("balance", "xrpbot")``; None when `text` is no command.

    Follows https://core.telegram.org/bots/features#commands: a command starts with "/", is
    at most 32 characters of Latin letters, digits and underscores, optionally followed by
    "@<bot username>".
    """
    if not text or not text.startswith("/"):
        return None
    head = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    name, _, mention = head.partition("@")
    if not name:
        return None
    return name.lower(), (mention.lower() or None)
