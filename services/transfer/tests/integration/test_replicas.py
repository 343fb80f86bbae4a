"""Two transfer replicas on one database never double-send.

Each replica is its own TransferDeps: its own connection pool (separate Postgres sessions), its
own XrplLedger client and LedgerWorker, over the same schema and the same rippled stand-in.
Where a race needs one exact interleaving, a replica is held at a named point (`Gate`) while
the other runs, so the order is forced, not hoped for; no timing decides a result.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio

from xrpbot.runtime.db import create_pool
from xrpbot.transfer.adapters.ledger import XrplLedger
from xrpbot.transfer.adapters.postgres.uow import TransferUnitOfWork
from xrpbot.transfer.domain.outcome import LedgerTx
from xrpbot.transfer.domain.reply_to import ReplyTo
from xrpbot.transfer.entrypoints.ledger_worker import LedgerWorker
from xrpbot.transfer.ports import LedgerUnavailable, SignedBlob, UnitOfWork
from xrpbot.transfer.use_cases import sending
from xrpbot.transfer.use_cases.deps import TransferDeps

from .conftest import XRP, LocalCustody, World
from .test_payments import confirm, quote, replies_to

pytestmark = pytest.mark.integration


@dataclass
class Gate:
    """Holds the first caller that reaches it until `open()`; later callers pass."""

    reached: asyncio.Event = field(default_factory=asyncio.Event)
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    armed: bool = True

    async def pass_(self) -> None:
        if self.armed:
            self.armed = False
            self.reached.set()
            await self.opened.wait()

    def open(self) -> None:
        self.opened.set()


class HeldLedger(XrplLedger):
    """XrplLedger whose `tx` lookup of one hash waits at a gate (once)."""

    def __init__(self, rpc_url: str) -> None:
        super().__init__(rpc_url)
        self.hold: tuple[str, Gate] | None = None

    async def transaction(self, tx_hash: str, min_ledger: int, max_ledger: int) -> LedgerTx:
        if self.hold is not None and self.hold[0] == tx_hash:
            await self.hold[1].pass_()
        return await super().transaction(tx_hash, min_ledger, max_ledger)


class HeldCustody(LocalCustody):
    """LocalCustody whose signing waits at `gate` when one is set (once)."""

    def __init__(self, base: LocalCustody) -> None:
        super().__init__()
        self.wallets, self.usernames = base.wallets, base.usernames
        self.gate: Gate | None = None

    async def sign(
        self, reply_to: ReplyTo, tx_json: Mapping[str, Any], *, transfer_id: UUID
    ) -> SignedBlob:
        if self.gate is not None:
            await self.gate.pass_()
        return await super().sign(reply_to, tx_json, transfer_id=transfer_id)


@dataclass
class Replica:
    """The second transfer replica."""

    pool: asyncpg.Pool[Any]
    ledger: HeldLedger
    deps: TransferDeps
    worker: LedgerWorker


@pytest_asyncio.fixture
async def replica(world: World) -> AsyncIterator[Replica]:
    pool = await create_pool(world.database_url, schema="transfer", application_name="replica-2")
    ledger = HeldLedger(world.ledger.rpc.rpc_url)

    def new_uow() -> UnitOfWork:
        return TransferUnitOfWork(pool, "transfer", lambda: None)

    deps = dataclasses.replace(world.deps, new_uow=new_uow, ledger=ledger)
    worker = LedgerWorker(deps)
    try:
        yield Replica(pool, ledger, deps, worker)
    finally:
        await worker.stop()
        await pool.close()


async def waiting_for_a_lock(pool: asyncpg.Pool[Any], application_name: str) -> None:
    """Return once a session of `application_name` waits for a lock (polls pg_stat_activity)."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 "
        "AND wait_event_type = 'Lock'"
    )
    while not await pool.fetchval(query, application_name):  # noqa: ASYNC110  another session's state
        await asyncio.sleep(0.01)


async def both_pass(world: World, replica: Replica) -> None:
    """One pass of each replica at the same validated ledger, at the same time."""
    validated = await world.ledger.validated_index()
    await asyncio.gather(world.worker.run_once(validated), replica.worker.run_once(validated))


async def test_two_replicas_racing_on_many_transfers_send_each_once(
    world: World, replica: Replica
) -> None:
    alice, alice_wallet = await world.user(1, "alice_x", xrp=1_000)
    carol, carol_wallet = await world.user(3, "carol_x", xrp=1_000)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    confirms = []
    for n in range(1, 5):
        for sender in (alice, carol):
            q = await quote(world, sender, str(n), "@bob_x")
            confirms.append((await confirm(world, sender, q["transfer_id"]), n))
    for _ in range(4):
        await both_pass(world, replica)
        world.close()
    await both_pass(world, replica)

    assert world.custody.signed == len(confirms), "each transfer signed once, by one replica"
    assert world.balance(bob_wallet.address) == 50 * XRP + 2 * (1 + 2 + 3 + 4) * XRP
    for cmd, n in confirms:
        kinds = [r["kind"] for r in await replies_to(world, cmd)]
        assert kinds == ["transfer.submitted", "transfer.validated"], (n, kinds)
    rows = await world.pool.fetch(
        "SELECT sender_address, array_agg(sequence ORDER BY sequence) AS sequences "
        "FROM transfers WHERE state = 'validated' GROUP BY sender_address"
    )
    sequences = {row["sender_address"]: row["sequences"] for row in rows}
    for address in (alice_wallet.address, carol_wallet.address):
        first = sequences[address][0]
        assert sequences[address] == list(range(first, first + 4)), "one Sequence each"


