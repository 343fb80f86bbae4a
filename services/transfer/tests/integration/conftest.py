"""The transfer service's core against real Postgres and the sandbox's rippled stand-in.

Each test gets its own database (migrated, dropped afterwards) and its own ledger, served over
JSON-RPC in-process on a free port: the real XrplLedger adapter, the real repositories, the
real use cases and LedgerWorker. Ledgers close only when a test says so (`world.close()`), as a stand-alone
rippled does with `ledger_accept`. The wallet service is stood in for by `LocalCustody`, which
signs with xrpl-py like wallet does (wallet's own signing rules are tested in the wallet
service; the request/reply over RabbitMQ in tests/integration).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio
from xrpl.core.binarycodec import encode
from xrpl.models.transactions import Transaction
from xrpl.transaction import sign
from xrpl.wallet import Wallet

from xrpbot.runtime.db import create_pool
from xrpbot.runtime.migrations import Migrations
from xrpbot.sandbox.testing import RippledStandIn
from xrpbot.sandbox.xrpl.constants import GENESIS_SEED
from xrpbot.sandbox.xrpl.engine import LedgerEngine
from xrpbot.schemas import Actor, ErrorCode
from xrpbot.transfer.adapters.clock import SystemClock
from xrpbot.transfer.adapters.ledger import XrplLedger
from xrpbot.transfer.adapters.metrics import PrometheusTransferMetrics
from xrpbot.transfer.adapters.postgres.uow import TransferUnitOfWork
from xrpbot.transfer.domain.accounts import CustodialAccount
from xrpbot.transfer.domain.reply_to import ReplyTo
from xrpbot.transfer.domain.usernames import SeenUser
from xrpbot.transfer.entrypoints.ledger_worker import LedgerWorker
from xrpbot.transfer.ports import CustodyRefused, ResolvedUser, SignedBlob, UnitOfWork
from xrpbot.transfer.use_cases.deps import TransferDeps

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
XRP = 1_000_000


class LocalCustody:
    """Signs for the test's users with xrpl-py, as the wallet service does; can be switched off."""

    def __init__(self) -> None:
        self.wallets: dict[int, Wallet] = {}
        self.usernames: dict[str, int] = {}
        self.signed = 0

    async def sign(
        self, reply_to: ReplyTo, tx_json: Mapping[str, Any], *, transfer_id: UUID
    ) -> SignedBlob:
        wallet = self.wallets.get(reply_to.user.telegram_id)
        if wallet is None or tx_json["Account"] != wallet.address:
            raise CustodyRefused(ErrorCode.WALLET_NOT_FOUND)
        signed = sign(Transaction.from_xrpl(dict(tx_json)), wallet)
        self.signed += 1
        return SignedBlob(encode(signed.to_xrpl()), signed.get_hash())

    async def resolve(self, reply_to: ReplyTo, username: str) -> ResolvedUser | None:
        telegram_id = self.usernames.get(username.lower())
        if telegram_id is None:
            return None
        return ResolvedUser(telegram_id, self.wallets[telegram_id].address)


