"""Sending confirmed transfers: prepare, sign, submit, settle.

It follows XRPL's "Reliable Transaction Submission"
(https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission):

1. prepare (`send`): under a per-account lock, re-check the funds, pick the next Sequence (the
   open ledger's, or one past the highest of this account's unfinished transfers, so quick
   sends get consecutive sequences), LastLedgerSequence = validated ledger + offset; ask wallet
   to sign; store blob, hash, Sequence and LastLedgerSequence; commit; only then
2. submit: the answer is provisional (it says "pending" to the user, never "failed");
3. settle: on every new validated ledger, look the hash up; a validated result is final
   (tesSUCCESS → sent, tec… → failed, fee spent); a validated ledger past LastLedgerSequence
   without it → expired, nothing sent; otherwise submit the same blob again.

A confirmed transfer that cannot be signed within `TransferDeps.sign_deadline` of its Confirm
(TRANSFER_SIGN_DEADLINE_SECONDS; wallet or the ledger away) is given up: it fails with
signing_timed_out, nothing sent, and the user is told (`give_up_overdue`, and `send` before it
asks wallet). Wallet is asked only before the deadline, so the latest a payment can be signed is
the deadline plus one signing timeout (TRANSFER_SIGNING_TIMEOUT_SECONDS).

A blob whose Sequence another transaction took (tefPAST_SEQ, and not ours in a validated ledger)
can never be included: it is set aside and the transfer is prepared again, so tefPAST_SEQ never
reaches a user. "Expired" and "sequence taken" are decided only when the server holds every
ledger the blob could be in (its `complete_ledgers`, read before and after the `tx` lookup);
with a gap, nothing is decided and the same blob goes again.

Every state change is a move of `domain.transfer.Transfer`, persisted in the same transaction as
its reply in the outbox by a compare-and-set on the exact attempt it was decided from (the
stored state and tx_hash), so a crash anywhere, or two replicas deciding at once, sends each
transfer at most once, records one blob at a time and tells the user once; a decision about an
earlier blob is never applied to a later one. Preparing (Sequence, signing) runs under a
per-account lock with the transfer's row locked, so two replicas never sign one transfer twice
nor give two of an account's transfers one Sequence (a unique index on the prepared ones backs
this). Unfinished transfers are picked up again on every pass, also after a restart.

The functions return True when a transfer must be prepared again at once (its Sequence was
taken): the ledger worker then runs another pass without waiting for a ledger.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any
from uuid import UUID

from xrpbot.runtime.logs import correlation_id_var
from xrpbot.schemas import ErrorCode

from ..domain.outcome import OutcomeKind, decide_outcome, sequence_taken
from ..domain.transfer import Transfer, TransferState
from ..ports import CustodyRefused, LedgerUnavailable, UnitOfWork
from . import replies
from .deps import TransferDeps
from .finishing import finish, told

__all__ = ["give_up_overdue", "send", "send_confirmed", "settle", "settle_unfinished"]

log = logging.getLogger(__name__)

_PREPARED = (TransferState.SIGNED, TransferState.SUBMITTED)


async def send_confirmed(validated: int, deps: TransferDeps) -> bool:
    """Prepare, sign and submit every confirmed transfer; accounts in parallel, each account's
    transfers in order (so they take consecutive sequences).

    Args:
        validated: the latest validated ledger index, read before this pass.
    Returns:
        True when one of them must be prepared again (its Sequence was taken).
    Raises:
        LedgerUnavailable, CustodyUnavailable: the first such error of any account; what was
            not stored is retried by the next pass.
    """
    async with deps.new_uow() as uow:
        confirmed = await uow.transfers.ids_in([TransferState.CONFIRMED])
    by_sender: dict[str, list[UUID]] = {}
    for transfer_id, sender in confirmed:
        by_sender.setdefault(sender, []).append(transfer_id)
    jobs = [_send_in_order(ids, validated, deps) for ids in by_sender.values()]
    return any(await _concurrently(jobs, deps.concurrency))


async def settle_unfinished(validated: int, deps: TransferDeps) -> bool:
    """Settle (or resubmit) every signed transfer against validated ledger `validated`.

    Returns:
        True when one of them must be prepared again (its Sequence was taken).
    """
    async with deps.new_uow() as uow:
        unfinished = await uow.transfers.ids_in(_PREPARED)
    jobs = [settle(transfer_id, validated, deps) for transfer_id, _ in unfinished]
    return any(await _concurrently(jobs, deps.concurrency))


async def give_up_overdue(deps: TransferDeps) -> None:
    """Fail every confirmed transfer past its signing deadline (signing_timed_out), each with
    its one reply. Needs only the database, so the deadline holds while the ledger is away."""
    async with deps.new_uow() as uow:
        confirmed = await uow.transfers.ids_in([TransferState.CONFIRMED])
    for transfer_id, _ in confirmed:
        async with deps.new_uow() as uow:
            transfer = await uow.transfers.get(transfer_id, for_update=True)
            if transfer is not None and await _gave_up(uow, transfer, deps):
                await uow.commit()


async def _gave_up(uow: UnitOfWork, transfer: Transfer, deps: TransferDeps) -> bool:
    """Give `transfer` up if it is past its signing deadline; True if it was (and told)."""
    now = deps.clock.now()
    if not transfer.sign_overdue(now, deps.sign_deadline):
        return False
    given_up = transfer.give_up(now)
    if await uow.transfers.record_given_up(transfer, given_up):
        correlation_id_var.set(str(transfer.reply_to.correlation_id))  # for the logs
        log.warning("transfer %s: not signed within %s; given up", transfer.id, deps.sign_deadline)
        await told(uow, given_up, deps)
    return True


async def _send_in_order(transfer_ids: list[UUID], validated: int, deps: TransferDeps) -> bool:
    """One account's confirmed transfers, oldest first (each takes the next Sequence)."""
    again = False
    for transfer_id in transfer_ids:
        again |= await send(transfer_id, validated, deps)
    return again


