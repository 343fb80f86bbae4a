"""Fakes for the wallet's ports: tiny classes that satisfy the Protocols."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from xrpbot.schemas import Actor, Envelope, SignPayment
from xrpbot.wallet.domain.model import AccountState, CustodialWallet, NewKeypair, Reserve
from xrpbot.wallet.domain.usernames import SeenUser, sighting_changes
from xrpbot.wallet.ports import LedgerUnavailable
from xrpbot.wallet.use_cases import WalletDeps


@dataclass
class FakeStore:
    """What a committed database would hold."""

    wallets: dict[int, CustodialWallet] = field(default_factory=dict)
    users: dict[int, SeenUser] = field(default_factory=dict)
    seeds: dict[int, str] = field(default_factory=dict)
    inbox: set[Any] = field(default_factory=set)
    replies: list[Envelope] = field(default_factory=list)
    events: list[Envelope] = field(default_factory=list)
    signed: dict[str, tuple[int, int, datetime]] = field(default_factory=dict)
    nonces: set[str] = field(default_factory=set)
    own_limits: dict[int, int] = field(default_factory=dict)


SIGNING_KEY = b"k" * 32
"""The SIGNING_REQUEST_KEYS entry the fake world's wallet accepts."""


def signing_request(
    user: Actor,
    tx_json: dict[str, Any],
    *,
    transfer_id: UUID | None = None,
    key: bytes = SIGNING_KEY,
    issued_at: datetime | None = None,
) -> SignPayment:
    """A SignPayment as transfer sends it: authenticated with `key`, a fresh nonce."""
    request = SignPayment.new(
        user=user, chat_id=user.telegram_id, tx_json=tx_json, transfer_id=transfer_id
    )
    return request.authenticated(
        key, issued_at=issued_at or datetime.now(UTC), nonce=secrets.token_urlsafe(16)
    )


@pytest.fixture
def to_sign() -> Any:
    """`signing_request`: build a SignPayment authenticated as transfer would."""
    return signing_request


class FakeSignedPayments:
    def __init__(
        self, store: FakeStore, signed: dict[str, tuple[int, int, datetime]], nonces: set[str]
    ) -> None:
        self.store, self.signed, self.nonces = store, signed, nonces

    async def claim_nonce(self, nonce: str, forget_after_seconds: float) -> bool:
        if nonce in self.nonces:
            return False
        self.nonces.add(nonce)
        return True

    async def sent_today(self, telegram_id: int, except_key: str) -> int:
        since = datetime.now(UTC) - timedelta(hours=24)
        return sum(
            amount
            for key, (tid, amount, at) in self.signed.items()
            if tid == telegram_id and key != except_key and at > since
        )

    async def record(self, transfer_key: str, telegram_id: int, amount_drops: int) -> None:
        before = self.signed.get(transfer_key)
        if before is None or before[1] < amount_drops:
            at = before[2] if before else datetime.now(UTC)
            self.signed[transfer_key] = (telegram_id, amount_drops, at)


class FakeTelegramUsers:
    """`TelegramUsers` over a dict, by the same rule (`sighting_changes`) as Postgres."""

    def __init__(self, data: dict[int, SeenUser]) -> None:
        self.data = data

    async def see(self, seen: SeenUser) -> None:
        holder = await self.holder(seen.username) if seen.username else None
        for row in sighting_changes(seen, before=self.data.get(seen.telegram_id), holder=holder):
            self.data[row.telegram_id] = row

    async def holder(self, username: str) -> SeenUser | None:
        found = [
            u for u in self.data.values() if u.username and u.username.lower() == username.lower()
        ]
        assert len(found) <= 1, "a username belongs to at most one user"
        return found[0] if found else None


