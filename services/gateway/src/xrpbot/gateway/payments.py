"""Payment replies (quotes, outcomes, incoming payments, history) into Telegram messages. Pure.

Every word comes from `texts`; amounts are integer drops formatted by `formatting.format_xrp`.
Transaction links go to the explorer named by EXPLORER_TX_URL (the Testnet explorer by default):
`<explorer_tx_url><hash>`.
"""

from __future__ import annotations

import math
import re
from datetime import UTC
from html import escape

from xrpbot.schemas import (
    AnyReply,
    Counterparty,
    ErrorCode,
    HistoryEntry,
    HistoryReported,
    PaymentReceived,
    TransferCancelled,
    TransferFailed,
    TransferQuoted,
    TransferRefused,
    TransferSubmitted,
    TransferValidated,
)

from . import texts
from .formatting import format_xrp
from .keyboards import history_keyboard, quote_keyboard, tx_keyboard
from .market import format_age, format_fiat_amount, format_fiat_price
from .refusals import refusal_text
from .render import Rendered, error_text

__all__ = [
    "TESTNET_TX_EXPLORER",
    "counterparty_text",
    "render_payment",
    "short_address",
    "tx_link",
]

TESTNET_TX_EXPLORER = "https://testnet.xrpl.org/transactions/"
"""XRPL Testnet explorer; a transaction page is this prefix + the hash."""

_HASH = re.compile(r"[0-9A-Fa-f]{64}")


def short_address(address: str) -> str:
    """``rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY`` -> ``rPEPP…6GDY`` (plain text, not escaped)."""
    return address if len(address) <= 12 else f"{address[:5]}…{address[-4:]}"


def counterparty_text(party: Counterparty) -> str:
    """The other side as HTML: ``@bob``, or a shortened address, plus its tag if any."""
    who = f"@{escape(party.username)}" if party.username else escape(short_address(party.address))
    if party.destination_tag is not None:
        who = texts.counterparty_tag(who, party.destination_tag)
    return who


def tx_url(tx_hash: str, explorer_tx_url: str) -> str | None:
    """The explorer URL of a transaction, or None when `tx_hash` is not a 64-hex hash."""
    return explorer_tx_url + tx_hash.upper() if _HASH.fullmatch(tx_hash) else None


def tx_link(tx_hash: str | None, explorer_tx_url: str) -> str:
    """``<a href="…/HASH">ABCDEF12…</a>``, or "" when there is no valid hash."""
    url = tx_url(tx_hash, explorer_tx_url) if tx_hash else None
    if url is None or tx_hash is None:
        return ""
    return f'<a href="{escape(url)}">{escape(tx_hash[:8].upper())}…</a>'


def _quote(reply: TransferQuoted) -> Rendered:
    destination = reply.destination
    minutes = max(1, math.ceil((reply.expires_at - reply.occurred_at).total_seconds() / 60 - 0.01))
    text = texts.quote(
        recipient=f"@{destination.username}" if destination.username else "",
        address=destination.address,
        tag=destination.destination_tag,
        amount_xrp=format_xrp(reply.amount_drops),
        fee_xrp=format_xrp(reply.fee_drops),
        balance_after_xrp=format_xrp(reply.balance_after_drops),
        reserve_xrp=format_xrp(reply.reserve_drops),
        creates_account=not reply.destination_funded,
        expires_in_minutes=minutes,
    )
    if reply.fiat is not None:
        text += "\n" + texts.quote_fiat(
            amount=format_fiat_amount(reply.fiat.amount),
            currency=reply.fiat.currency,
            rate=format_fiat_price(reply.fiat.rate),
            age=format_age(reply.occurred_at - reply.fiat.as_of),
        )
    return Rendered(text, quote_keyboard(reply.transfer_id))


def _refused(reply: TransferRefused) -> Rendered:
    text = refusal_text(
        reply.code,
        spendable_drops=reply.spendable_drops,
        minimum_drops=reply.minimum_drops,
        username=reply.username,
    )
    if text is None:  # a general code (wallet_not_found, ledger_unavailable, …)
        text = error_text(reply.code)
    return Rendered(text)