async def _concurrently(jobs: list[Coroutine[Any, Any, bool]], limit: int) -> list[bool]:
    """Run jobs with at most `limit` at once; their results, or the first error re-raised."""
    semaphore = asyncio.Semaphore(limit)

    async def bounded(job: Coroutine[Any, Any, bool]) -> bool:
        async with semaphore:
            return await job

    results = await asyncio.gather(*(bounded(job) for job in jobs), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return [result for result in results if isinstance(result, bool)]


async def send(transfer_id: UUID, validated: int, deps: TransferDeps) -> bool:
    """Prepare, sign, store and submit one confirmed transfer.

    Fails it (TransferFailed) when it is past its signing deadline (signing_timed_out), the
    funds are no longer there (insufficient_funds, account_not_found) or wallet refuses to sign
    (internal, or the refusal told as is).

    Returns:
        True when it must be prepared again (the submit found its Sequence taken).
    Raises:
        LedgerUnavailable, CustodyUnavailable: nothing was stored; the next pass retries.
    """
    async with deps.new_uow() as uow:
        transfer = await uow.transfers.get(transfer_id)
        if transfer is None or transfer.state is not TransferState.CONFIRMED:
            return False
        correlation_id_var.set(str(transfer.reply_to.correlation_id))  # for the logs
        await uow.transfers.lock_account(transfer.sender_address)
        transfer = await uow.transfers.get(transfer_id, for_update=True)
        if transfer is None or transfer.state is not TransferState.CONFIRMED:
            return False
        if await _gave_up(uow, transfer, deps):
            await uow.commit()
            return False
        failure = await _check_funds(uow, transfer, deps)
        if failure is not None:
            await finish(uow, transfer, transfer.failed(failure, at=deps.clock.now()), deps)
            await uow.commit()
            return False
        _, highest = await uow.transfers.in_flight(transfer.sender_address, excluding=transfer.id)
        sequence = max(
            await deps.ledger.next_sequence(transfer.sender_address), (highest or 0) + 1
        )
        last_ledger = validated + deps.last_ledger_offset
        tx_json = transfer.unsigned_payment(
            sequence=sequence,
            last_ledger_sequence=last_ledger,
            network_id=await deps.ledger.network_id(),
        )
        try:
            signed = await deps.custody.sign(transfer.reply_to, tx_json, transfer_id=transfer.id)
        except CustodyRefused as exc:
            log.error("wallet refused to sign transfer %s: %s", transfer.id, exc.code)
            code = exc.code if exc.code in TOLD_AS_IS else ErrorCode.INTERNAL
            await finish(
                uow,
                transfer,
                transfer.failed(code, at=deps.clock.now()),
                deps,
                remaining_today_drops=exc.remaining_today_drops,
            )
            await uow.commit()
            return False
        await uow.transfers.record_signed(
            transfer,
            transfer.sign(
                sequence=sequence,
                last_ledger_sequence=last_ledger,
                signed_ledger_index=validated,
                tx_blob=signed.tx_blob,
                tx_hash=signed.tx_hash,
            ),
        )
        await uow.commit()
    async with deps.new_uow() as uow:
        stored = await uow.transfers.get(transfer_id)
    return stored is not None and await _submit(stored, deps)


async def _check_funds(
    uow: UnitOfWork, transfer: Transfer, deps: TransferDeps
) -> ErrorCode | None:
    """Re-check the balance at sending time (it may have changed since the quote): the amount
    must fit in what is spendable behind the account's transfers already prepared."""
    account = await deps.ledger.account(transfer.sender_address)
    if account is None:
        return ErrorCode.ACCOUNT_NOT_FOUND
    base, owner = await deps.ledger.reserve()
    in_flight, _ = await uow.transfers.in_flight(  # those ahead of it in line
        transfer.sender_address, excluding=transfer.id, prepared_only=True
    )
    spendable = account.spendable_drops(
        reserve_base_drops=base,
        reserve_owner_drops=owner,
        fee_drops=transfer.fee_drops,
        in_flight_drops=in_flight,
    )
    return ErrorCode.INSUFFICIENT_FUNDS if transfer.amount_drops > spendable else None


async def _submit(transfer: Transfer, deps: TransferDeps) -> bool:
    """Submit the stored blob (again); record the provisional result; never decide on it.

    Returns:
        True when the transfer was put back to be prepared again (tefPAST_SEQ).
    """
    if transfer.tx_blob is None or not transfer.state.prepared:
        return False
    try:
        result = await deps.ledger.submit(transfer.tx_blob)
    except LedgerUnavailable as exc:
        log.warning("submit of %s failed (%s); the next pass resubmits", transfer.tx_hash, exc)
        return False
    log.info("submitted %s: %s (provisional)", transfer.tx_hash, result)
    if result == "tefPAST_SEQ":
        return await _prepare_again_if_taken(transfer, deps)
    async with deps.new_uow() as uow:
        if result.startswith("tem"):  # malformed: this blob can never be included
            failed = transfer.failed(
                ErrorCode.TRANSFER_NOT_SUBMITTED, at=deps.clock.now(), result=result
            )
            await finish(uow, transfer, failed, deps)  # only if the row still holds this blob
        elif transfer.state is TransferState.SIGNED:
            submitted = transfer.submitted(result, deps.clock.now())
            if await uow.transfers.record_submitted(transfer, submitted):
                await uow.reply(replies.submitted(submitted))
        await uow.commit()
    return False


async def _prepare_again_if_taken(transfer: Transfer, deps: TransferDeps) -> bool:
    """tefPAST_SEQ: if another transaction took this Sequence, set the blob aside.

    Decided only from evidence that covers every ledger the blob could be in
    (`domain.outcome.sequence_taken`): the validated account past its Sequence, then the
    server's history read before and after the `tx` lookup; otherwise nothing changes.

    Returns:
        True when the transfer went back to confirmed (to be prepared again).
    """
    assert transfer.tx_hash is not None  # noqa: S101  only stored blobs are submitted
    assert transfer.sequence is not None  # noqa: S101
    assert transfer.last_ledger_sequence is not None  # noqa: S101
    first_ledger = transfer.signed_ledger_index or 1
    account = await deps.ledger.account(transfer.sender_address)
    before = await deps.ledger.history()
    tx = await deps.ledger.transaction(
        transfer.tx_hash, first_ledger, transfer.last_ledger_sequence
    )
    after = await deps.ledger.history()
    taken = sequence_taken(
        tx,
        account_sequence=None if account is None else account.sequence,
        sequence=transfer.sequence,
        first_ledger=first_ledger,
        last_ledger_sequence=transfer.last_ledger_sequence,
        histories=(before, after),
    )
    if not taken:
        return False  # ours is in, or not yet decided: settle decides
    async with deps.new_uow() as uow:
        moved = await uow.transfers.record_sequence_taken(
            transfer, transfer.sequence_taken(), "tefPAST_SEQ: sequence taken"
        )
        await uow.commit()
    if moved:
        log.warning(
            "transfer %s: sequence taken by another transaction; re-preparing", transfer.id
        )
    return moved


async def settle(transfer_id: UUID, validated: int, deps: TransferDeps) -> bool:
    """Decide a signed transfer from the validated ledger (TransferValidated, or TransferFailed
    with transfer_rejected / transfer_expired), or submit its blob again.

    Args:
        validated: the latest validated ledger index, read before the `tx` lookup.
    Returns:
        True when a resubmission found its Sequence taken (prepare it again).
    """
    async with deps.new_uow() as uow:
        transfer = await uow.transfers.get(transfer_id)
    if transfer is not None:
        correlation_id_var.set(str(transfer.reply_to.correlation_id))  # for the logs
    if (
        transfer is None
        or not transfer.state.prepared
        or transfer.tx_hash is None
        or transfer.last_ledger_sequence is None
    ):
        return False
    first_ledger = transfer.signed_ledger_index or 1
    expiry_possible = validated > transfer.last_ledger_sequence
    histories = [await deps.ledger.history()] if expiry_possible else []
    tx = await deps.ledger.transaction(
        transfer.tx_hash, first_ledger, transfer.last_ledger_sequence
    )
    if expiry_possible:
        histories.append(await deps.ledger.history())
    outcome = decide_outcome(
        tx,
        validated_index=validated,
        first_ledger=first_ledger,
        last_ledger_sequence=transfer.last_ledger_sequence,
        histories=histories,
    )
    if outcome.kind is OutcomeKind.PENDING:
        if not tx.found or transfer.state is TransferState.SIGNED:
            return await _submit(transfer, deps)  # the server lost it (or never had it): again
        return False
    now = deps.clock.now()
    if outcome.kind is OutcomeKind.SENT:
        assert outcome.result is not None  # noqa: S101  a validated tx has a result
        assert outcome.ledger_index is not None  # noqa: S101  and a ledger
        finished = transfer.validated(
            result=outcome.result,
            ledger_index=outcome.ledger_index,
            delivered_drops=outcome.delivered_drops or transfer.amount_drops,
            at=now,
        )
    elif outcome.kind is OutcomeKind.REJECTED:
        finished = transfer.failed(
            ErrorCode.TRANSFER_REJECTED,
            at=now,
            result=outcome.result,
            ledger_index=outcome.ledger_index,
        )
    else:
        finished = transfer.expired(now)
    async with deps.new_uow() as uow:
        await finish(uow, transfer, finished, deps)  # only if the row still holds this blob
        await uow.commit()
    return False


TOLD_AS_IS = frozenset(
    {ErrorCode.FEE_TOO_HIGH, ErrorCode.DAILY_LIMIT_EXCEEDED, ErrorCode.REQUEST_UNAUTHENTICATED}
)
"""Wallet's refusals the user is told as they are ("over your daily limit"); any other refusal
is an internal error (the user is told nothing was sent)."""
