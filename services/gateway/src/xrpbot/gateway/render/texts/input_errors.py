"""The words for what a user typed that cannot be an amount, a currency, a destination or a
destination tag: the refusals of the shared parser (`xrpbot.parsing`), and the two destination
rules it leaves to transfer. `errors.error_text` picks them by code."""

from __future__ import annotations

from ..i18n import gettext as _

__all__ = [
    "address_wrong_network",
    "amount_has_comma",
    "amount_has_exponent",
    "amount_not_positive",
    "amount_too_large",
    "destination_black_hole",
    "digits_not_ascii",
    "fiat_too_many_decimals",
    "invalid_address",
    "invalid_amount",
    "invalid_destination_tag",
    "too_many_decimals",
    "unsupported_currency",
]


def invalid_amount() -> str:
    """ErrorCode.INVALID_AMOUNT."""
    return _(
        "That isn't an amount of XRP. Write it like <code>10</code>, <code>0.5</code> or <code>10 XRP</code>."
    )


def digits_not_ascii() -> str:
    """ErrorCode.DIGITS_NOT_ASCII (an amount or tag with Arabic-Indic or full-width digits, "²"...)."""
    return _(
        "Please write numbers with the plain digits 0 to 9, like <code>10</code>: other "
        "scripts' digits, full-width digits and superscripts aren't read as numbers."
    )


def amount_has_exponent() -> str:
    """ErrorCode.AMOUNT_HAS_EXPONENT ("1e3")."""
    return _(
        "Please write the amount in full, like <code>1000</code> or <code>0.001</code> — "
        "not with an exponent like <code>1e3</code>."
    )


def amount_has_comma() -> str:
    """ErrorCode.AMOUNT_HAS_COMMA ("1,000" or "0,5": neither reading is guessed)."""
    return _(
        "Please write the amount without commas: a dot for decimals (<code>0.5</code>) and "
        "no thousands separators (<code>1500</code>)."
    )


def unsupported_currency() -> str:
    """ErrorCode.UNSUPPORTED_CURRENCY."""
    return _("I can only send XRP. Write the amount like <code>10</code> or <code>10 XRP</code>.")


def amount_not_positive() -> str:
    """ErrorCode.AMOUNT_NOT_POSITIVE."""
    return _("The amount must be more than zero.")


def too_many_decimals() -> str:
    """ErrorCode.TOO_MANY_DECIMALS."""
    return _("XRP has at most 6 decimals — the smallest amount is 0.000001 XRP.")


def fiat_too_many_decimals() -> str:
    """ErrorCode.FIAT_TOO_MANY_DECIMALS."""
    return _("An amount in a fiat currency has at most 2 decimals, like <code>12.50 USD</code>.")


def amount_too_large() -> str:
    """ErrorCode.AMOUNT_TOO_LARGE (more than all the XRP there is, also once converted)."""
    return _(
        "That is more than all the XRP there is (100,000,000,000 XRP), so nothing was sent. "
        "Please check the amount."
    )


def invalid_address() -> str:
    """ErrorCode.INVALID_ADDRESS."""
    return _(
        "That isn't a valid XRP Ledger address — please check it. Addresses start with "
        "<code>r</code> (or <code>X</code>/<code>T</code> for X-addresses); for a bot user, "
        "write their @username."
    )


def destination_black_hole() -> str:
    """ErrorCode.DESTINATION_BLACK_HOLE (ACCOUNT_ZERO, ACCOUNT_ONE and the other special
    addresses nobody has the keys to)."""
    return _(
        "That is a special address nobody has the keys to: XRP sent there is lost forever, "
        "so I won't send it. Please check the address."
    )


def address_wrong_network() -> str:
    """ErrorCode.ADDRESS_WRONG_NETWORK (an X-address made for Mainnet on a test network, or
    the reverse)."""
    return _(
        "That X-address is for a different XRP Ledger network than the one this bot uses "
        "(Mainnet addresses start with <code>X</code>, test-network ones with <code>T</code>). "
        "Nothing was sent — ask the recipient for an address on the right network."
    )


def invalid_destination_tag() -> str:
    """ErrorCode.INVALID_DESTINATION_TAG."""
    return _(
        "A destination tag is a whole number from 0 to 4294967295, and it must match the tag "
        "inside an X-address."
    )
