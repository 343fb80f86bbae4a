"""Words for the error codes of the payment replies (TransferRefused, TransferFailed). Pure.

`refusal_text` returns None for a code that is not a payment code, so `render.error_text`
can fall back to it without knowing the payment codes itself.
"""

from __future__ import annotations

from xrpbot.schemas import ErrorCode

from . import texts
from .formatting import format_xrp

__all__ = ["refusal_text"]


def refusal_text(
    code: ErrorCode | str,
    *,
    spendable_drops: int | None = None,
    minimum_drops: int | None = None,
    username: str | None = None,
) -> str | None:
    """The words for a /send refusal or a quote button's refusal.

    Args:
        code: the reply's code.
        spendable_drops: for insufficient_funds, what can be sent (drops).
        minimum_drops: for destination_not_funded, the base reserve (drops).
        username: for recipient_not_found, the @username asked for.

    Returns:
        HTML text, or None when `code` is not a payment code.
    """
    match code:
        case ErrorCode.INVALID_AMOUNT:
            return texts.invalid_amount()
        case ErrorCode.AMOUNT_NOT_POSITIVE:
            return texts.amount_not_positive()
        case ErrorCode.TOO_MANY_DECIMALS:
            return texts.too_many_decimals()
        case ErrorCode.UNSUPPORTED_CURRENCY:
            return texts.unsupported_currency()
        case ErrorCode.INSUFFICIENT_FUNDS:
            return texts.insufficient_funds(
                None if spendable_drops is None else format_xrp(spendable_drops)
            )
        case ErrorCode.RECIPIENT_NOT_FOUND:
            return texts.recipient_not_found(username)
        case ErrorCode.INVALID_ADDRESS:
            return texts.invalid_address()
        case ErrorCode.INVALID_DESTINATION_TAG:
            return texts.invalid_destination_tag()
        case ErrorCode.SEND_TO_SELF:
            return texts.send_to_self()
        case ErrorCode.DESTINATION_TAG_REQUIRED:
            return texts.destination_tag_required()
        case ErrorCode.DESTINATION_NOT_FUNDED:
            return texts.destination_not_funded(
                None if minimum_drops is None else format_xrp(minimum_drops)
            )
        case ErrorCode.DESTINATION_DISALLOWS_XRP:
            return texts.destination_disallows_xrp()
        case ErrorCode.QUOTE_EXPIRED:
            return texts.quote_expired()
        case ErrorCode.QUOTE_ALREADY_CONFIRMED:
            return texts.quote_already_confirmed()
        case ErrorCode.QUOTE_CANCELLED:
            return texts.quote_cancelled()
        case ErrorCode.QUOTE_NOT_FOUND:
            return texts.quote_not_found()
        case ErrorCode.SIGNING_UNAVAILABLE:
            return texts.signing_unavailable()
        case ErrorCode.TRANSFER_EXPIRED:
            return texts.transfer_expired_short()
        case ErrorCode.TRANSFER_REJECTED:
            return texts.transfer_rejected_short()
        case ErrorCode.TRANSFER_NOT_SUBMITTED:
            return texts.transfer_not_submitted_short()
    return None