class FakeWallets:
    def __init__(
        self,
        data: dict[int, CustodialWallet],
        seeds: dict[int, str] | None = None,
        own_limits: dict[int, int] | None = None,
    ) -> None:
        self.own_limits = {} if own_limits is None else own_limits
        self.data = data
        self.seeds = {} if seeds is None else seeds

    async def encrypted_seed(self, telegram_id: int) -> str | None:
        return self.seeds.get(telegram_id)

    async def get(self, telegram_id: int) -> CustodialWallet | None:
        return self.data.get(telegram_id)

    async def add(self, telegram_id: int, keypair: NewKeypair) -> CustodialWallet:
        self.seeds.setdefault(telegram_id, keypair.encrypted_seed)
        return self.data.setdefault(
            telegram_id, CustodialWallet(telegram_id, keypair.address, funded_at=None)
        )

    async def own_daily_limit(self, telegram_id: int) -> int | None:
        return self.own_limits.get(telegram_id)

    async def set_own_daily_limit(self, telegram_id: int, limit_drops: int | None) -> None:
        if limit_drops is None:
            self.own_limits.pop(telegram_id, None)
        else:
            self.own_limits[telegram_id] = limit_drops

    async def mark_funded(self, telegram_id: int) -> None:
        w = self.data[telegram_id]
        self.data[telegram_id] = CustodialWallet(w.telegram_id, w.address, datetime.now(UTC))


class FakeUnitOfWork:
    """Copies the store on enter; writes it back only on commit (so rollbacks are real)."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def __aenter__(self) -> FakeUnitOfWork:
        self._wallets = dict(self.store.wallets)
        self._users = dict(self.store.users)
        self._seeds = dict(self.store.seeds)
        self._inbox = set(self.store.inbox)
        self._replies: list[Envelope] = []
        self._events: list[Envelope] = []
        self._signed = dict(self.store.signed)
        self._nonces = set(self.store.nonces)
        self._own_limits = dict(self.store.own_limits)
        self.wallets = FakeWallets(self._wallets, self._seeds, self._own_limits)
        self.users = FakeTelegramUsers(self._users)
        self.signed = FakeSignedPayments(self.store, self._signed, self._nonces)
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def claim(self, message: Envelope) -> bool:
        if message.event_id in self._inbox:
            return False
        self._inbox.add(message.event_id)
        return True

    async def reply(self, message: Envelope) -> None:
        self._replies.append(message)

    async def publish_event(self, message: Envelope) -> None:
        self._events.append(message)

    async def commit(self) -> None:
        self.store.wallets = self._wallets
        self.store.users = self._users
        self.store.seeds = self._seeds
        self.store.inbox = self._inbox
        self.store.signed = self._signed
        self.store.nonces = self._nonces
        self.store.own_limits = self._own_limits
        self.store.replies += self._replies
        self.store.events += self._events


@dataclass
class FakeLedger:
    """A ledger where `funded` addresses exist with `balance_drops`."""

    accounts: dict[str, AccountState] = field(default_factory=dict)
    reserve_value: Reserve = field(default_factory=lambda: Reserve(1_000_000, 200_000))
    down: bool = False

    async def account(self, address: str) -> AccountState | None:
        if self.down:
            raise LedgerUnavailable("down")
        return self.accounts.get(address)

    async def reserve(self, validated_ledger: int) -> Reserve:
        if self.down:
            raise LedgerUnavailable("down")
        return self.reserve_value


@dataclass
class FakeFaucet:
    ledger: FakeLedger
    amount_drops: int = 100_000_000
    works: bool = True
    funded: list[str] = field(default_factory=list)

    async def fund(self, address: str) -> None:
        if not self.works:
            raise LedgerUnavailable("faucet down")
        self.funded.append(address)
        self.ledger.accounts[address] = AccountState(self.amount_drops, 0, ledger_index=7)


class FakeKeys:
    def __init__(self) -> None:
        self.count = 0

    def generate(self) -> NewKeypair:
        self.count += 1
        return NewKeypair(f"rFakeAddress{self.count:020d}", "ED00", "ciphertext")


@dataclass
class World:
    store: FakeStore
    ledger: FakeLedger
    faucet: FakeFaucet
    keys: FakeKeys
    deps: WalletDeps


@pytest.fixture
def world() -> World:
    store, ledger, keys = FakeStore(), FakeLedger(), FakeKeys()
    faucet = FakeFaucet(ledger)
    deps = WalletDeps(
        new_uow=lambda: FakeUnitOfWork(store),  # type: ignore[arg-type,return-value]
        ledger=ledger,
        faucet=faucet,
        keys=keys,
        signing_request_keys=(SIGNING_KEY,),
        funding_timeout_seconds=0.05,
        funding_poll_seconds=0.01,
    )
    return World(store, ledger, faucet, keys, deps)
