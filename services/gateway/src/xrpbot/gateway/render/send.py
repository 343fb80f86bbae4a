"""/send's replies into messages: the quote, refusals, and the payment's outcomes. Pure.

Amounts are integer drops formatted by `numbers.format_xrp`. Transaction links go to the
explorer named by EXPLORER_TX_URL (the Testnet explorer by default): `<explorer_tx_url><hash>`.
The other side is named as `links.counterparty_text` does: a bot user by @username, never by
their custodial address.
"""

from __future__ import annotations

import math

from xrpbot.schemas import (
    ErrorCode,
    TransferFailed,
    TransferQuoted,
    TransferRefused,
    TransferSubmitted,
    TransferValidated,
)

from .keyboards import quote_keyboard
from .links import counterparty_text, tx_link, with_tx_button
from .message import Rendered
from .numbers import format_age, format_fiat_amount, format_fiat_price, format_xrp
from .texts import send
from .texts.errors import error_text

__all__ = [
    "failed_message",
    "quote_message",
    "refused_message",
    "submitted_message",
    "validated_message",
]


def quote_message(reply: TransferQuoted) -> Rendered:
    """The quote the user confirms, with Confirm and Cancel.

    A @username destination shows the user (@username, first name), not their custodial
    address, and warns when the username was last seen long ago; an address destination shows
    the address (`texts.send.quote`).
    """
    destination = reply.destination
    minutes = max(1, math.ceil((reply.expires_at - reply.occurred_at).total_seconds() / 60 - 0.01))
    stale_days = None
    if reply.username_stale and reply.username_seen_at is not None:
        stale_days = max(1, (reply.occurred_at - reply.username_seen_at).days)
    text = send.quote(
        recipient=f"@{destination.username}" if destination.username else "",
        first_name=reply.recipient_first_name or "",
        address=destination.address,
        stale_days=stale_days,
        tag=destination.destination_tag,
        amount_xrp=format_xrp(reply.amount_drops),
        fee_xrp=format_xrp(reply.fee_drops),
        balance_after_xrp=format_xrp(reply.balance_after_drops),
        reserve_xrp=format_xrp(reply.reserve_drops),
        creates_account=not reply.destination_funded,
        expires_in_minutes=minutes,
    )
    if reply.fiat is not None:
        text += "\n" + send.quote_fiat(
            amount=format_fiat_amount(reply.fiat.amount),
            currency=reply.fiat.currency,
            rate=format_fiat_price(reply.fiat.rate),
            age=format_age(reply.occurred_at - reply.fiat.as_of),
        )
    return Rendered(text, quote_keyboard(reply.transfer_id))


def refused_message(reply: TransferRefused) -> Rendered:
    """Why the transfer service refused a send or a quote button."""
    return Rendered(
        error_text(
            reply.code,
            spendable_drops=reply.spendable_drops,
            minimum_drops=reply.minimum_drops,
            username=reply.username,
        )
    )


def submitted_message(reply: TransferSubmitted, explorer_tx_url: str) -> Rendered:
    """Handed to the network, outcome pending."""
    text = send.transfer_submitted(
        amount_xrp=format_xrp(reply.amount_drops),
        recipient=counterparty_text(reply.destination),
        tx_link=tx_link(reply.tx_hash, explorer_tx_url),
    )
    return Rendered(text)


def validated_message(reply: TransferValidated, explorer_tx_url: str) -> Rendered:
    """Sent: in a validated ledger with tesSUCCESS."""
    text = send.transfer_validated(
        amount_xrp=format_xrp(reply.delivered_drops),
        recipient=counterparty_text(reply.destination),
        fee_xrp=format_xrp(reply.fee_drops),
        tx_link=tx_link(reply.tx_hash, explorer_tx_url),
    )
    return with_tx_button(text, reply.tx_hash, explorer_tx_url)


def failed_message(reply: TransferFailed, explorer_tx_url: str) -> Rendered:
    """A confirmed payment that was not sent, and why."""
    amount, recipient = format_xrp(reply.amount_drops), counterparty_text(reply.destination)
    match reply.code:
        case ErrorCode.TRANSFER_EXPIRED:
            return Rendered(send.transfer_expired(amount_xrp=amount, recipient=recipient))
        case ErrorCode.TRANSFER_REJECTED:
            text = send.transfer_rejected(
                amount_xrp=amount,
                recipient=recipient,
                reason=send.rejected_reason(reply.result),
                fee_xrp=format_xrp(reply.fee_drops),
                tx_link=tx_link(reply.tx_hash, explorer_tx_url),
            )
            return with_tx_button(text, reply.tx_hash, explorer_tx_url)
        case ErrorCode.TRANSFER_NOT_SUBMITTED:
            return Rendered(send.transfer_not_submitted(amount_xrp=amount, recipient=recipient))
    return Rendered(
        send.transfer_failed_other(
            amount_xrp=amount,
            recipient=recipient,
            reason=error_text(reply.code, remaining_today_drops=reply.remaining_today_drops),
        )
    )
