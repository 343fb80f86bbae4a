"""Sending against fakes: send → signed → submitted → validated / failed / expired, the blob
stored before its first submit, tefPAST_SEQ prepared again, failures before signing, and the
signing deadline (given up, nothing sent)."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from xrpbot.schemas import (
    ConfirmTransfer,
    ErrorCode,
    TransferFailed,
    TransferSubmitted,
    TransferValidated,
)
from xrpbot.transfer.domain.accounts import AccountSnapshot
from xrpbot.transfer.domain.outcome import LedgerTx
from xrpbot.transfer.domain.transfer import TransferState
from xrpbot.transfer.ports import CustodyUnavailable, LedgerUnavailable
from xrpbot.transfer.use_cases import quotes, sending

XRP = 1_000_000


async def confirmed(world: Any, amount: str = "10", *, xrp: int = 100) -> ConfirmTransfer:
    """Alice (sequence 5) confirms a quote to bobby; the Confirm."""
    alice = world.user(1, "alice", xrp=xrp)
    world.user(2, "bobby")
    return await confirm_another(world, alice, amount)


async def confirm_another(world: Any, actor: Any, amount: str) -> ConfirmTransfer:
    quote = await world.quote(actor, amount, "@bobby")
    cmd = ConfirmTransfer.new(user=actor, chat_id=1, transfer_id=quote.transfer_id)
    await quotes.confirm_transfer(cmd, world.deps)
    return cmd


def kinds(world: Any, cmd: ConfirmTransfer) -> list[str]:
    return [r.kind for r in world.store.replies_to(cmd)]


async def test_send_stores_the_blob_before_submitting_it(world: Any) -> None:
    cmd = await confirmed(world)
    seen_at_submit: list[TransferState] = []
    real_submit = world.ledger.submit

    async def submit(blob: str) -> str:
        seen_at_submit.append(world.transfer(cmd.transfer_id).state)
        assert world.transfer(cmd.transfer_id).tx_blob == blob
        return await real_submit(blob)

    world.ledger.submit = submit
    assert await sending.send_confirmed(world.ledger.validated, world.deps) is False
    assert seen_at_submit == [TransferState.SIGNED]
    (reply_to, tx_json) = world.custody.signed[0]
    assert reply_to.correlation_id == cmd.correlation_id
    assert tx_json["Sequence"] == 5
    assert tx_json["LastLedgerSequence"] == world.ledger.validated + 4
    assert tx_json["Amount"] == str(10 * XRP)
    assert tx_json["Fee"] == "12"
    stored = world.transfer(cmd.transfer_id)
    assert stored.state is TransferState.SUBMITTED
    assert stored.submit_result == "tesSUCCESS"
    assert stored.signed_ledger_index == world.ledger.validated
    (submitted,) = world.store.replies_to(cmd)
    assert isinstance(submitted, TransferSubmitted)
    assert submitted.tx_hash == stored.tx_hash
    assert world.store.locked_accounts == [world.address_of(cmd.user)]


async def test_validated_in_a_ledger_is_sent_and_told_once(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    tx_hash = world.transfer(cmd.transfer_id).tx_hash
    world.ledger.include(tx_hash, delivered_drops=10 * XRP)
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    _, validated = world.store.replies_to(cmd)
    assert isinstance(validated, TransferValidated)
    assert validated.delivered_drops == 10 * XRP
    assert validated.ledger_index == world.ledger.validated
    stored = world.transfer(cmd.transfer_id)
    assert stored.state is TransferState.VALIDATED
    assert stored.finished_at == world.clock.now()
    assert world.metrics.finished == [TransferState.VALIDATED]
    assert len(world.ledger.submitted) == 1


async def test_a_tec_result_fails_and_the_fee_is_spent(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    world.ledger.include(world.transfer(cmd.transfer_id).tx_hash, "tecNO_DST_INSUF_XRP")
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    failed = world.store.replies_to(cmd)[-1]
    assert isinstance(failed, TransferFailed)
    assert failed.code is ErrorCode.TRANSFER_REJECTED
    assert failed.result == "tecNO_DST_INSUF_XRP"
    assert failed.fee_drops == 12
    assert world.transfer(cmd.transfer_id).state is TransferState.FAILED
    assert world.metrics.finished == [TransferState.FAILED]


async def test_not_in_a_ledger_by_last_ledger_sequence_expires(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    world.ledger.validated += 4  # at LastLedgerSequence: still pending, the blob goes again
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    assert kinds(world, cmd) == ["transfer.submitted"]
    assert len(world.ledger.submitted) == 2
    world.ledger.validated += 1  # past it, and the server has every ledger of the range
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    failed = world.store.replies_to(cmd)[-1]
    assert failed.code is ErrorCode.TRANSFER_EXPIRED
    assert failed.fee_drops == 0
    assert world.transfer(cmd.transfer_id).state is TransferState.EXPIRED
    assert world.metrics.finished == [TransferState.EXPIRED]


async def test_a_gap_in_the_servers_history_decides_nothing(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    tx_hash = world.transfer(cmd.transfer_id).tx_hash
    world.ledger.txs[tx_hash] = LedgerTx(found=False, searched_all=False)
    world.ledger.validated += 10
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    assert kinds(world, cmd) == ["transfer.submitted"]
    assert world.transfer(cmd.transfer_id).state is TransferState.SUBMITTED


async def test_a_lost_submit_is_submitted_again_by_settle(world: Any) -> None:
    cmd = await confirmed(world)
    world.ledger.submit_results = []
    real_submit = world.ledger.submit

    async def unreachable(_: str) -> str:
        raise LedgerUnavailable("no route")

    world.ledger.submit = unreachable
    await sending.send_confirmed(world.ledger.validated, world.deps)
    assert world.transfer(cmd.transfer_id).state is TransferState.SIGNED
    assert world.store.replies_to(cmd) == []
    world.ledger.submit = real_submit
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    assert kinds(world, cmd) == ["transfer.submitted"]
    assert len(world.custody.signed) == 1, "the same blob, never signed again"


async def test_a_submitted_transfer_seen_by_the_server_is_not_resubmitted(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    world.ledger.txs[world.transfer(cmd.transfer_id).tx_hash] = LedgerTx(found=True)
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    assert len(world.ledger.submitted) == 1


async def test_a_malformed_blob_fails_as_not_submitted(world: Any) -> None:
    cmd = await confirmed(world)
    world.ledger.submit_results = ["temBAD_FEE"]
    await sending.send_confirmed(world.ledger.validated, world.deps)
    (failed,) = world.store.replies_to(cmd)
    assert failed.code is ErrorCode.TRANSFER_NOT_SUBMITTED
    assert failed.result == "temBAD_FEE"
    assert world.transfer(cmd.transfer_id).state is TransferState.FAILED


async def test_sequence_taken_sets_the_blob_aside_and_prepares_again(world: Any) -> None:
    cmd = await confirmed(world)
    sender = world.address_of(cmd.user)
    world.ledger.submit_results = ["tefPAST_SEQ"]
    world.ledger.open_sequences[sender] = 5
    world.ledger.accounts[sender] = AccountSnapshot(99 * XRP, 0, sequence=6)  # 5 was taken
    assert await sending.send_confirmed(world.ledger.validated, world.deps) is True
    stored = world.transfer(cmd.transfer_id)
    assert stored.state is TransferState.CONFIRMED
    assert stored.tx_blob is None
    assert stored.sequence is None
    ((abandoned, (transfer_id, sequence, reason)),) = world.store.attempts.items()
    assert transfer_id == cmd.transfer_id
    assert sequence == 5
    assert reason.startswith("tefPAST_SEQ")
    assert world.store.replies_to(cmd) == [], "tefPAST_SEQ never reaches the user"

    world.ledger.open_sequences[sender] = 6
    assert await sending.send_confirmed(world.ledger.validated, world.deps) is False
    again = world.transfer(cmd.transfer_id)
    assert again.state is TransferState.SUBMITTED
    assert again.sequence == 6
    assert again.tx_hash != abandoned
    assert kinds(world, cmd) == ["transfer.submitted"]


async def test_tef_past_seq_for_our_own_validated_blob_leaves_it_to_settle(world: Any) -> None:
    cmd = await confirmed(world)
    sender = world.address_of(cmd.user)

    async def already_in(blob: str) -> str:  # an earlier submit of this blob made it
        world.ledger.include(world.transfer(cmd.transfer_id).tx_hash, delivered_drops=10 * XRP)
        world.ledger.accounts[sender] = AccountSnapshot(89 * XRP, 0, sequence=6)
        return "tefPAST_SEQ"

    world.ledger.submit = already_in
    assert await sending.send_confirmed(world.ledger.validated, world.deps) is False
    assert world.store.attempts == {}
    assert world.transfer(cmd.transfer_id).state is TransferState.SIGNED
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    assert kinds(world, cmd) == ["transfer.validated"]


async def test_funds_gone_since_the_quote_fail_before_signing(world: Any) -> None:
    cmd = await confirmed(world)
    world.ledger.accounts[world.address_of(cmd.user)] = AccountSnapshot(5 * XRP, 0, 5)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    (failed,) = world.store.replies_to(cmd)
    assert failed.code is ErrorCode.INSUFFICIENT_FUNDS
    assert failed.fee_drops == 0
    assert world.custody.signed == []
    assert world.metrics.finished == [TransferState.FAILED]


async def test_two_that_each_fit_but_not_both_send_only_the_first(world: Any) -> None:
    alice = world.user(1, "alice", xrp=30)
    world.user(2, "bobby")
    first_quote = await world.quote(alice, "20", "@bobby")
    second_quote = await world.quote(alice, "20", "@bobby")  # each fits; both do not
    first = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=first_quote.transfer_id)
    second = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=second_quote.transfer_id)
    await quotes.confirm_transfer(first, world.deps)
    await quotes.confirm_transfer(second, world.deps)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    assert kinds(world, first) == ["transfer.submitted"]
    (failed,) = world.store.replies_to(second)
    assert failed.code is ErrorCode.INSUFFICIENT_FUNDS
    assert len(world.custody.signed) == 1


async def test_quick_sends_of_one_account_take_consecutive_sequences(world: Any) -> None:
    first = await confirmed(world, "1")
    others = [await confirm_another(world, first.user, "1") for _ in range(3)]
    await sending.send_confirmed(world.ledger.validated, world.deps)
    sequences = [json.loads(blob)["Sequence"] for blob in world.ledger.submitted]
    assert sequences == [5, 6, 7, 8]
    ids: list[UUID] = [c.transfer_id for c in (first, *others)]
    assert [world.transfer(i).sequence for i in ids] == [5, 6, 7, 8]


async def test_wallet_refusing_to_sign_fails_the_transfer(world: Any) -> None:
    cmd = await confirmed(world)
    world.custody.refuse = ErrorCode.WALLET_NOT_FOUND
    await sending.send_confirmed(world.ledger.validated, world.deps)
    (failed,) = world.store.replies_to(cmd)
    assert failed.code is ErrorCode.INTERNAL
    assert world.transfer(cmd.transfer_id).state is TransferState.FAILED


async def test_each_signing_request_names_its_transfer(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    assert world.custody.signed_transfers == [cmd.transfer_id]


@pytest.mark.parametrize(
    "code",
    [ErrorCode.DAILY_LIMIT_EXCEEDED, ErrorCode.FEE_TOO_HIGH, ErrorCode.REQUEST_UNAUTHENTICATED],
)
async def test_wallets_bounds_are_told_as_they_are_and_nothing_is_sent(
    world: Any, code: ErrorCode
) -> None:
    cmd = await confirmed(world)
    world.custody.refuse = code
    world.custody.remaining_today_drops = (
        3_000_000 if code is ErrorCode.DAILY_LIMIT_EXCEEDED else None
    )
    await sending.send_confirmed(world.ledger.validated, world.deps)
    (failed,) = world.store.replies_to(cmd)
    assert failed.code is code
    assert failed.remaining_today_drops == world.custody.remaining_today_drops
    assert failed.tx_hash is None
    assert world.ledger.submitted == []
    assert world.transfer(cmd.transfer_id).state is TransferState.FAILED


async def test_wallet_away_leaves_it_confirmed_for_the_next_pass(world: Any) -> None:
    cmd = await confirmed(world)
    world.custody.down = True
    with pytest.raises(CustodyUnavailable):
        await sending.send_confirmed(world.ledger.validated, world.deps)
    assert world.transfer(cmd.transfer_id).state is TransferState.CONFIRMED
    world.custody.down = False
    await sending.send_confirmed(world.ledger.validated, world.deps)
    assert kinds(world, cmd) == ["transfer.submitted"]


DEADLINE_SECONDS = 120  # TransferDeps.sign_deadline's default, TRANSFER_SIGN_DEADLINE_SECONDS


async def test_wallet_away_past_the_deadline_ends_not_sent_and_is_told(world: Any) -> None:
    cmd = await confirmed(world)
    world.custody.down = True
    with pytest.raises(CustodyUnavailable):
        await sending.send_confirmed(world.ledger.validated, world.deps)
    world.clock.advance(DEADLINE_SECONDS + 1)

    await sending.send_confirmed(world.ledger.validated, world.deps)

    (failed,) = world.store.replies_to(cmd)
    assert isinstance(failed, TransferFailed)
    assert failed.code is ErrorCode.SIGNING_TIMED_OUT
    assert (failed.fee_drops, failed.tx_hash) == (0, None)  # nothing was sent, no fee
    stored = world.transfer(cmd.transfer_id)
    assert (stored.state, stored.finished_at) == (TransferState.FAILED, world.clock.now())
    assert world.metrics.finished == [TransferState.FAILED]


async def test_a_transfer_given_up_is_never_signed_when_wallet_returns(world: Any) -> None:
    cmd = await confirmed(world)
    world.custody.down = True
    world.clock.advance(DEADLINE_SECONDS + 1)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    world.custody.down = False

    await sending.send_confirmed(world.ledger.validated, world.deps)
    await sending.settle_unfinished(world.ledger.validated, world.deps)

    assert world.custody.signed == []
    assert world.ledger.submitted == []
    assert kinds(world, cmd) == ["transfer.failed"]


async def test_wallet_back_within_the_deadline_sends_it(world: Any) -> None:
    cmd = await confirmed(world)
    world.custody.down = True
    with pytest.raises(CustodyUnavailable):
        await sending.send_confirmed(world.ledger.validated, world.deps)
    world.clock.advance(DEADLINE_SECONDS)  # exactly at the deadline: still in time
    world.custody.down = False

    await sending.send_confirmed(world.ledger.validated, world.deps)

    assert kinds(world, cmd) == ["transfer.submitted"]


async def test_the_deadline_is_counted_from_the_confirm_and_is_a_setting(world: Any) -> None:
    cmd = await confirmed(world)
    world.clock.advance(30)
    short = dataclasses.replace(world.deps, sign_deadline=timedelta(seconds=20))

    await sending.send_confirmed(world.ledger.validated, short)

    assert world.store.replies_to(cmd)[0].code is ErrorCode.SIGNING_TIMED_OUT


async def test_giving_up_needs_no_ledger_and_tells_once(world: Any) -> None:
    overdue = await confirmed(world)
    world.clock.advance(DEADLINE_SECONDS + 1)
    fresh = await confirm_another(world, overdue.user, "1")
    world.ledger.down = True

    await sending.give_up_overdue(world.deps)
    await sending.give_up_overdue(world.deps)  # again (another replica, the next pass)

    assert kinds(world, overdue) == ["transfer.failed"]
    assert world.transfer(fresh.transfer_id).state is TransferState.CONFIRMED
    assert world.store.replies_to(fresh) == []


async def test_a_signed_transfer_is_never_given_up(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    world.clock.advance(DEADLINE_SECONDS * 10)

    await sending.give_up_overdue(world.deps)

    assert world.transfer(cmd.transfer_id).state is TransferState.SUBMITTED
    assert kinds(world, cmd) == ["transfer.submitted"]
