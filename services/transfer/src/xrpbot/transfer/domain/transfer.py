"""A payment's life: its states, the moves allowed between them, and the Transfer record. Pure.

Follows "Reliable Transaction Submission"
(https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission): the signed blob,
hash, Sequence and LastLedgerSequence are stored (`sign`) before the first submit; a submit's
answer is only provisional (`submitted`); the final state comes from a validated ledger
(`validated`, `failed`, `expired`; see `outcome.decide_outcome`).

                            ┌──────────── sequence_taken ─────────────┐
                            ▼                  ┌──────────────────────┤
                                               │                      │
    quoted ──confirm──▶ confirmed ──sign──▶ signed ──submitted──▶ submitted
      │ └─cancel──▶ cancelled
      └─expire_quote──▶ quote_expired (lazily, when Confirm is pressed too late)

    confirmed | signed | submitted ──validated | failed | expired──▶ a final state
      (failed before signing when the funds are gone or wallet refuses; the same blob is
       resubmitted until a validated ledger decides)
    confirmed ──give_up──▶ failed (signing_timed_out: not signed within the deadline after
      its Confirm, so never sent)

Every method returns the transfer in its new state, or raises IllegalTransition; the repository
then persists the move only if the stored row is still in one of the move's source states
(`Transition.sources`), so two replicas never both make it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import Any
from uuid import UUID

from xrpbot.schemas import ErrorCode

from .reply_to import ReplyTo

__all__ = ["IllegalTransition", "Transfer", "TransferState", "Transition", "confirm_refusal"]


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
        return self in _IN_FLIGHT

    @property
    def prepared(self) -> bool:
        """Signed and not final: its blob may be on the network."""
        return self in _PREPARED


_IN_FLIGHT = frozenset({TransferState.CONFIRMED, TransferState.SIGNED, TransferState.SUBMITTED})
_PREPARED = frozenset({TransferState.SIGNED, TransferState.SUBMITTED})


class Transition(Enum):
    """The moves of the state diagram: (source states, target state)."""

    CONFIRM = (frozenset({TransferState.QUOTED}), TransferState.CONFIRMED)
    CANCEL = (frozenset({TransferState.QUOTED}), TransferState.CANCELLED)
    EXPIRE_QUOTE = (frozenset({TransferState.QUOTED}), TransferState.QUOTE_EXPIRED)
    SIGN = (frozenset({TransferState.CONFIRMED}), TransferState.SIGNED)
    SUBMIT = (frozenset({TransferState.SIGNED}), TransferState.SUBMITTED)
    SEQUENCE_TAKEN = (_PREPARED, TransferState.CONFIRMED)
    VALIDATE = (_IN_FLIGHT, TransferState.VALIDATED)
    FAIL = (_IN_FLIGHT, TransferState.FAILED)
    GIVE_UP = (frozenset({TransferState.CONFIRMED}), TransferState.FAILED)
    EXPIRE = (_IN_FLIGHT, TransferState.EXPIRED)

    @property
    def sources(self) -> frozenset[TransferState]:
        """The states this move starts from (the repository's condition on the stored row)."""
        sources: frozenset[TransferState] = self.value[0]
        return sources

    @property
    def target(self) -> TransferState:
        """The state this move ends in."""
        target: TransferState = self.value[1]
        return target


class IllegalTransition(Exception):
    """A move the state diagram does not allow from the transfer's state (a bug, never a user
    error)."""

    def __init__(self, state: TransferState, transition: Transition) -> None:
        super().__init__(f"{transition.name.lower()} is not allowed from {state.value}")
        self.state = state
        self.transition = transition


@dataclass(frozen=True, slots=True)
class Transfer:
    """A quoted-or-confirmed payment as stored; amounts in drops, times tz-aware UTC.

    Attributes:
        reply_to: where replies about it go: the /send's until confirmed, then the Confirm's.
        expires_at: the quote's deadline.
        sequence, last_ledger_sequence, signed_ledger_index, tx_blob, tx_hash: set by `sign`
            (signed_ledger_index: the validated ledger at signing, the start of `tx` searches).
        submit_result: the last submit's provisional engine_result.
        code: why it failed or expired; result, ledger_index: the validated TransactionResult
            and ledger; delivered_drops: meta.delivered_amount.
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
    reply_to: ReplyTo
    expires_at: datetime | None = None
    confirmed_at: datetime | None = None
    sequence: int | None = None
    last_ledger_sequence: int | None = None
    signed_ledger_index: int | None = None
    tx_blob: str | None = None
    tx_hash: str | None = None
    submit_result: str | None = None
    submitted_at: datetime | None = None
    code: ErrorCode | None = None
    result: str | None = None
    ledger_index: int | None = None
    delivered_drops: int | None = None
    finished_at: datetime | None = None

    def _move(self, transition: Transition, **changes: Any) -> Transfer:
        if self.state not in transition.sources:
            raise IllegalTransition(self.state, transition)
        return dataclasses.replace(self, state=transition.target, **changes)

    def confirm(self, reply_to: ReplyTo, at: datetime) -> Transfer:
        """quoted → confirmed; later replies answer `reply_to` (the Confirm)."""
        return self._move(Transition.CONFIRM, confirmed_at=at, reply_to=reply_to)

    def cancel(self) -> Transfer:
        """quoted → cancelled."""
        return self._move(Transition.CANCEL)

    def expire_quote(self) -> Transfer:
        """quoted → quote_expired (decided lazily, when Confirm is pressed too late)."""
        return self._move(Transition.EXPIRE_QUOTE)

    def sign(
        self,
        *,
        sequence: int,
        last_ledger_sequence: int,
        signed_ledger_index: int,
        tx_blob: str,
        tx_hash: str,
    ) -> Transfer:
        """confirmed → signed: the blob and what it was built with, stored before any submit."""
        return self._move(
            Transition.SIGN,
            sequence=sequence,
            last_ledger_sequence=last_ledger_sequence,
            signed_ledger_index=signed_ledger_index,
            tx_blob=tx_blob,
            tx_hash=tx_hash,
        )

    def submitted(self, submit_result: str, at: datetime) -> Transfer:
        """signed → submitted, with the submit's provisional engine_result (never final)."""
        return self._move(Transition.SUBMIT, submit_result=submit_result, submitted_at=at)

    def sequence_taken(self) -> Transfer:
        """signed | submitted → confirmed: another transaction took the Sequence, so this blob
        can never be included; it is cleared and the transfer is prepared again."""
        return self._move(
            Transition.SEQUENCE_TAKEN,
            sequence=None,
            last_ledger_sequence=None,
            signed_ledger_index=None,
            tx_blob=None,
            tx_hash=None,
        )

    def validated(
        self, *, result: str, ledger_index: int, delivered_drops: int, at: datetime
    ) -> Transfer:
        """→ validated: its blob is in a validated ledger with tesSUCCESS.

        Raises:
            IllegalTransition: not in flight, or it has no blob.
        """
        if self.tx_hash is None:
            raise IllegalTransition(self.state, Transition.VALIDATE)
        return self._move(
            Transition.VALIDATE,
            code=None,
            result=result,
            ledger_index=ledger_index,
            delivered_drops=delivered_drops,
            finished_at=at,
        )

    def failed(
        self,
        code: ErrorCode,
        *,
        at: datetime,
        result: str | None = None,
        ledger_index: int | None = None,
    ) -> Transfer:
        """→ failed with `code`: before sending (funds gone, wallet refused), malformed (tem…),
        or rejected in a validated ledger (tec…, `result` and `ledger_index` given)."""
        return self._move(
            Transition.FAIL,
            code=code,
            result=result,
            ledger_index=ledger_index,
            delivered_drops=None,
            finished_at=at,
        )

    def sign_overdue(self, now: datetime, deadline: timedelta) -> bool:
        """Confirmed, not signed, and confirmed more than `deadline` before `now`: it must not
        be signed any more (TRANSFER_SIGN_DEADLINE_SECONDS)."""
        return (
            self.state is TransferState.CONFIRMED
            and self.confirmed_at is not None
            and now - self.confirmed_at > deadline
        )

    def give_up(self, at: datetime) -> Transfer:
        """confirmed → failed (signing_timed_out): never signed, so nothing can be sent; only
        from confirmed, so a transfer signed meanwhile (its blob maybe on the network) is never
        reported as not sent."""
        return self._move(
            Transition.GIVE_UP,
            code=ErrorCode.SIGNING_TIMED_OUT,
            result=None,
            ledger_index=None,
            delivered_drops=None,
            finished_at=at,
        )

    def expired(self, at: datetime) -> Transfer:
        """→ expired: a validated ledger passed LastLedgerSequence without it; nothing sent."""
        return self._move(
            Transition.EXPIRE,
            code=ErrorCode.TRANSFER_EXPIRED,
            result=None,
            ledger_index=None,
            delivered_drops=None,
            finished_at=at,
        )

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


def confirm_refusal(
    transfer: Transfer | None, telegram_id: int, now: datetime
) -> ErrorCode | None:
    """Why a Confirm (or Cancel) by user `telegram_id` at `now` cannot move the quote; None if
    it can.

    Returns:
        quote_not_found (unknown, or someone else's), quote_cancelled, quote_expired (marked
        so, or past `expires_at`), quote_already_confirmed (any later state), or None.
    """
    if transfer is None or transfer.telegram_id != telegram_id:
        return ErrorCode.QUOTE_NOT_FOUND
    if transfer.state is TransferState.CANCELLED:
        return ErrorCode.QUOTE_CANCELLED
    if transfer.state is TransferState.QUOTE_EXPIRED:
        return ErrorCode.QUOTE_EXPIRED
    if transfer.state is not TransferState.QUOTED:
        return ErrorCode.QUOTE_ALREADY_CONFIRMED
    if transfer.expires_at is not None and now > transfer.expires_at:
        return ErrorCode.QUOTE_EXPIRED
    return None
