"""A payment's life and how its final state is decided. Pure.

Follows "Reliable Transaction Submission"
(https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission): the signed blob,
hash, Sequence and LastLedgerSequence are stored before the first submit; a submit's answer is
only provisional; the outcome comes from a validated ledger. A transaction that is not in a
validated ledger once the validated ledger index is past its LastLedgerSequence can never be
included: it expired and nothing was sent.

    quoted ──confirm──▶ confirmed ──sign──▶ signed ──submit──▶ submitted ──▶ validated | failed | expired
       │ └─cancel──▶ cancelled                 (resubmitted, same blob, until final)
       └─(2 min)──▶ quote expired (lazily, when pressed)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

__all__ = ["LedgerTx", "Outcome", "OutcomeKind", "Transfer", "TransferState", "decide_outcome"]


class TransferState(StrEnum):
    """Where a transfer is; stored in `transfers.state`."""

    REFUSED = "refused"
    """The request broke a rule; only this record of it is kept."""
    QUOTED = "quoted"
    CANCELLED = "cancelled"
    QUOTE_EXPIRED = "quote_expired"
    CONFIRMED = "confirmed"
    """The user confirmed; not signed yet (the signer or the ledger may be away)."""
    SIGNED = "signed"
    """Blob, hash, Sequence, LastLedgerSequence stored; maybe submitted already."""
    SUBMITTED = "submitted"
    """A submit was answered (provisionally); waiting for a validated ledger."""
    VALIDATED = "validated"
    FAILED = "failed"
    EXPIRED = "expired"

    @property
    def in_flight(self) -> bool:
        """Confirmed and not final: its amount and fee may still leave the account."""
        return self in {TransferState.CONFIRMED, TransferState.SIGNED, TransferState.SUBMITTED}


@dataclass(frozen=True, slots=True)
class LedgerTx:
    """What the `tx` method says about a hash.

    Attributes:
        found: the server knows the transaction (validated or not).
        validated: it is in a validated ledger.
        result: TransactionResult from its metadata (validated only).
        ledger_index: the ledger holding it (validated only).
        delivered_drops: meta.delivered_amount in drops, when XRP.
        searched_all: for "not found": the server holds every ledger of the range asked for.
    """

    found: bool
    validated: bool = False
    result: str | None = None
    ledger_index: int | None = None
    delivered_drops: int | None = None
    searched_all: bool = False


class OutcomeKind(StrEnum):
    """The decision for an in-flight transfer."""

    SENT = "sent"
    REJECTED = "rejected"
    EXPIRED = "expired"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A decision and what supports it."""

    kind: OutcomeKind
    result: str | None = None
    ledger_index: int | None = None
    delivered_drops: int | None = None


def decide_outcome(tx: LedgerTx, *, validated_index: int, last_ledger_sequence: int) -> Outcome:
    """Decide from the ledger alone whether a signed payment is sent, rejected, expired or pending.

    Args:
        tx: the `tx` answer for the payment's hash, asked over [signing ledger, LastLedgerSequence].
        validated_index: the latest validated ledger index, read BEFORE `tx` was asked, so that
            a validation between the two reads cannot be missed.
        last_ledger_sequence: the payment's LastLedgerSequence.
    """
    if tx.validated:
        if tx.result == "tesSUCCESS":
            return Outcome(OutcomeKind.SENT, tx.result, tx.ledger_index, tx.delivered_drops)
        return Outcome(OutcomeKind.REJECTED, tx.result, tx.ledger_index)
    if validated_index > last_ledger_sequence and (tx.found or tx.searched_all):
        # found but not validated, or not in any ledger of a complete range: it never will be
        return Outcome(OutcomeKind.EXPIRED)
    return Outcome(OutcomeKind.PENDING)


@dataclass(frozen=True, slots=True)
class Transfer:
    """A confirmed-or-quoted payment as stored; amounts in drops.

    `reply_to` is the envelope (correlation_id, user, chat_id) of the command whose message the
    outcome replies edit: the Confirm once pressed, the request before.
    """

    id: UUID
    telegram_id: int
    chat_id: int
    state: TransferState
    sender_address: str
    destination_address: str
    destination_tag: int | None
    destination_user_id: int | None
    destination_username: str | None
    amount_drops: int
    fee_drops: int
    expires_at: datetime | None = None
    reply_to: dict[str, Any] | None = None
    sequence: int | None = None
    last_ledger_sequence: int | None = None
    signed_ledger_index: int | None = None
    tx_blob: str | None = None
    tx_hash: str | None = None

    def unsigned_payment(
        self, *, sequence: int, last_ledger_sequence: int, network_id: int | None
    ) -> dict[str, Any]:
        """The Payment to sign, in XRPL JSON (Amount in drops as a string).

        NetworkID is set only for networks whose id is above 1024, as the protocol requires
        (https://xrpl.org/docs/references/protocol/transactions/common-fields#networkid-field).
        """
        tx: dict[str, Any] = {
            "TransactionType": "Payment",
            "Account": self.sender_address,
            "Destination": self.destination_address,
            "Amount": str(self.amount_drops),
            "Fee": str(self.fee_drops),
            "Sequence": sequence,
            "LastLedgerSequence": last_ledger_sequence,
            "Flags": 0,
        }
        if self.destination_tag is not None:
            tx["DestinationTag"] = self.destination_tag
        if network_id is not None and network_id > 1024:
            tx["NetworkID"] = network_id
        return tx