async def test_a_stale_sequence_taken_decision_never_clears_the_new_blob(
    world: World, replica: Replica
) -> None:
    """Replica 2 looks up the first blob and is held; replica 1 finds its Sequence taken,
    prepares the transfer again and submits a second blob; replica 2 then resumes with its
    decision about the first blob, which must change nothing (otherwise the second blob, on
    the network already, would be cleared and a third one sent: paid twice)."""
    alice, alice_wallet = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])
    transfer_id = UUID(q["transfer_id"])
    real_submit = world.ledger.submit

    async def lost(_: str) -> str:
        raise LedgerUnavailable("lost")

    world.ledger.submit = lost  # type: ignore[method-assign]
    await world.pass_()  # signed with Sequence N; the submit never arrives
    world.ledger.submit = real_submit  # type: ignore[method-assign]
    first = await world.pool.fetchval("SELECT tx_hash FROM transfers WHERE id = $1", transfer_id)
    other = world.submit_signed(  # another app with the same keys uses Sequence N
        alice_wallet,
        {"TransactionType": "Payment", "Destination": bob_wallet.address, "Amount": "1000000"},
    )
    assert other == "tesSUCCESS"
    validated = world.close()

    gate = Gate()
    replica.ledger.hold = (first, gate)
    held = asyncio.create_task(sending.settle(transfer_id, validated, replica.deps))
    await gate.reached.wait()
    assert await sending.settle(transfer_id, validated, world.deps) is True  # taken: set aside
    await sending.send_confirmed(validated, world.deps)  # the second blob, submitted
    second = await world.pool.fetchval("SELECT tx_hash FROM transfers WHERE id = $1", transfer_id)
    assert second not in (None, first)
    gate.open()
    await held
    assert (
        await world.pool.fetchval("SELECT tx_hash FROM transfers WHERE id = $1", transfer_id)
        == second
    ), "the decision about the first blob did not touch the second"

    for _ in range(3):
        await both_pass(world, replica)
        world.close()
    assert world.balance(bob_wallet.address) == (50 + 1 + 7) * XRP, "sent once"
    kinds = [r["kind"] for r in await replies_to(world, cmd)]
    assert kinds == ["transfer.submitted", "transfer.validated"]
    assert await world.pool.fetchval("SELECT count(*) FROM transfer_attempts") == 1


async def test_two_replicas_deciding_one_expiry_report_it_once(
    world: World, replica: Replica
) -> None:
    alice, alice_wallet = await world.user(1, "alice_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])
    transfer_id = UUID(q["transfer_id"])

    async def unreachable(_: str) -> str:
        raise LedgerUnavailable("no route")

    world.ledger.submit = unreachable  # type: ignore[method-assign]
    replica.ledger.submit = unreachable  # type: ignore[method-assign]
    await world.pass_()
    for _ in range(6):  # past LastLedgerSequence (validated + 4)
        validated = world.close()
    tx_hash = await world.pool.fetchval("SELECT tx_hash FROM transfers WHERE id = $1", transfer_id)
    gate = Gate()
    replica.ledger.hold = (tx_hash, gate)
    held = asyncio.create_task(sending.settle(transfer_id, validated, replica.deps))
    await gate.reached.wait()
    await sending.settle(transfer_id, validated, world.deps)
    gate.open()
    await held
    (failed,) = await replies_to(world, cmd)
    assert failed["code"] == "transfer_expired"
    assert world.balance(alice_wallet.address) == 100 * XRP


@dataclass
class LateClock:
    """A clock `ahead` of the real one (this replica sees every deadline passed)."""

    ahead: timedelta

    def now(self) -> datetime:
        return datetime.now(UTC) + self.ahead


async def test_a_give_up_racing_a_signing_never_reports_a_signed_payment_not_sent(
    world: World, replica: Replica
) -> None:
    """Replica 1 is signing (held inside wallet's answer); replica 2, whose clock says the
    signing deadline has passed, tries to give the transfer up at that moment. The payment
    is signed, so it must go out and be reported sent, never "not sent"."""
    alice, _ = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    custody = HeldCustody(world.custody)
    signing = dataclasses.replace(world.deps, custody=custody)
    late = dataclasses.replace(replica.deps, clock=LateClock(timedelta(hours=1)))
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])

    custody.gate = Gate()
    validated = await world.ledger.validated_index()
    sign = asyncio.create_task(sending.send_confirmed(validated, signing))
    await custody.gate.reached.wait()
    give_up = asyncio.create_task(sending.give_up_overdue(late))
    await waiting_for_a_lock(world.pool, "replica-2")  # on the transfer's row
    custody.gate.open()
    await asyncio.gather(sign, give_up)

    world.close()
    await both_pass(world, replica)
    kinds = [r["kind"] for r in await replies_to(world, cmd)]
    assert kinds == ["transfer.submitted", "transfer.validated"]
    assert world.balance(bob_wallet.address) == 57 * XRP
    assert custody.signed == 1