@dataclass
class World:
    """One test's system: database (at `database_url`), ledger, use-case dependencies, the
    ledger worker."""

    database_url: str
    pool: asyncpg.Pool[Any]
    ledger_engine: LedgerEngine
    ledger: XrplLedger
    custody: LocalCustody
    deps: TransferDeps
    worker: LedgerWorker
    genesis: Wallet = field(default_factory=lambda: Wallet.from_seed(GENESIS_SEED))

    def uow(self) -> UnitOfWork:
        return TransferUnitOfWork(self.pool, "transfer", lambda: None)

    def close(self) -> int:
        """Close (and validate) a ledger; its index."""
        return self.ledger_engine.close_ledger().index

    async def pass_(self) -> None:
        """One worker pass at the current validated ledger."""
        await self.worker.run_once(await self.ledger.validated_index())

    def submit_signed(self, wallet: Wallet, tx: dict[str, Any]) -> str:
        """Sign and submit a transaction directly to the ledger (outside the service)."""
        tx = {
            "Fee": "10",
            "Sequence": self.next_seq(wallet.address),
            "Account": wallet.address,
            **tx,
        }
        signed = sign(Transaction.from_xrpl(tx), wallet)
        return self.ledger_engine.submit(encode(signed.to_xrpl())).engine_result

    def next_seq(self, address: str) -> int:
        """The account's Sequence in the open ledger."""
        return self.ledger_engine.open_ledger.accounts[address].sequence

    async def user(
        self, telegram_id: int, username: str | None, *, xrp: int = 1_000
    ) -> tuple[Actor, Wallet]:
        """A bot user with a funded custodial account and their username, as wallet.opened
        leaves them."""
        wallet = Wallet.create()
        self.fund(wallet.address, xrp * XRP)
        self.custody.wallets[telegram_id] = wallet
        if username:
            self.custody.usernames[username.lower()] = telegram_id
        async with self.uow() as uow:
            opened_at = datetime.now(UTC)
            await uow.accounts.add(CustodialAccount(wallet.address, telegram_id, None, opened_at))
            await uow.accounts.see(SeenUser(telegram_id, username, opened_at))
            await uow.commit()
        return Actor(telegram_id=telegram_id, username=username), wallet

    def fund(self, address: str, drops: int, **extra: Any) -> str:
        """Pay `drops` from genesis to `address` and close a ledger; the tx hash."""
        tx = {
            "TransactionType": "Payment",
            "Account": self.genesis.address,
            "Destination": address,
            "Amount": str(drops),
            "Fee": "10",
            "Sequence": self.next_seq(self.genesis.address),
            **extra,
        }
        signed = sign(Transaction.from_xrpl(tx), self.genesis)
        result = self.ledger_engine.submit(encode(signed.to_xrpl()))
        assert result.engine_result == "tesSUCCESS", result.engine_result
        self.close()
        return signed.get_hash()

    def balance(self, address: str) -> int:
        """Balance in drops in the validated ledger (0 if the account does not exist)."""
        root = self.ledger_engine.validated_ledger.accounts.get(address)
        return root.balance_drops if root else 0

    async def outbox(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Bodies of the messages queued in the outbox (of one kind), oldest first."""
        rows = await self.pool.fetch("SELECT routing_key, body FROM outbox ORDER BY id")
        return [json.loads(r["body"]) for r in rows if kind is None or r["routing_key"] == kind]

    async def state(self, transfer_id: UUID | str) -> str:
        value: str = await self.pool.fetchval(
            "SELECT state FROM transfers WHERE id = $1", UUID(str(transfer_id))
        )
        return value


@pytest.fixture
def ledger_engine() -> LedgerEngine:
    """The test's ledger, served by `rippled`; `tx` answers txnNotFound as soon as a
    transaction is not validated (no TransactionMaster cache)."""
    return LedgerEngine(tx_cache_seconds=0)


@pytest_asyncio.fixture
async def world(servers: dict[str, str], rippled: RippledStandIn) -> AsyncIterator[World]:
    name = f"xrpbot_transfer_{secrets.token_hex(4)}"
    admin_url = urlunsplit(urlsplit(servers["postgres"])._replace(path="/postgres"))
    url = urlunsplit(urlsplit(servers["postgres"])._replace(path=f"/{name}"))
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await asyncio.to_thread(Migrations(url, "transfer", MIGRATIONS).apply)
    pool = await create_pool(url, schema="transfer", application_name="transfer-tests")
    ledger_engine = rippled.engine
    ledger = XrplLedger(rippled.url)
    custody = LocalCustody()

    def new_uow() -> UnitOfWork:
        return TransferUnitOfWork(pool, "transfer", lambda: None)

    deps = TransferDeps(
        new_uow=new_uow,
        ledger=ledger,
        custody=custody,
        clock=SystemClock(),
        metrics=PrometheusTransferMetrics(),
        last_ledger_offset=4,
    )
    worker = LedgerWorker(deps)
    try:
        yield World(url, pool, ledger_engine, ledger, custody, deps, worker)
    finally:
        await worker.stop()
        await pool.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
