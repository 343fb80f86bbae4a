"""How a signed payment's final state is decided: from a validated ledger only. Pure.

Follows "Reliable Transaction Submission"
(https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission): a submit's answer
is only provisional; the outcome comes from a validated ledger. A transaction that is not in a
validated ledger once the validated ledger index is past its LastLedgerSequence can never be
included: it expired and nothing was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["LedgerTx", "Outcome", "OutcomeKind", "decide_outcome"]


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
