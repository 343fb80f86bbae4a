"""Every error code of the replies in words: `error_text`, the one entry point, and the texts it
picks (those for what a user typed that cannot be are in `input_errors`)."""

# ruff: noqa: UP032  each message is one literal + str.format, so gettext can extract the literal

from __future__ import annotations

from html import escape

from xrpbot.schemas import ErrorCode

from ..i18n import gettext as _
from ..numbers import format_xrp
from .input_errors import (
    address_wrong_network,
    amount_has_comma,
    amount_has_exponent,
    amount_not_positive,
    amount_too_large,
    destination_black_hole,
    digits_not_ascii,
    fiat_too_many_decimals,
    invalid_address,
    invalid_amount,
    invalid_destination_tag,
    too_many_decimals,
    unsupported_currency,
)

__all__ = [
    "account_not_funded",
    "daily_limit_exceeded",
    "destination_deposit_auth",
    "destination_disallows_xrp",
    "destination_not_funded",
    "destination_tag_required",
    "error_text",
    "faucet_unavailable",
    "fee_too_high",
    "insufficient_funds",
    "internal_error",
    "ledger_unavailable",
    "limit_above_default",
    "prices_unavailable",
    "quote_already_confirmed",
    "quote_cancelled",
    "quote_expired",
    "quote_not_found",
    "recipient_not_found",
    "request_unauthenticated",
    "send_to_self",
    "signing_timed_out",
    "signing_unavailable",
    "transfer_expired_short",
    "transfer_not_submitted_short",
    "transfer_rejected_short",
    "wallet_not_found",
]


def error_text(
    code: ErrorCode | str,
    *,
    spendable_drops: int | None = None,
    minimum_drops: int | None = None,
    username: str | None = None,
    remaining_today_drops: int | None = None,
) -> str:
    """The words for an error code of any reply; unknown codes get the generic apology.

    Args:
        code: the reply's code (`xrpbot.schemas.ErrorCode`; a code added to the contract
            later is a plain string).
        spendable_drops: for insufficient_funds, what can be sent (drops).
        minimum_drops: for destination_not_funded, the base reserve (drops).
        username: for recipient_not_found, the @username asked for.
        remaining_today_drops: for daily_limit_exceeded, what may still be sent today (drops).

    Returns:
        HTML text.
    """
    match code:
        case ErrorCode.WALLET_NOT_FOUND:
            return wallet_not_found()
        case ErrorCode.ACCOUNT_NOT_FOUND:
            return account_not_funded()
        case ErrorCode.LEDGER_UNAVAILABLE:
            return ledger_unavailable()
        case ErrorCode.FAUCET_UNAVAILABLE:
            return faucet_unavailable()
        case ErrorCode.PRICES_UNAVAILABLE:
            return prices_unavailable()
        case ErrorCode.INVALID_AMOUNT:
            return invalid_amount()
        case ErrorCode.AMOUNT_NOT_POSITIVE:
            return amount_not_positive()
        case ErrorCode.TOO_MANY_DECIMALS:
            return too_many_decimals()
        case ErrorCode.UNSUPPORTED_CURRENCY:
            return unsupported_currency()
        case ErrorCode.AMOUNT_TOO_LARGE:
            return amount_too_large()
        case ErrorCode.AMOUNT_HAS_EXPONENT:
            return amount_has_exponent()
        case ErrorCode.AMOUNT_HAS_COMMA:
            return amount_has_comma()
        case ErrorCode.DIGITS_NOT_ASCII:
            return digits_not_ascii()
        case ErrorCode.FIAT_TOO_MANY_DECIMALS:
            return fiat_too_many_decimals()
        case ErrorCode.INSUFFICIENT_FUNDS:
            return insufficient_funds(
                None if spendable_drops is None else format_xrp(spendable_drops)
            )
        case ErrorCode.RECIPIENT_NOT_FOUND:
            return recipient_not_found(username)
        case ErrorCode.INVALID_ADDRESS:
            return invalid_address()
        case ErrorCode.INVALID_DESTINATION_TAG:
            return invalid_destination_tag()
        case ErrorCode.SEND_TO_SELF:
            return send_to_self()
        case ErrorCode.DESTINATION_TAG_REQUIRED:
            return destination_tag_required()
        case ErrorCode.DESTINATION_NOT_FUNDED:
            return destination_not_funded(
                None if minimum_drops is None else format_xrp(minimum_drops)
            )
        case ErrorCode.DESTINATION_DISALLOWS_XRP:
            return destination_disallows_xrp()
        case ErrorCode.DESTINATION_DEPOSIT_AUTH:
            return destination_deposit_auth()
        case ErrorCode.DESTINATION_BLACK_HOLE:
            return destination_black_hole()
        case ErrorCode.ADDRESS_WRONG_NETWORK:
            return address_wrong_network()
        case ErrorCode.QUOTE_EXPIRED:
            return quote_expired()
        case ErrorCode.QUOTE_ALREADY_CONFIRMED:
            return quote_already_confirmed()
        case ErrorCode.QUOTE_CANCELLED:
            return quote_cancelled()
        case ErrorCode.QUOTE_NOT_FOUND:
            return quote_not_found()
        case ErrorCode.SIGNING_UNAVAILABLE:
            return signing_unavailable()
        case ErrorCode.SIGNING_TIMED_OUT:
            return signing_timed_out()
        case ErrorCode.TRANSFER_EXPIRED:
            return transfer_expired_short()
        case ErrorCode.TRANSFER_REJECTED:
            return transfer_rejected_short()
        case ErrorCode.TRANSFER_NOT_SUBMITTED:
            return transfer_not_submitted_short()
        case ErrorCode.FEE_TOO_HIGH:
            return fee_too_high()
        case ErrorCode.DAILY_LIMIT_EXCEEDED:
            return daily_limit_exceeded(format_xrp(remaining_today_drops or 0))
        case ErrorCode.REQUEST_UNAUTHENTICATED:
            return request_unauthenticated()
        case ErrorCode.LIMIT_ABOVE_DEFAULT:
            return limit_above_default()
    return internal_error()  # ErrorCode.INTERNAL, or a code this gateway does not know yet


