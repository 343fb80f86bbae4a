"""Amounts as typed: XRP to exact drops, fiat to an exact Decimal, and drops back to text. Pure.

Grammar (spaces around and between the parts are ignored)::

    amount   = [sign] number [currency]
    sign     = "+" | "-"                     a "-" is refused: amount_not_positive
    number   = digits ["." [digits]] | "." digits
    digits   = 0-9 ...                       ASCII digits only
    currency = "XRP" | a FIAT_CURRENCIES code, in any case ("xrp", "Usd")

Refusals, first match wins: invalid_amount (empty, or not of that form: "ten", "1.2.3",
"NaN"), digits_not_ascii (a digit that is not 0-9: Arabic-Indic, full-width, "²", "½"), amount_has_exponent
("1e3"), amount_has_comma ("1,000" could mean 1 or 1000 and "0,5" is a decimal comma: a payment
never guesses), unsupported_currency (any other letters: "5 ABC", "5 dollars"),
amount_not_positive (zero or negative), too_many_decimals (XRP: finer than one drop, 6 decimals),
fiat_too_many_decimals (fiat: more than 2 decimals), amount_too_large (XRP: more than
`MAX_DROPS`, all the XRP there is; fiat: `MAX_FIAT_DIGITS` digits or more before the point).

Any string is read safely: digits are counted before any arithmetic, so neither a thousand
digits nor an exponent of a billion reach `int` or `Decimal` (Python's `int` refuses 4,300+
digits, `Decimal` overflows or rounds past 28 digits). Results are exact: int drops, Decimal
fiat; never float. XRP units: https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-currency-amounts
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Final

from xrpbot.schemas import FIAT_CURRENCIES, ErrorCode

from .refused import Refused

__all__ = [
    "DROPS_PER_XRP",
    "FIAT_DECIMALS",
    "MAX_DROPS",
    "MAX_FIAT_DIGITS",
    "XRP_DECIMALS",
    "FiatValue",
    "XrpAmount",
    "drops_for_fiat",
    "format_drops",
    "has_other_digits",
    "is_currency_word",
    "parse_amount",
    "parse_xrp_amount",
]

DROPS_PER_XRP: Final = 1_000_000
"""Drops in one XRP."""
XRP_DECIMALS: Final = 6
"""1 drop = 0.000001 XRP: no XRP amount has more decimals."""
MAX_DROPS: Final = 100_000_000_000 * DROPS_PER_XRP
"""All XRP that will ever exist (100 billion XRP), in drops: no payment can be larger."""
FIAT_DECIMALS: Final = 2
"""A fiat amount is typed in cents at the finest ("12.50 USD")."""
MAX_FIAT_DIGITS: Final = 15
"""A fiat amount has fewer digits than this before the point (under a quadrillion): an
arithmetic bound only; what it converts to is bounded by `MAX_DROPS`."""

_ASCII_DIGITS: Final = frozenset("0123456789")
_FORM: Final = re.compile(
    r"(?P<sign>[+-]?) ?(?P<units>[0-9]*)(?:\.(?P<fraction>[0-9]*))?"
    r"(?P<exponent>[eE][+-]?[0-9]+)? ?(?P<currency>[A-Za-z]*)",
    re.ASCII,
)
_WITH_COMMAS: Final = re.compile(r"[+-]? ?[0-9]*,[0-9,]*(?:\.[0-9]*)? ?[A-Za-z]*", re.ASCII)


@dataclass(frozen=True, slots=True)
class XrpAmount:
    """An amount of XRP, exact.

    Attributes:
        drops: 1 to `MAX_DROPS`.
    """

    drops: int

    @property
    def text(self) -> str:
        """The amount as canonical text that `parse_amount` reads back: ``"2.5 XRP"``."""
        return f"{format_drops(self.drops)} XRP"


@dataclass(frozen=True, slots=True)
class FiatValue:
    """An amount of a fiat currency, exact.

    Attributes:
        value: more than 0, at most `FIAT_DECIMALS` decimals, under 10**`MAX_FIAT_DIGITS`.
        currency: lower-case code of `FIAT_CURRENCIES` ("usd").
    """

    value: Decimal
    currency: str

    @property
    def text(self) -> str:
        """The amount as canonical text that `parse_amount` reads back: ``"12.50 USD"``."""
        return f"{self.value:f} {self.currency.upper()}"


def has_other_digits(text: str) -> bool:
    """True when `text` holds a digit or number sign that is not ASCII 0-9 (Arabic-Indic
    U+0660-0669, full-width U+FF10-FF19, superscript "²", fractions "½"...): refused, never read as a number."""
    return any(char.isnumeric() and char not in _ASCII_DIGITS for char in text)


def is_currency_word(word: str) -> bool:
    """True when a word after the number names a currency: "XRP" or a `FIAT_CURRENCIES` code
    in any case, or any three upper-case letters ("ABC", refused as unsupported_currency).

    A @username or an address is never one (usernames have 4+ characters, addresses 25+).
    """
    lowered = word.lower()
    return (
        len(word) == 3
        and word.isascii()
        and word.isalpha()
        and (lowered == "xrp" or lowered in FIAT_CURRENCIES or word.isupper())
    )


def parse_amount(text: str) -> XrpAmount | FiatValue | Refused:
    """An amount of XRP or of a fiat currency, as typed: ``"10"``, ``".5 xrp"``,
    ``"12.50 USD"``, ``"5usd"`` (grammar and refusals: the module's docstring).

    Never raises, whatever the text.
    """
    compact = " ".join(text.split())
    if not compact:
        return Refused(ErrorCode.INVALID_AMOUNT)
    if has_other_digits(compact):
        return Refused(ErrorCode.DIGITS_NOT_ASCII)
    found = _FORM.fullmatch(compact)
    if found is None or not (found["units"] or found["fraction"]):
        if _WITH_COMMAS.fullmatch(compact):
            return Refused(ErrorCode.AMOUNT_HAS_COMMA)
        return Refused(ErrorCode.INVALID_AMOUNT)
    if found["exponent"]:
        return Refused(ErrorCode.AMOUNT_HAS_EXPONENT)
    currency = found["currency"].lower()
    if currency and currency != "xrp" and currency not in FIAT_CURRENCIES:
        return Refused(ErrorCode.UNSUPPORTED_CURRENCY)
    units = found["units"].lstrip("0")
    fraction = (found["fraction"] or "").rstrip("0")
    if found["sign"] == "-" or not (units or fraction):
        return Refused(ErrorCode.AMOUNT_NOT_POSITIVE)
    if currency and currency != "xrp":
        return _fiat(units, fraction, currency)
    if len(fraction) > XRP_DECIMALS:
        return Refused(ErrorCode.TOO_MANY_DECIMALS)
    if len(units) > len(str(MAX_DROPS // DROPS_PER_XRP)):
        return Refused(ErrorCode.AMOUNT_TOO_LARGE)
    drops = int(units or "0") * DROPS_PER_XRP + int(fraction.ljust(XRP_DECIMALS, "0"))
    if drops > MAX_DROPS:
        return Refused(ErrorCode.AMOUNT_TOO_LARGE)
    return XrpAmount(drops)


def _fiat(units: str, fraction: str, currency: str) -> FiatValue | Refused:
    if len(fraction) > FIAT_DECIMALS:
        return Refused(ErrorCode.FIAT_TOO_MANY_DECIMALS)
    if len(units) >= MAX_FIAT_DIGITS:
        return Refused(ErrorCode.AMOUNT_TOO_LARGE)
    return FiatValue(Decimal(f"{units or '0'}.{fraction.ljust(FIAT_DECIMALS, '0')}"), currency)


def parse_xrp_amount(text: str) -> int | Refused:
    """An amount of XRP as typed, in drops; a fiat amount is refused (unsupported_currency):
    only the gateway converts one, at the rate it shows in the quote. Never raises."""
    amount = parse_amount(text)
    if isinstance(amount, FiatValue):
        return Refused(ErrorCode.UNSUPPORTED_CURRENCY)
    return amount.drops if isinstance(amount, XrpAmount) else amount


def drops_for_fiat(value: Decimal, price: Decimal) -> int | Refused:
    """XRP worth `value` of a fiat currency at `price` (fiat per XRP), rounded down to a drop
    (never more than the user asked for).

    Args:
        value: a `FiatValue.value`.
        price: the price of 1 XRP in that currency, more than 0.

    Returns:
        Drops (1 to `MAX_DROPS`); amount_not_positive when it is less than one drop,
        amount_too_large when it is more than all the XRP there is.
    """
    if not (value.is_finite() and price.is_finite() and price > 0):
        return Refused(ErrorCode.INVALID_AMOUNT)
    with localcontext() as exact:
        # truncating division: the first 28 digits of the true quotient, so flooring it to a
        # drop below gives the true floor while it has at most 22 digits before the point
        exact.rounding = ROUND_DOWN
        xrp = value / price
        if xrp > MAX_DROPS // DROPS_PER_XRP:
            return Refused(ErrorCode.AMOUNT_TOO_LARGE)
        drops = int((xrp * DROPS_PER_XRP).to_integral_value(rounding=ROUND_DOWN))
    if drops < 1:
        return Refused(ErrorCode.AMOUNT_NOT_POSITIVE)
    return drops


def format_drops(drops: int) -> str:
    """Drops as plain XRP text, the form `parse_amount` reads back to the same drops: no
    thousands separator, no exponent, no trailing zeros (``2_500_000`` -> ``"2.5"``,
    ``1`` -> ``"0.000001"``, ``MAX_DROPS`` -> ``"100000000000"``).

    Args:
        drops: zero or more.
    """
    units, fraction = divmod(drops, DROPS_PER_XRP)
    decimals = f"{fraction:06d}".rstrip("0")
    return f"{units}.{decimals}" if decimals else str(units)
