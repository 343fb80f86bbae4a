"""Sending against fakes when the evidence is incomplete or stale: "expired" and "sequence
taken" wait for a history that holds the whole range, and a decision about an earlier blob is
never applied to the blob that replaced it."""

from __future__ import annotations

from typing import Any

from xrpbot.transfer.domain.accounts import AccountSnapshot
from xrpbot.transfer.domain.transfer import TransferState
from xrpbot.transfer.use_cases import sending

from .test_sending import XRP, confirmed, kinds


async def test_expiry_waits_until_the_server_holds_every_ledger_of_the_range(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    signed_at = world.transfer(cmd.transfer_id).signed_ledger_index
    world.ledger.validated += 10  # well past LastLedgerSequence, "not found" in a searched range
    world.ledger.complete = ((1, signed_at + 1), (signed_at + 3, world.ledger.validated))
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    assert kinds(world, cmd) == ["transfer.submitted"], "ledger signed_at + 2 may hold it"
    assert world.transfer(cmd.transfer_id).state is TransferState.SUBMITTED
    world.ledger.complete = None  # the server has backfilled its gap
    await sending.settle_unfinished(world.ledger.validated, world.deps)
    assert kinds(world, cmd) == ["transfer.submitted", "transfer.failed"]
    assert world.transfer(cmd.transfer_id).state is TransferState.EXPIRED


async def test_a_sequence_is_not_taken_while_the_server_misses_a_ledger(world: Any) -> None:
    cmd = await confirmed(world)
    sender = world.address_of(cmd.user)
    world.ledger.submit_results = ["tefPAST_SEQ", "tefPAST_SEQ"]
    world.ledger.open_sequences[sender] = 5
    world.ledger.accounts[sender] = AccountSnapshot(99 * XRP, 0, sequence=6)  # 5 is used
    world.ledger.complete = ((1, world.ledger.validated - 1),)  # the newest ledger is missing
    assert await sending.send_confirmed(world.ledger.validated, world.deps) is False
    assert world.transfer(cmd.transfer_id).state is TransferState.SIGNED, "maybe ours used it"
    assert world.store.attempts == {}
    world.ledger.complete = None
    world.ledger.validated += 1
    assert await sending.settle_unfinished(world.ledger.validated, world.deps) is True
    assert world.transfer(cmd.transfer_id).state is TransferState.CONFIRMED
    assert world.store.replies_to(cmd) == []


async def test_a_stale_decision_about_an_earlier_blob_changes_nothing(world: Any) -> None:
    cmd = await confirmed(world)
    await sending.send_confirmed(world.ledger.validated, world.deps)
    first = world.transfer(cmd.transfer_id)
    async with world.deps.new_uow() as uow:  # another replica set the blob aside and re-signed
        assert await uow.transfers.record_sequence_taken(first, first.sequence_taken(), "test")
        await uow.commit()
    cleared = world.transfer(cmd.transfer_id)
    async with world.deps.new_uow() as uow:
        resigned = cleared.sign(
            sequence=6,
            last_ledger_sequence=200,
            signed_ledger_index=100,
            tx_blob="B2",
            tx_hash="H2",
        )
        assert await uow.transfers.record_signed(cleared, resigned)
        await uow.commit()
    async with world.deps.new_uow() as uow:  # this replica still decides about the first blob
        assert not await uow.transfers.record_finished(first, first.expired(world.clock.now()))
        assert not await uow.transfers.record_sequence_taken(first, first.sequence_taken(), "x")
        await uow.commit()
    stored = world.transfer(cmd.transfer_id)
    assert (stored.state, stored.tx_hash) == (TransferState.SIGNED, "H2")
    assert kinds(world, cmd) == ["transfer.submitted"]
