"""The payment engine: signs, submits and settles confirmed transfers; watches incoming payments.

It follows XRPL's "Reliable Transaction Submission"
(https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission):

1. prepare: under a per-account lock, pick the next Sequence (the open ledger's, or one past the
   highest of this account's unfinished transfers, so quick sends get consecutive sequences),
   LastLedgerSequence = validated ledger + offset; ask wallet to sign; store blob, hash,
   Sequence and LastLedgerSequence; commit; only then
2. submit: the answer is provisional (it says "pending" to the user, never "failed");
3. settle: on every new validated ledger, look the hash up; a validated result is final
   (tesSUCCESS → sent, tec… → failed, fee spent); a validated ledger past LastLedgerSequence
   without it → expired, nothing sent; otherwise submit the same blob again.

A blob whose Sequence another transaction took (tefPAST_SEQ, and not ours in a validated ledger)
can never be included: it is set aside and the transfer is prepared again, so tefPAST_SEQ never
reaches a user. Every state change is a conditional update in the same transaction as its reply
in the outbox, so a crash anywhere, or two replicas at once, sends each transfer at most once
and tells the user once. On start-up it resumes every unfinished transfer.

Incoming payments: from a cursor stored in the transfer schema, each validated ledger is read
once; Payments to custodial addresses with tesSUCCESS are recorded by hash with
meta.delivered_amount and their owners alerted exactly once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from xrpbot.runtime.logs import correlation_id_var
from xrpbot.runtime.metrics import record_ledger_progress, record_transfer_outcome
from xrpbot.runtime.worker import KickableWorker
from xrpbot.schemas import (
    Actor,
    ConfirmTransfer,
    Counterparty,
    ErrorCode,
    PaymentReceived,
    TransferFailed,
    TransferSubmitted,
    TransferValidated,
)

from .domain import (
    IncomingPayment,
    OutcomeKind,
    Transfer,
    TransferState,
    decide_outcome,
    incoming_payments,
)
from .ports import (
    Custody,
    CustodyRefused,
    CustodyUnavailable,
    Ledger,
    LedgerUnavailable,
    UnitOfWork,
)

__all__ = ["EngineSettings", "PaymentEngine"]

log = logging.getLogger(__name__)

_UNFINISHED = (TransferState.SIGNED, TransferState.SUBMITTED)
_ALERT_NAMESPACE = uuid.UUID("6f1c6d2e-3f43-4a57-9a4e-5d0c1b8e2a10")


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """Tuning of the engine.

    Attributes:
        last_ledger_offset: LastLedgerSequence = validated ledger index + this (ledgers).
        poll_seconds: how often to look for a new validated ledger.
        max_ledgers_per_pass: how many ledgers the watcher reads before settling again.
        concurrency: transfers (of different accounts) handled at once.
    """

    last_ledger_offset: int = 20
    poll_seconds: float = 0.25
    max_ledgers_per_pass: int = 50
    concurrency: int = 8


def _counterparty(transfer: Transfer) -> Counterparty:
    return Counterparty(
        address=transfer.destination_address,
        destination_tag=transfer.destination_tag,
        telegram_id=transfer.destination_user_id,
        username=transfer.destination_username,
    )


def _answer(transfer: Transfer) -> dict[str, Any]:
    """correlation_id, user and chat_id for a reply about `transfer` (its Confirm's)."""
    reply_to = transfer.reply_to or {}
    return {
        "correlation_id": reply_to.get("correlation_id", transfer.id),
        "user": reply_to.get("user", {"telegram_id": transfer.telegram_id}),
        "chat_id": reply_to.get("chat_id", transfer.chat_id),
    }


class PaymentEngine(KickableWorker):
    """Runs in each transfer replica; woken by `kick()` (a Confirm) and by new validated ledgers.

    Args:
        new_uow: opens a unit of work on the transfer schema.
        ledger: rippled JSON-RPC.
        custody: the wallet service (signing).
        settings: tuning.
        on_ledger: called with each new validated ledger index seen (for metrics).
    """

    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        ledger: Ledger,
        custody: Custody,
        settings: EngineSettings | None = None,
        on_ledger: Callable[[int], None] = lambda _: None,
    ) -> None:
        self.settings = settings or EngineSettings()
        super().__init__(
            "payment-engine",
            poll_seconds=self.settings.poll_seconds,
            quiet=(LedgerUnavailable, CustodyUnavailable),
            pause_after_error=1.0,
        )
        self.new_uow = new_uow
        self.ledger = ledger
        self.custody = custody
        self.on_ledger = on_ledger
        self._last_validated = 0

    async def step(self, kicked: bool) -> None:
        """Send at once after a Confirm; settle and watch on each new validated ledger."""
        validated = await self.ledger.validated_index()
        new_ledger = validated != self._last_validated
        if new_ledger:
            self._last_validated = validated
            self.on_ledger(validated)
        if new_ledger or kicked:  # a Confirm: send at once, before the next ledger
            await self.send_confirmed(validated)
        if new_ledger:  # outcomes and incoming payments change only with a ledger
            await self.settle_unfinished(validated)
            await self.watch(validated)

    async def run_once(self, validated: int) -> None:
        """One full pass: send confirmed transfers, settle unfinished ones, read new ledgers.

        Args:
            validated: the latest validated ledger index, read before this pass.
        """
        await self.send_confirmed(validated)
        await self.settle_unfinished(validated)
        await self.watch(validated)

    async def send_confirmed(self, validated: int) -> None:
        """Prepare, sign and submit every confirmed transfer; accounts in parallel, each
        account's transfers in order (so they take consecutive sequences)."""
        async with self.new_uow() as uow:
            confirmed = await uow.transfers.ids_in([TransferState.CONFIRMED])
        by_sender: dict[str, list[UUID]] = {}
        for transfer_id, sender in confirmed:
            by_sender.setdefault(sender, []).append(transfer_id)
        await self._concurrently(
            [self._send_in_order(ids, validated) for ids in by_sender.values()]
        )

    async def settle_unfinished(self, validated: int) -> None:
        """Settle (or resubmit) every signed transfer against validated ledger `validated`."""
        async with self.new_uow() as uow:
            unfinished = await uow.transfers.ids_in(_UNFINISHED)
        await self._concurrently([self.settle(t, validated) for t, _ in unfinished])

    async def _send_in_order(self, transfer_ids: list[UUID], validated: int) -> None:
        """One account's confirmed transfers, oldest first (each takes the next Sequence)."""
        for transfer_id in transfer_ids:
            await self.send(transfer_id, validated)

    async def _concurrently(self, jobs: list[Coroutine[Any, Any, None]]) -> None:
        """Run jobs with at most `settings.concurrency` at once; re-raise the first error."""
        limit = asyncio.Semaphore(self.settings.concurrency)

        async def bounded(job: Coroutine[Any, Any, None]) -> None:
            async with limit:
                await job

        results = await asyncio.gather(*(bounded(job) for job in jobs), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    # ---- outgoing --------------------------------------------------------------------------

    async def send(self, transfer_id: UUID, validated: int) -> None:
        """Prepare, sign, store and submit one confirmed transfer.

        Raises:
            LedgerUnavailable, CustodyUnavailable: nothing was stored; the next pass retries.
        """
        async with self.new_uow() as uow:
            transfer = await uow.transfers.get(transfer_id)
            if transfer is None or transfer.state is not TransferState.CONFIRMED:
                return
            correlation_id_var.set(str(_answer(transfer)["correlation_id"]))  # for the logs
            await uow.transfers.lock_account(transfer.sender_address)
            transfer = await uow.transfers.get(transfer_id, for_update=True)
            if transfer is None or transfer.state is not TransferState.CONFIRMED:
                return
            failure = await self._check_funds(uow, transfer)
            if failure is not None:
                await self._finish(uow, transfer, TransferState.FAILED, failure)
                await uow.commit()
                return
            _, highest = await uow.transfers.in_flight(
                transfer.sender_address, excluding=transfer.id
            )
            sequence = max(
                await self.ledger.next_sequence(transfer.sender_address), (highest or 0) + 1
            )
            last_ledger = validated + self.settings.last_ledger_offset
            tx_json = transfer.unsigned_payment(
                sequence=sequence,
                last_ledger_sequence=last_ledger,
                network_id=await self.ledger.network_id(),
            )
            try:
                signed = await self.custody.sign(_envelope(transfer), tx_json)
            except CustodyRefused as exc:
                log.error("wallet refused to sign transfer %s: %s", transfer.id, exc.code)
                await self._finish(uow, transfer, TransferState.FAILED, ErrorCode.INTERNAL)
                await uow.commit()
                return
            await uow.transfers.move(
                transfer.id,
                [TransferState.CONFIRMED],
                TransferState.SIGNED,
                sequence=sequence,
                last_ledger_sequence=last_ledger,
                signed_ledger_index=validated,
                tx_blob=signed.tx_blob,
                tx_hash=signed.tx_hash,
            )
            await uow.commit()
        async with self.new_uow() as uow:
            stored = await uow.transfers.get(transfer_id)
        if stored is not None:
            await self._submit(stored)

    async def _check_funds(self, uow: UnitOfWork, transfer: Transfer) -> ErrorCode | None:
        """Re-check the balance at sending time: it may have changed since the quote."""
        account = await self.ledger.account(transfer.sender_address)
        if account is None:
            return ErrorCode.ACCOUNT_NOT_FOUND
        base, owner = await self.ledger.reserve()
        in_flight, _ = await uow.transfers.in_flight(  # those ahead of it in line
            transfer.sender_address, excluding=transfer.id, prepared_only=True
        )
        spendable = (
            account.balance_drops
            - account.reserve_drops(base, owner)
            - in_flight
            - transfer.fee_drops
        )
        return ErrorCode.INSUFFICIENT_FUNDS if transfer.amount_drops > spendable else None

    async def _submit(self, transfer: Transfer) -> None:
        """Submit the stored blob (again); record the provisional result; never decide on it."""
        if transfer.tx_blob is None or transfer.state not in _UNFINISHED:
            return
        try:
            result = await self.ledger.submit(transfer.tx_blob)
        except LedgerUnavailable as exc:
            log.warning("submit of %s failed (%s); the next pass resubmits", transfer.tx_hash, exc)
            return
        log.info("submitted %s: %s (provisional)", transfer.tx_hash, result)
        if result == "tefPAST_SEQ":
            await self._maybe_abandon(transfer)
            return
        async with self.new_uow() as uow:
            if result.startswith("tem"):  # malformed: can never be included; nothing was sent
                current = await uow.transfers.get(transfer.id, for_update=True)
                if current is not None and current.state in _UNFINISHED:
                    await self._finish(
                        uow,
                        current,
                        TransferState.FAILED,
                        ErrorCode.TRANSFER_NOT_SUBMITTED,
                        result=result,
                    )
            elif await uow.transfers.move(
                transfer.id,
                [TransferState.SIGNED],
                TransferState.SUBMITTED,
                submit_result=result,
                submitted_at=datetime.now(UTC),
            ):
                await uow.reply(
                    TransferSubmitted(
                        **_answer(transfer),
                        transfer_id=transfer.id,
                        tx_hash=transfer.tx_hash,
                        destination=_counterparty(transfer),
                        amount_drops=transfer.amount_drops,
                    )
                )
            await uow.commit()

    async def _maybe_abandon(self, transfer: Transfer) -> None:
        """tefPAST_SEQ: if another transaction took this Sequence, prepare the transfer again."""
        assert transfer.tx_hash is not None  # noqa: S101  only stored blobs are submitted
        assert transfer.sequence is not None  # noqa: S101
        account = await self.ledger.account(transfer.sender_address)
        tx = await self.ledger.transaction(
            transfer.tx_hash,
            transfer.signed_ledger_index or 1,
            transfer.last_ledger_sequence or 1,
        )
        if tx.validated or account is None or account.sequence <= transfer.sequence:
            return  # ours is in, or not yet decided: settle decides
        async with self.new_uow() as uow:
            await uow.transfers.abandon_blob(transfer, "tefPAST_SEQ: sequence taken")
            moved = await uow.transfers.move(
                transfer.id,
                list(_UNFINISHED),
                TransferState.CONFIRMED,
                sequence=None,
                last_ledger_sequence=None,
                signed_ledger_index=None,
                tx_blob=None,
                tx_hash=None,
            )
            await uow.commit()
        if moved:
            log.warning(
                "transfer %s: sequence taken by another transaction; re-preparing", transfer.id
            )
            self.kick()

    async def settle(self, transfer_id: UUID, validated: int) -> None:
        """Decide a signed transfer from the validated ledger, or submit its blob again."""
        async with self.new_uow() as uow:
            transfer = await uow.transfers.get(transfer_id)
        if transfer is not None:
            correlation_id_var.set(str(_answer(transfer)["correlation_id"]))  # for the logs
        if (
            transfer is None
            or transfer.state not in _UNFINISHED
            or transfer.tx_hash is None
            or transfer.last_ledger_sequence is None
        ):
            return
        tx = await self.ledger.transaction(
            transfer.tx_hash,
            transfer.signed_ledger_index or 1,
            transfer.last_ledger_sequence,
        )
        outcome = decide_outcome(
            tx, validated_index=validated, last_ledger_sequence=transfer.last_ledger_sequence
        )
        if outcome.kind is OutcomeKind.PENDING:
            if not tx.found or transfer.state is TransferState.SIGNED:
                await self._submit(transfer)  # the server lost it (or never had it): again
            return
        async with self.new_uow() as uow:
            if outcome.kind is OutcomeKind.SENT:
                await self._finish(
                    uow,
                    transfer,
                    TransferState.VALIDATED,
                    None,
                    result=outcome.result,
                    ledger_index=outcome.ledger_index,
                    delivered_drops=outcome.delivered_drops or transfer.amount_drops,
                )
            elif outcome.kind is OutcomeKind.REJECTED:
                await self._finish(
                    uow,
                    transfer,
                    TransferState.FAILED,
                    ErrorCode.TRANSFER_REJECTED,
                    result=outcome.result,
                    ledger_index=outcome.ledger_index,
                )
            else:
                await self._finish(
                    uow, transfer, TransferState.EXPIRED, ErrorCode.TRANSFER_EXPIRED
                )
            await uow.commit()

    async def _finish(
        self,
        uow: UnitOfWork,
        transfer: Transfer,
        state: TransferState,
        code: ErrorCode | None,
        *,
        result: str | None = None,
        ledger_index: int | None = None,
        delivered_drops: int | None = None,
    ) -> None:
        """Move to a final state and queue the one reply that says so (if the move happened)."""
        moved = await uow.transfers.move(
            transfer.id,
            [TransferState.CONFIRMED, *_UNFINISHED],
            state,
            code=code.value if code else None,
            result=result,
            ledger_index=ledger_index,
            delivered_drops=delivered_drops,
            finished_at=datetime.now(UTC),
        )
        if not moved:
            return
        log.info("transfer %s: %s %s", transfer.id, state.value, result or code or "")
        record_transfer_outcome(state.value)
        if state is TransferState.VALIDATED:
            assert transfer.tx_hash is not None  # noqa: S101
            assert ledger_index is not None  # noqa: S101
            await uow.reply(
                TransferValidated(
                    **_answer(transfer),
                    transfer_id=transfer.id,
                    tx_hash=transfer.tx_hash,
                    destination=_counterparty(transfer),
                    delivered_drops=delivered_drops or transfer.amount_drops,
                    fee_drops=transfer.fee_drops,
                    ledger_index=ledger_index,
                )
            )
            return
        await uow.reply(
            TransferFailed(
                **_answer(transfer),
                transfer_id=transfer.id,
                code=code or ErrorCode.INTERNAL,
                result=result,
                tx_hash=transfer.tx_hash,
                destination=_counterparty(transfer),
                amount_drops=transfer.amount_drops,
                fee_drops=transfer.fee_drops if code is ErrorCode.TRANSFER_REJECTED else 0,
            )
        )

    # ---- incoming --------------------------------------------------------------------------

    async def watch(self, validated: int) -> None:
        """Read validated ledgers after the cursor (at most max_ledgers_per_pass per pass)."""
        async with self.new_uow() as uow:
            cursor = await uow.incoming.cursor(for_update=True)
            if cursor is None or cursor > validated:
                if cursor is not None:  # the ledger is younger than our cursor: a network reset
                    log.warning("ledger reset (cursor %s > validated %s)", cursor, validated)
                await uow.incoming.set_cursor(validated)
                await uow.commit()
                return
        last = min(validated, cursor + self.settings.max_ledgers_per_pass)
        for index in range(cursor + 1, last + 1):
            await self._read_ledger(index)
        record_ledger_progress(validated_index=validated, processed_index=last)
        if last < validated:
            self.kick()

    async def _read_ledger(self, index: int) -> None:
        entries = await self.ledger.ledger_transactions(index)
        destinations = [
            str(e["tx_json"].get("Destination"))
            for e in entries
            if e["tx_json"].get("TransactionType") == "Payment"
        ]
        async with self.new_uow() as uow:
            cursor = await uow.incoming.cursor(for_update=True)
            if cursor is not None and cursor >= index:
                return  # another replica read it
            custodial = await uow.accounts.among(destinations)
            payments = incoming_payments(entries, custodial.keys(), index)
            sources = await uow.accounts.among([p.source for p in payments])
            for payment in payments:
                owner = custodial[payment.destination]
                recorded = await uow.incoming.record(payment, owner.telegram_id)
                if recorded and not payment.creates_account:
                    await uow.reply(_alert(payment, owner.telegram_id, owner.username, sources))
            await uow.incoming.set_cursor(index)
            await uow.commit()


def _alert(
    payment: IncomingPayment, telegram_id: int, username: str | None, known: dict[str, Any]
) -> PaymentReceived:
    source = known.get(payment.source)
    return PaymentReceived(
        correlation_id=uuid.uuid5(_ALERT_NAMESPACE, f"{payment.tx_hash}:{telegram_id}"),
        user=Actor(telegram_id=telegram_id, username=username),
        chat_id=telegram_id,
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


def _envelope(transfer: Transfer) -> ConfirmTransfer:
    """The cause of requests to wallet about `transfer`: its Confirm (correlation id, user, chat)."""
    return ConfirmTransfer(**_answer(transfer), transfer_id=transfer.id)
