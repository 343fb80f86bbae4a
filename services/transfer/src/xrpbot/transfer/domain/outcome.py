"""How a signed payment's final state is decided: from a validated ledger only. Pure.

Follows "Reliable Transaction Submission"
(https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission): a submit's answer
is only provisional; the outcome comes from a validated ledger. A transaction that is not in a
validated ledger once the validated ledger index is past its LastLedgerSequence can never be
included: it expired and nothing was sent, but only if the server holds every ledger the
transaction could be in: a server with a gap in its history (`complete_ledgers`) may simply not
have the ledger holding it, and "not found" is then no evidence at all. Each such decision is
therefore taken only from a `LedgerHistory` that covers the whole range, read both before and
after the `tx` lookup (a ledger acquired or deleted in between would otherwise go unnoticed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "LedgerHistory",
    "LedgerTx",
    "Outcome",
    "OutcomeKind",
    "decide_outcome",
    "parse_complete_ledgers",
    "sequence_taken",
]


def parse_complete_ledgers(text: str) -> tuple[tuple[int, int], ...]:
    """rippled's `complete_ledgers` ("32570-32580,32582,32590-32600", or "empty") as inclusive
    (first, last) ranges
    (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/server_info).

    Raises:
        ValueError: not in that shape.
    """
    text = text.strip()
    if text in {"", "empty"}:
        return ()
    ranges = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        low, high = int(first), int(last or first)
        if low > high:
            raise ValueError(f"complete_ledgers range {part!r} runs backwards")
        ranges.append((low, high))
    return tuple(ranges)


@dataclass(frozen=True, slots=True)
class LedgerHistory:
    """What a server holds, from `server_info` at one instant.

    Attributes:
        validated_index: its latest validated ledger.
        complete: the ledgers it holds in full (`complete_ledgers`), inclusive ranges.
    """

    validated_index: int
    complete: tuple[tuple[int, int], ...]

    def covers(self, first: int, last: int) -> bool:
        """Whether every ledger first..last (inclusive) is held; True for an empty range."""
        if last < first:
            return True
        wanted = first
        for low, high in sorted(self.complete):
            if low > wanted:
                return False
            wanted = max(wanted, high + 1)
            if wanted > last:
                return True
        return False


def _all_cover(histories: Sequence[LedgerHistory], first: int, last: int) -> bool:
    """At least one history read, and every one of them holds first..last."""
    return bool(histories) and all(h.covers(first, last) for h in histories)


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


def decide_outcome(
    tx: LedgerTx,
    *,
    validated_index: int,
    first_ledger: int,
    last_ledger_sequence: int,
    histories: Sequence[LedgerHistory] = (),
) -> Outcome:
    """Decide from the ledger alone whether a signed payment is sent, rejected, expired or pending.

    Expired needs all of: the validated ledger is past LastLedgerSequence, `tx` did not find it
    validated (and found it, or searched all of its range), and every history given holds every
    ledger from `first_ledger` to LastLedgerSequence. Anything less is pending: wait.

    Args:
        tx: the `tx` answer for the payment's hash, asked over [first_ledger, LastLedgerSequence].
        validated_index: the latest validated ledger index, read BEFORE `tx` was asked, so that
            a validation between the two reads cannot be missed.
        first_ledger: the earliest ledger the payment could be in: the validated ledger when it
            was signed (before its first submission).
        last_ledger_sequence: the payment's LastLedgerSequence.
        histories: the server's `complete_ledgers`, read before and after the `tx` lookup.
    """
    if tx.validated:
        if tx.result == "tesSUCCESS":
            return Outcome(OutcomeKind.SENT, tx.result, tx.ledger_index, tx.delivered_drops)
        return Outcome(OutcomeKind.REJECTED, tx.result, tx.ledger_index)
    if (
        validated_index > last_ledger_sequence
        and (tx.found or tx.searched_all)
        and _all_cover(histories, first_ledger, last_ledger_sequence)
    ):
        # not in any validated ledger of a range the server holds in full: it never will be
        return Outcome(OutcomeKind.EXPIRED)
    return Outcome(OutcomeKind.PENDING)


def sequence_taken(
    tx: LedgerTx,
    *,
    account_sequence: int | None,
    sequence: int,
    first_ledger: int,
    last_ledger_sequence: int,
    histories: Sequence[LedgerHistory],
) -> bool:
    """Whether another transaction took the payment's Sequence, so its blob can never be
    included (after a tefPAST_SEQ; https://xrpl.org/docs/references/protocol/transactions/transaction-results/tef-codes).

    True only when the validated account has moved past `sequence` (some transaction with that
    Sequence is in a validated ledger at or before the histories' validated ledger), `tx` does
    not find ours validated, and every history holds every ledger ours could be in: from
    `first_ledger` to the earlier of LastLedgerSequence and the validated ledger of the first
    history (read after the account, so at least as new as the account's ledger).

    Args:
        tx: the `tx` answer for our hash over [first_ledger, LastLedgerSequence].
        account_sequence: the account's next Sequence in the validated ledger (None: no account).
        sequence: our blob's Sequence.
        histories: the server's `complete_ledgers`, read after the account and before and after
            the `tx` lookup.
    """
    if tx.validated or account_sequence is None or account_sequence <= sequence or not histories:
        return False
    last = min(last_ledger_sequence, histories[0].validated_index)
    return _all_cover(histories, first_ledger, last)