def fee_too_high() -> str:
    """ErrorCode.FEE_TOO_HIGH: wallet's cap on the network fee (WALLET_MAX_FEE_DROPS)."""
    return _(
        "The network fee is higher than this wallet ever pays, so nothing was signed and "
        "nothing left your account. Try again in a few minutes."
    )


def daily_limit_exceeded(remaining_xrp: str) -> str:
    """ErrorCode.DAILY_LIMIT_EXCEEDED: the rolling 24-hour limit wallet keeps per user."""
    return _(
        "That would take you over your daily sending limit, so nothing left your account. "
        "You can send up to {remaining} XRP more in the next 24 hours."
    ).format(remaining=remaining_xrp)


def limit_above_default() -> str:
    """ErrorCode.LIMIT_ABOVE_DEFAULT: a daily limit above wallet's default was asked for."""
    return _(
        "Your daily sending limit can be lowered, never raised above the default, so nothing "
        "was changed. Open /settings to choose another."
    )


def request_unauthenticated() -> str:
    """ErrorCode.REQUEST_UNAUTHENTICATED: wallet did not accept the signing request."""
    return _(
        "The wallet did not accept the signing request, so nothing was signed and nothing "
        "left your account. Please try again."
    )


def wallet_not_found() -> str:
    """ErrorCode.WALLET_NOT_FOUND."""
    return _("You don't have a wallet yet — send /wallet to create one.")


def account_not_funded() -> str:
    """ErrorCode.ACCOUNT_NOT_FOUND: the account is not in a validated ledger yet."""
    return _(
        "Your wallet isn't funded yet: the Testnet faucet hasn't paid into it. "
        "Send /wallet again in a minute."
    )


def ledger_unavailable() -> str:
    """ErrorCode.LEDGER_UNAVAILABLE."""
    return _(
        "The XRP Ledger isn't answering right now. Your funds are safe; try again in a minute."
    )


def faucet_unavailable() -> str:
    """ErrorCode.FAUCET_UNAVAILABLE."""
    return _("The Testnet faucet isn't answering right now. Send /wallet again in a minute.")


def prices_unavailable() -> str:
    """ErrorCode.PRICES_UNAVAILABLE."""
    return _("Prices aren't available right now. Please try again in a minute.")


def internal_error() -> str:
    """ErrorCode.INTERNAL, or a code this gateway does not know yet."""
    return _("Sorry — something went wrong on our side. Please try again in a minute.")


def insufficient_funds(spendable_xrp: str | None) -> str:
    """ErrorCode.INSUFFICIENT_FUNDS.

    Args:
        spendable_xrp: what can be sent now (formatted XRP), when known.
    """
    if spendable_xrp is None:
        return _(
            "You don't have enough XRP for that: part of your balance stays reserved and the "
            "network fee is paid on top. Send /balance to see what you can spend."
        )
    return _(
        "You don't have enough XRP for that: you can send at most <b>{spendable} XRP</b> "
        "right now (your balance minus the reserve and the network fee)."
    ).format(spendable=spendable_xrp)