def _with_tx_button(text: str, tx_hash: str | None, explorer_tx_url: str) -> Rendered:
    url = tx_url(tx_hash, explorer_tx_url) if tx_hash else None
    return Rendered(text, tx_keyboard(url) if url else None)


def _failed(reply: TransferFailed, explorer_tx_url: str) -> Rendered:
    amount, recipient = format_xrp(reply.amount_drops), counterparty_text(reply.destination)
    match reply.code:
        case ErrorCode.TRANSFER_EXPIRED:
            return Rendered(texts.transfer_expired(amount_xrp=amount, recipient=recipient))
        case ErrorCode.TRANSFER_REJECTED:
            text = texts.transfer_rejected(
                amount_xrp=amount,
                recipient=recipient,
                reason=texts.rejected_reason(reply.result),
                fee_xrp=format_xrp(reply.fee_drops),
                tx_link=tx_link(reply.tx_hash, explorer_tx_url),
            )
            return _with_tx_button(text, reply.tx_hash, explorer_tx_url)
        case ErrorCode.TRANSFER_NOT_SUBMITTED:
            return Rendered(texts.transfer_not_submitted(amount_xrp=amount, recipient=recipient))
    reason = refusal_text(reply.code)
    if reason is None:
        reason = error_text(reply.code)
    return Rendered(
        texts.transfer_failed_other(amount_xrp=amount, recipient=recipient, reason=reason)
    )


def _history_line(entry: HistoryEntry, explorer_tx_url: str) -> str:
    return texts.history_line(
        outgoing=entry.direction == "out",
        amount_xrp=format_xrp(entry.amount_drops),
        counterparty=counterparty_text(entry.counterparty),
        when=entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        status=texts.history_status(entry.status),
        tx_link=tx_link(entry.tx_hash, explorer_tx_url),
    )


def _history(reply: HistoryReported, explorer_tx_url: str) -> Rendered:
    if reply.total == 0:
        return Rendered(texts.history_empty())
    pages = max(1, math.ceil(reply.total / reply.page_size))
    if not reply.entries:  # a page past the end (the history shrank? never; be safe)
        lines = [texts.history_empty()]
    else:
        lines = [_history_line(entry, explorer_tx_url) for entry in reply.entries]
    page = min(reply.page, pages - 1)
    text = texts.history_page(lines=lines, page=page + 1, pages=pages, total=reply.total)
    return Rendered(text, history_keyboard(page, pages))


def render_payment(
    reply: AnyReply, *, explorer_tx_url: str = TESTNET_TX_EXPLORER
) -> Rendered | None:
    """The message for a payment reply; None for any other reply (see `render.render`).

    Args:
        reply: any reply.
        explorer_tx_url: prefix of a transaction's explorer page (EXPLORER_TX_URL).

    Returns:
        HTML text and an optional keyboard, or None.
    """
    match reply:
        case TransferQuoted():
            return _quote(reply)
        case TransferRefused():
            return _refused(reply)
        case TransferCancelled():
            return Rendered(texts.transfer_cancelled())
        case TransferSubmitted():
            text = texts.transfer_submitted(
                amount_xrp=format_xrp(reply.amount_drops),
                recipient=counterparty_text(reply.destination),
                tx_link=tx_link(reply.tx_hash, explorer_tx_url),
            )
            return Rendered(text)
        case TransferValidated():
            text = texts.transfer_validated(
                amount_xrp=format_xrp(reply.delivered_drops),
                recipient=counterparty_text(reply.destination),
                fee_xrp=format_xrp(reply.fee_drops),
                tx_link=tx_link(reply.tx_hash, explorer_tx_url),
            )
            return _with_tx_button(text, reply.tx_hash, explorer_tx_url)
        case TransferFailed():
            return _failed(reply, explorer_tx_url)
        case PaymentReceived():
            text = texts.payment_received(
                amount_xrp=format_xrp(reply.delivered_drops),
                sender=counterparty_text(reply.source),
                tag=reply.destination_tag,
                tx_link=tx_link(reply.tx_hash, explorer_tx_url),
            )
            return _with_tx_button(text, reply.tx_hash, explorer_tx_url)
        case HistoryReported():
            return _history(reply, explorer_tx_url)
    return None
