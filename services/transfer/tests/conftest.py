"""Fakes for transfer's ports as fixtures: tiny classes that satisfy the Protocols of
`xrpbot.transfer.ports` (the fake schema, its unit of work and repositories, in fake_schema.py),
and `world`, the use cases' dependencies wired to them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from xrpl.core.addresscodec import encode_classic_address

from xrpbot.schemas import (
    Actor,
    Envelope,
    ErrorCode,
    RequestTransfer,
)
from xrpbot.transfer.domain.accounts import AccountSnapshot, CustodialAccount
from xrpbot.transfer.domain.outcome import LedgerHistory, LedgerTx
from xrpbot.transfer.domain.quote import LSF_DEPOSIT_AUTH
from xrpbot.transfer.domain.reply_to import ReplyTo
from xrpbot.transfer.domain.transfer import Transfer, TransferState
from xrpbot.transfer.domain.usernames import SeenUser
from xrpbot.transfer.ports import (
    CustodyRefused,
    CustodyUnavailable,
    FeeLevels,
    LedgerUnavailable,
    ResolvedUser,
    SignedBlob,
)
from xrpbot.transfer.use_cases import quotes
from xrpbot.transfer.use_cases.deps import TransferDeps

from .fake_schema import FakeStore, FakeUnitOfWork

XRP = 1_000_000


@dataclass
class FakeLedger:
    """`ports.Ledger`: validated accounts, transactions and ledgers that tests set directly.

    `submitted` lists every blob submitted; `submit_results` answers the next submits (then
    tesSUCCESS); `txs` is what `tx` knows by hash (unknown hashes: not found in a complete
    range); `preauthorized` holds (destination, source) pairs a DepositAuth destination
    accepts; `complete` is what `server_info` says the server holds (None: every ledger from
    1 to the validated one); `down` makes every call raise LedgerUnavailable.
    """

    accounts: dict[str, AccountSnapshot] = field(default_factory=dict)
    open_sequences: dict[str, int] = field(default_factory=dict)
    reserve_drops: tuple[int, int] = (1 * XRP, 200_000)
    fee_levels: FeeLevels = field(default_factory=lambda: FeeLevels(10, 12))
    validated: int = 100
    submitted: list[str] = field(default_factory=list)
    submit_results: list[str] = field(default_factory=list)
    txs: dict[str, LedgerTx] = field(default_factory=dict)
    account_txs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ledgers: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    preauthorized: set[tuple[str, str]] = field(default_factory=set)
    complete: tuple[tuple[int, int], ...] | None = None
    down: bool = False

    def _check(self) -> None:
        if self.down:
            raise LedgerUnavailable("down")

    async def account(self, address: str) -> AccountSnapshot | None:
        self._check()
        return self.accounts.get(address)

    async def deposit_authorized(self, source: str, destination: str) -> bool:
        self._check()
        account = self.accounts.get(destination)
        if account is None or source not in self.accounts:
            return False
        return (
            source == destination
            or not account.flags & LSF_DEPOSIT_AUTH
            or (destination, source) in self.preauthorized
        )

    async def next_sequence(self, address: str) -> int:
        self._check()
        return self.open_sequences.get(address, self.accounts[address].sequence)

    async def reserve(self) -> tuple[int, int]:
        self._check()
        return self.reserve_drops

    async def fee(self) -> FeeLevels:
        self._check()
        return self.fee_levels

    async def network_id(self) -> int | None:
        self._check()
        return None

    async def validated_index(self) -> int:
        self._check()
        return self.validated

    async def history(self) -> LedgerHistory:
        self._check()
        complete = ((1, self.validated),) if self.complete is None else self.complete
        return LedgerHistory(self.validated, complete)

    async def submit(self, tx_blob: str) -> str:
        self._check()
        self.submitted.append(tx_blob)
        return self.submit_results.pop(0) if self.submit_results else "tesSUCCESS"

    async def transaction(self, tx_hash: str, min_ledger: int, max_ledger: int) -> LedgerTx:
        self._check()
        return self.txs.get(tx_hash, LedgerTx(found=False, searched_all=True))

    async def account_transactions(self, address: str) -> list[dict[str, Any]]:
        self._check()
        return self.account_txs.get(address, [])

    async def ledger_transactions(self, index: int) -> list[dict[str, Any]]:
        self._check()
        return self.ledgers.get(index, [])

    def include(self, tx_hash: str, result: str = "tesSUCCESS", **fields: Any) -> None:
        """Close a ledger holding `tx_hash` with `result` (validated)."""
        self.validated += 1
        self.txs[tx_hash] = LedgerTx(
            found=True, validated=True, result=result, ledger_index=self.validated, **fields
        )


def address_for(name: str) -> str:
    """A valid classic address made from `name` (the same name, the same address)."""
    return encode_classic_address(hashlib.sha256(name.encode()).digest()[:20])


def signed_blob(tx_json: Mapping[str, Any]) -> SignedBlob:
    """What FakeCustody signs: the JSON as the blob, its SHA-256 as the hash."""
    blob = json.dumps(dict(tx_json), sort_keys=True)
    return SignedBlob(blob, hashlib.sha256(blob.encode()).hexdigest().upper())


@dataclass
class FakeCustody:
    """`ports.Custody`: signs for anyone (unless `refuse` or `down`); resolves `users`."""

    users: dict[str, ResolvedUser] = field(default_factory=dict)
    signed: list[tuple[ReplyTo, dict[str, Any]]] = field(default_factory=list)
    signed_transfers: list[UUID] = field(default_factory=list)
    refuse: ErrorCode | None = None
    remaining_today_drops: int | None = None
    down: bool = False

    async def sign(
        self, reply_to: ReplyTo, tx_json: Mapping[str, Any], *, transfer_id: UUID
    ) -> SignedBlob:
        if self.down:
            raise CustodyUnavailable("no answer")
        if self.refuse is not None:
            raise CustodyRefused(self.refuse, self.remaining_today_drops)
        self.signed.append((reply_to, dict(tx_json)))
        self.signed_transfers.append(transfer_id)
        return signed_blob(tx_json)

    async def resolve(self, reply_to: ReplyTo, username: str) -> ResolvedUser | None:
        if self.down:
            raise CustodyUnavailable("no answer")
        return self.users.get(username.lower())


@dataclass
class FakeClock:
    """`ports.Clock` that moves only when told."""

    current: datetime = field(default_factory=lambda: datetime(2025, 3, 1, 12, 0, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@dataclass
class FakeMetrics:
    """`ports.TransferMetrics` that remembers what it was told."""

    finished: list[TransferState] = field(default_factory=list)
    progress: list[tuple[int, int]] = field(default_factory=list)

    def transfer_finished(self, state: TransferState) -> None:
        self.finished.append(state)

    def ledger_progress(self, *, validated_index: int, processed_index: int) -> None:
        self.progress.append((validated_index, processed_index))


@dataclass
class World:
    """The fakes wired into one TransferDeps, with helpers to set up users and quotes."""

    store: FakeStore
    ledger: FakeLedger
    custody: FakeCustody
    clock: FakeClock
    metrics: FakeMetrics
    deps: TransferDeps
    wakes: list[None]

    def user(
        self, telegram_id: int, username: str | None, *, xrp: int = 100, sequence: int = 5
    ) -> Actor:
        """A bot user with a custodial account holding `xrp` XRP (known to transfer)."""
        address = address_for(f"user {telegram_id}")
        self.store.accounts[address] = CustodialAccount(
            address, telegram_id, None, self.clock.now()
        )
        if username:
            self.store.usernames[telegram_id] = SeenUser(telegram_id, username, self.clock.now())
        self.ledger.accounts[address] = AccountSnapshot(xrp * XRP, 0, sequence)
        if username:
            self.custody.users[username.lower()] = ResolvedUser(telegram_id, address)
        return Actor(telegram_id=telegram_id, username=username)

    def address_of(self, actor: Actor) -> str:
        (account,) = [
            a for a in self.store.accounts.values() if a.telegram_id == actor.telegram_id
        ]
        return account.address

    async def quote(
        self, actor: Actor, amount: str, destination: str, tag: str | None = None
    ) -> Envelope:
        """Ask for a quote and return its one reply."""
        cmd = RequestTransfer.new(
            user=actor,
            chat_id=actor.telegram_id,
            amount=amount,
            destination=destination,
            destination_tag=tag,
        )
        await quotes.request_transfer(cmd, self.deps)
        (reply,) = self.store.replies_to(cmd)
        return reply

    def transfer(self, transfer_id: UUID) -> Transfer:
        return self.store.transfers[transfer_id]


@pytest.fixture
def world() -> World:
    store, clock = FakeStore(), FakeClock()
    ledger, custody, metrics = FakeLedger(), FakeCustody(), FakeMetrics()
    wakes: list[None] = []
    deps = TransferDeps(
        new_uow=lambda: FakeUnitOfWork(store, clock),  # type: ignore[arg-type,return-value]
        ledger=ledger,
        custody=custody,
        clock=clock,
        metrics=metrics,
        last_ledger_offset=4,
        on_confirmed=lambda: wakes.append(None),
    )
    return World(store, ledger, custody, clock, metrics, deps, wakes)
