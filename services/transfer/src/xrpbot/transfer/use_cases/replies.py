"""The replies about a transfer after its command was handled, addressed by its `ReplyTo`."""

from __future__ import annotations

import uuid

from xrpbot.schemas import (
    Actor,
    Counterparty,
    Envelope,
    ErrorCode,
    PaymentReceived,
    TransferFailed,
    TransferSubmitted,
    TransferValidated,
)

from ..domain.accounts import CustodialAccount
from ..domain.incoming import IncomingPayment
from ..domain.reply_to import ReplyTo
from ..domain.transfer import Transfer

__all__ = [
    "counterparty",
    "failed",
    "payment_received",
    "reply_to_of",
    "submitted",
    "validated",
]

_ALERT_NAMESPACE = uuid.UUID("6f1c6d2e-3f43-4a57-9a4e-5d0c1b8e2a10")
"""Alerts get a correlation id derived from (tx hash, owner): the same payment, the same id."""


def reply_to_of(cmd: Envelope) -> ReplyTo:
    """Where later replies to `cmd` go: its correlation id, user and chat."""
    return ReplyTo(correlation_id=cmd.correlation_id, user=cmd.user, chat_id=cmd.chat_id)


def counterparty(transfer: Transfer) -> Counterparty:
    """The transfer's destination as replies show it (address, tag, bot user if one)."""
    return Counterparty(
        address=transfer.destination_address,
        destination_tag=transfer.destination_tag,
        telegram_id=transfer.destination_user_id,
        username=transfer.destination_username,
    )


def submitted(transfer: Transfer) -> TransferSubmitted:
    """The blob was submitted (provisionally): the user sees "pending"."""
    assert transfer.tx_hash is not None  # noqa: S101  only signed transfers are submitted
    return TransferSubmitted(
        correlation_id=transfer.reply_to.correlation_id,
        user=transfer.reply_to.user,
        chat_id=transfer.reply_to.chat_id,
        transfer_id=transfer.id,
        tx_hash=transfer.tx_hash,
        destination=counterparty(transfer),
        amount_drops=transfer.amount_drops,
    )


def validated(transfer: Transfer) -> TransferValidated:
    """A validated transfer: delivered_drops reached the destination, fee_drops was paid."""
    assert transfer.tx_hash is not None  # noqa: S101  Transfer.validated requires a blob
    assert transfer.ledger_index is not None  # noqa: S101
    return TransferValidated(
        correlation_id=transfer.reply_to.correlation_id,
        user=transfer.reply_to.user,
        chat_id=transfer.reply_to.chat_id,
        transfer_id=transfer.id,
        tx_hash=transfer.tx_hash,
        destination=counterparty(transfer),
        delivered_drops=transfer.delivered_drops or transfer.amount_drops,
        fee_drops=transfer.fee_drops,
        ledger_index=transfer.ledger_index,
    )


def failed(transfer: Transfer, *, remaining_today_drops: int | None = None) -> TransferFailed:
    """A failed or expired transfer; the fee counts only when a validated ledger took it (tec).
    `remaining_today_drops` goes with daily_limit_exceeded (what the user may still send)."""
    return TransferFailed(
        correlation_id=transfer.reply_to.correlation_id,
        user=transfer.reply_to.user,
        chat_id=transfer.reply_to.chat_id,
        transfer_id=transfer.id,
        code=transfer.code or ErrorCode.INTERNAL,
        result=transfer.result,
        tx_hash=transfer.tx_hash,
        destination=counterparty(transfer),
        amount_drops=transfer.amount_drops,
        fee_drops=transfer.fee_drops if transfer.code is ErrorCode.TRANSFER_REJECTED else 0,
        remaining_today_drops=remaining_today_drops,
    )


def payment_received(
    payment: IncomingPayment, owner: CustodialAccount, known: dict[str, CustodialAccount]
) -> PaymentReceived:
    """The alert to a custodial account's owner; the source is named when it is a bot user."""
    source = known.get(payment.source)
    return PaymentReceived(
        correlation_id=uuid.uuid5(_ALERT_NAMESPACE, f"{payment.tx_hash}:{owner.telegram_id}"),
        user=Actor(telegram_id=owner.telegram_id, username=owner.username),
        chat_id=owner.telegram_id,
        tx_hash=payment.tx_hash,
        delivered_drops=payment.delivered_drops,
        source=Counterparty(
            address=payment.source,
            telegram_id=source.telegram_id if source else None,
            username=source.username if source else None,
        ),
        destination_tag=payment.destination_tag,
        ledger_index=payment.ledger_index,
    )
