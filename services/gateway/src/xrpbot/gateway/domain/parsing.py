"""What users type, split: /send's parts and /receive's amount (read with the shared parser,
`xrpbot.parsing`), /prices arguments, and commands in groups. Pure, no I/O.

The amounts, currencies, destinations and tags themselves are read by `xrpbot.parsing`, the same
code the transfer service reads RequestTransfer with, so every path answers the same text the
same way; this module only splits a line of words into those parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from xrpbot.parsing import Refused, is_currency_word, parse_xrp_amount
from xrpbot.schemas import FIAT_CURRENCIES, PricePeriod

__all__ = [
    "PERIOD_LABELS",
    "PUBLIC_COMMANDS",
    "PricesArgsError",
    "PricesRequest",
    "SendParts",
    "parse_command",
    "parse_prices_args",
    "parse_receive_amount",
    "parse_send_args",
]

_TAG_WORD = re.compile(r"(?i)(?:tag|dt)[:=](\S+)")


# ---- /send -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SendParts:
    """What `/send` carried; None for a part not given.

    Attributes:
        amount: amount as typed, possibly with its currency ("10", "0.5", "10 XRP", "5 usd").
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

    The amount may be two words ("10 XRP", "5 usd": `xrpbot.parsing.is_currency_word`, in any
    case); the tag may be written "123", "tag 123", "tag:123" or "dt=123".

    Args:
        args: the text after the command (aiogram's `CommandObject.args`), or None.

    Returns:
        The parts found, in order; missing trailing parts are None.
    """
    words = (args or "").split()
    if not words:
        return SendParts()
    amount, rest = words[0], words[1:]
    if rest and is_currency_word(rest[0]):
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


# ---- /receive ----------------------------------------------------------------------------


def parse_receive_amount(args: str | None) -> int | Refused | None:
    """The amount of `/receive [amount]` in drops (``25``, ``0.5``, ``25 XRP``); None without
    one; a refusal (`xrpbot.parsing.parse_xrp_amount`'s) for words that are not one."""
    if args is None or not args.strip():
        return None
    return parse_xrp_amount(args)


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
