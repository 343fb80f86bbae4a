"""The ledger worker: a kick sends at once, a new validated ledger also settles and watches; the
signing deadline holds while the ledger is away."""

from __future__ import annotations

from typing import Any

import pytest

from xrpbot.schemas import ConfirmTransfer, ErrorCode
from xrpbot.transfer.domain.accounts import AccountSnapshot
from xrpbot.transfer.domain.transfer import TransferState
from xrpbot.transfer.entrypoints.ledger_worker import LedgerWorker
from xrpbot.transfer.ports import LedgerUnavailable
from xrpbot.transfer.use_cases import quotes

XRP = 1_000_000


async def confirmed(world: Any) -> ConfirmTransfer:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    cmd = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=quote.transfer_id)
    await quotes.confirm_transfer(cmd, world.deps)
    return cmd


async def test_a_new_ledger_sends_settles_and_watches(world: Any) -> None:
    cmd = await confirmed(world)
    worker = LedgerWorker(world.deps)
    await worker.step(kicked=False)
    assert world.transfer(cmd.transfer_id).state is TransferState.SUBMITTED
    assert world.store.cursor == world.ledger.validated
    world.ledger.include(world.transfer(cmd.transfer_id).tx_hash)
    await worker.step(kicked=False)
    assert world.transfer(cmd.transfer_id).state is TransferState.VALIDATED
    assert world.metrics.progress == [(world.ledger.validated, world.ledger.validated)]


async def test_a_kick_without_a_new_ledger_only_sends(world: Any) -> None:
    worker = LedgerWorker(world.deps)
    await worker.step(kicked=False)  # sees ledger 100
    cmd = await confirmed(world)
    world.store.cursor = 99  # a ledger left to read: not read without a new ledger
    await worker.step(kicked=True)
    assert world.transfer(cmd.transfer_id).state is TransferState.SUBMITTED
    assert world.store.cursor == 99
    await worker.step(kicked=False)  # no kick, no new ledger: nothing
    assert world.store.cursor == 99


async def test_a_sequence_taken_asks_for_another_pass_at_once(world: Any) -> None:
    cmd = await confirmed(world)
    sender = world.address_of(cmd.user)
    world.ledger.open_sequences[sender] = 5
    world.ledger.accounts[sender] = AccountSnapshot(99 * XRP, 0, sequence=6)
    world.ledger.submit_results = ["tefPAST_SEQ"]
    worker = LedgerWorker(world.deps)
    await worker.step(kicked=False)
    assert world.transfer(cmd.transfer_id).state is TransferState.CONFIRMED
    assert worker._wake.is_set(), "kicked itself"


async def test_with_the_ledger_away_a_transfer_past_its_deadline_is_still_told(
    world: Any,
) -> None:
    cmd = await confirmed(world)
    world.ledger.down = True
    world.clock.advance(121)  # past TRANSFER_SIGN_DEADLINE_SECONDS' default
    worker = LedgerWorker(world.deps)

    with pytest.raises(LedgerUnavailable):  # the worker logs it and tries again
        await worker.step(kicked=True)

    assert world.transfer(cmd.transfer_id).state is TransferState.FAILED
    (failed,) = world.store.replies_to(cmd)
    assert failed.code is ErrorCode.SIGNING_TIMED_OUT