def recipient_not_found(username: str | None) -> str:
    """ErrorCode.RECIPIENT_NOT_FOUND: nobody with a wallet here holds that @username. It
    reveals nothing more: the same words for a name the bot never saw, a Telegram user who never
    opened the bot or has no wallet, and a name a wallet owner gave up (wallet answers these
    alike), or anyone could probe, free and without a trace, whether someone uses this wallet
    bot or which names its users had. What paying by name cannot hide (the name has a wallet
    here) shows only as a quote naming the user, never their address. The words give the fixes
    that work in every case: check the name, or ask for /wallet."""
    who = "@" + escape(username.lstrip("@")) if username else _("that name")
    return _(
        "I don't know a wallet for {who}. Check the name, or ask them to open this bot and "
        "send /wallet — then try again."
    ).format(who=who)


def send_to_self() -> str:
    """ErrorCode.SEND_TO_SELF."""
    return _("That's your own wallet — you can't send XRP to yourself.")


def destination_tag_required() -> str:
    """ErrorCode.DESTINATION_TAG_REQUIRED (the account has RequireDest)."""
    return _(
        "That account requires a <b>destination tag</b> (exchanges use it to find the "
        "customer). Send again with the tag, e.g. <code>/send 10 rAddress… 12345</code>."
    )


def destination_not_funded(minimum_xrp: str | None) -> str:
    """ErrorCode.DESTINATION_NOT_FUNDED.

    Args:
        minimum_xrp: the base reserve (formatted XRP), when known.
    """
    minimum = _("the base reserve") if minimum_xrp is None else "{xrp} XRP".format(xrp=minimum_xrp)
    return _(
        "That account doesn't exist on the ledger yet. The first payment creates it and must "
        "be at least {minimum}."
    ).format(minimum=minimum)


def destination_disallows_xrp() -> str:
    """ErrorCode.DESTINATION_DISALLOWS_XRP."""
    return _("That account asks not to be sent XRP, so I won't send it.")


def destination_deposit_auth() -> str:
    """ErrorCode.DESTINATION_DEPOSIT_AUTH (the account has DepositAuth, and this wallet is not
    preauthorized: the network would refuse the payment and keep the fee)."""
    return _(
        "That account only accepts payments from senders it has approved, and this wallet "
        "isn't one of them. Nothing was sent: the network would refuse the payment and keep "
        "the fee."
    )


def quote_expired() -> str:
    """ErrorCode.QUOTE_EXPIRED."""
    return _(
        "This quote has expired (quotes last 2 minutes) — nothing was sent. Send /send for a new one."
    )


def quote_already_confirmed() -> str:
    """ErrorCode.QUOTE_ALREADY_CONFIRMED (a second Confirm)."""
    return _(
        "You already confirmed this payment — it is being sent only once; its message shows the progress."
    )


def quote_cancelled() -> str:
    """ErrorCode.QUOTE_CANCELLED."""
    return _("This payment was cancelled — nothing was sent.")


def quote_not_found() -> str:
    """ErrorCode.QUOTE_NOT_FOUND (someone else's quote, or an unknown one)."""
    return _("That payment isn't yours or no longer exists — nothing was sent.")


def signing_unavailable() -> str:
    """ErrorCode.SIGNING_UNAVAILABLE."""
    return _(
        "I couldn't sign the payment just now — nothing was sent. Please try again in a minute."
    )


def signing_timed_out() -> str:
    """ErrorCode.SIGNING_TIMED_OUT (not signed within TRANSFER_SIGN_DEADLINE_SECONDS of the
    Confirm, so given up)."""
    return _(
        "It couldn't be signed in time after you confirmed, so I gave it up — nothing left "
        "your account. You can send it again."
    )


def transfer_expired_short() -> str:
    """ErrorCode.TRANSFER_EXPIRED on its own."""
    return _(
        "Not sent: the network did not include it in time. Nothing left your account; you can try again."
    )


def transfer_rejected_short() -> str:
    """ErrorCode.TRANSFER_REJECTED on its own."""
    return _("Not sent: the network rejected the payment. Only the network fee was spent.")


def transfer_not_submitted_short() -> str:
    """ErrorCode.TRANSFER_NOT_SUBMITTED on its own."""
    return _("Not sent: the network refused the payment. Nothing left your account.")
