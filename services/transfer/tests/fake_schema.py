"""The fake transfer schema: `FakeUnitOfWork` and its repositories over a `FakeStore`.

A `FakeUnitOfWork` keeps its writes aside and applies them on commit only, so a use case that
leaves without committing changes nothing, and conditional moves behave as the Postgres
repository's do (a move from the wrong state changes nothing and returns False).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar
from uuid import UUID

from xrpbot.schemas import Counterparty, Envelope, ErrorCode, HistoryEntry, HistoryStatus
from xrpbot.transfer.domain.accounts import CustodialAccount
from xrpbot.transfer.domain.incoming import IncomingPayment
from xrpbot.transfer.domain.transfer import Transfer, TransferState, Transition
from xrpbot.transfer.domain.usernames import SeenUser, sighting_changes
from xrpbot.transfer.ports import Clock, TransferStats

K = TypeVar("K")
V = TypeVar("V")


class Overlay(Generic[K, V]):
    """A dict seen through one transaction: reads see its own writes, commit applies them."""

    def __init__(self, base: dict[K, V]) -> None:
        self.base = base
        self.changes: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self.changes[key] if key in self.changes else self.base.get(key)

    def __setitem__(self, key: K, value: V) -> None:
        self.changes[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self.changes or key in self.base

    def values(self) -> Iterator[V]:
        merged = {**self.base, **self.changes}
        return iter(list(merged.values()))

    def apply(self) -> None:
        self.base.update(self.changes)


@dataclass
class FakeStore:
    """What a committed transfer schema would hold."""

    accounts: dict[str, CustodialAccount] = field(default_factory=dict)
    usernames: dict[int, SeenUser] = field(default_factory=dict)
    """The username each Telegram user holds now (telegram_users), by Telegram id."""
    transfers: dict[UUID, Transfer] = field(default_factory=dict)
    refused: list[tuple[int, int, ErrorCode]] = field(default_factory=list)
    attempts: dict[str, tuple[UUID, int, str]] = field(default_factory=dict)
    """Blobs set aside (transfer_attempts): hash → (transfer id, Sequence, reason)."""
    incoming: dict[str, tuple[IncomingPayment, int, datetime]] = field(default_factory=dict)
    cursor: int | None = None
    inbox: set[UUID] = field(default_factory=set)
    replies: list[Envelope] = field(default_factory=list)
    events: list[Envelope] = field(default_factory=list)
    commands: list[Envelope] = field(default_factory=list)
    locked_accounts: list[str] = field(default_factory=list)
    stats_since: list[datetime] = field(default_factory=list)

    def replies_to(self, cmd: Envelope) -> list[Envelope]:
        """The committed replies that answer `cmd` (same correlation id)."""
        return [r for r in self.replies if r.correlation_id == cmd.correlation_id]


class FakeAccounts:
    """`ports.AccountDirectory` over one transaction: accounts by address, each named by its
    owner's current username (`usernames`, by Telegram id)."""

    def __init__(
        self, data: Overlay[str, CustodialAccount], usernames: Overlay[int, SeenUser]
    ) -> None:
        self.data = data
        self.usernames = usernames

    def _named(self, account: CustodialAccount) -> CustodialAccount:
        seen = self.usernames.get(account.telegram_id)
        return dataclasses.replace(account, username=seen.username if seen else None)

    async def add(self, account: CustodialAccount) -> None:
        if account.address not in self.data:
            self.data[account.address] = dataclasses.replace(account, username=None)

    async def see(self, seen: SeenUser) -> None:
        holder = next(
            (
                u
                for u in self.usernames.values()
                if u.username and seen.username and u.username.lower() == seen.username.lower()
            ),
            None,
        )
        before = self.usernames.get(seen.telegram_id)
        for row in sighting_changes(seen, before=before, holder=holder):
            self.usernames[row.telegram_id] = row

    async def of_user(self, telegram_id: int) -> CustodialAccount | None:
        owned = [a for a in self.data.values() if a.telegram_id == telegram_id]
        return self._named(max(owned, key=lambda a: a.opened_at)) if owned else None

    async def among(self, addresses: Sequence[str]) -> dict[str, CustodialAccount]:
        found = {a: self.data.get(a) for a in addresses}
        return {a: self._named(account) for a, account in found.items() if account is not None}


_FINISHING = {t.target: t for t in (Transition.VALIDATE, Transition.FAIL, Transition.EXPIRE)}
_HISTORY_STATUS = {
    TransferState.CONFIRMED: HistoryStatus.PENDING,
    TransferState.SIGNED: HistoryStatus.PENDING,
    TransferState.SUBMITTED: HistoryStatus.PENDING,
    TransferState.VALIDATED: HistoryStatus.SENT,
    TransferState.FAILED: HistoryStatus.FAILED,
    TransferState.EXPIRED: HistoryStatus.EXPIRED,
}


class FakeTransfers:
    """`ports.TransferRepository` over one transaction."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow
        self.data = uow.transfers_data

    async def add(self, transfer: Transfer) -> None:
        self.data[transfer.id] = transfer

    async def add_refused(self, telegram_id: int, chat_id: int, code: ErrorCode) -> None:
        self.uow.refused.append((telegram_id, chat_id, code))

    async def get(self, transfer_id: UUID, *, for_update: bool = False) -> Transfer | None:
        return self.data.get(transfer_id)

    def _record(self, transition: Transition, before: Transfer, after: Transfer) -> bool:
        """The Postgres repository's compare-and-set: only if the stored row still has
        `before`'s state and tx_hash."""
        stored = self.data.get(before.id)
        if (
            stored is None
            or before.state not in transition.sources
            or stored.state is not before.state
            or stored.tx_hash != before.tx_hash
        ):
            return False
        assert after.state is transition.target
        self.data[after.id] = after
        return True

    async def record_confirmed(self, before: Transfer, after: Transfer) -> bool:
        return self._record(Transition.CONFIRM, before, after)

    async def record_cancelled(self, before: Transfer, after: Transfer) -> bool:
        return self._record(Transition.CANCEL, before, after)

    async def record_quote_expired(self, before: Transfer, after: Transfer) -> bool:
        return self._record(Transition.EXPIRE_QUOTE, before, after)

    async def record_signed(self, before: Transfer, after: Transfer) -> bool:
        return self._record(Transition.SIGN, before, after)

    async def record_submitted(self, before: Transfer, after: Transfer) -> bool:
        return self._record(Transition.SUBMIT, before, after)

    async def record_sequence_taken(self, before: Transfer, after: Transfer, reason: str) -> bool:
        moved = self._record(Transition.SEQUENCE_TAKEN, before, after)
        if (
            moved
            and before.tx_hash is not None
            and before.sequence is not None
            and before.tx_hash not in self.uow.attempts
        ):
            self.uow.attempts[before.tx_hash] = (before.id, before.sequence, reason)
        return moved

    async def record_finished(self, before: Transfer, after: Transfer) -> bool:
        return self._record(_FINISHING[after.state], before, after)

    async def record_given_up(self, before: Transfer, after: Transfer) -> bool:
        return self._record(Transition.GIVE_UP, before, after)

    async def ids_in(
        self, states: Sequence[TransferState], limit: int = 1000
    ) -> list[tuple[UUID, str]]:
        chosen = [t for t in self.data.values() if t.state in states]
        far = datetime.max.replace(tzinfo=UTC)
        chosen.sort(key=lambda t: (t.confirmed_at or far, t.sequence or 2**63))
        return [(t.id, t.sender_address) for t in chosen[:limit]]

    async def lock_account(self, address: str) -> None:
        self.uow.locked_accounts.append(address)

    async def in_flight(
        self, address: str, *, excluding: UUID, prepared_only: bool = False
    ) -> tuple[int, int | None]:
        ahead = [
            t
            for t in self.data.values()
            if t.sender_address == address
            and t.id != excluding
            and (t.state.prepared if prepared_only else t.state.in_flight)
        ]
        sequences = [t.sequence for t in ahead if t.sequence is not None]
        return sum(t.amount_drops + t.fee_drops for t in ahead), max(sequences, default=None)

    async def history(
        self, telegram_id: int, page: int, page_size: int
    ) -> tuple[int, list[HistoryEntry]]:
        sent = [
            HistoryEntry(
                direction="out",
                status=_HISTORY_STATUS[t.state],
                amount_drops=t.amount_drops,
                fee_drops=t.fee_drops,
                counterparty=Counterparty(address=t.destination_address),
                at=t.confirmed_at,
                tx_hash=t.tx_hash,
                result=t.result,
            )
            for t in self.data.values()
            if t.telegram_id == telegram_id and t.confirmed_at is not None
        ]
        received = [
            HistoryEntry(
                direction="in",
                status=HistoryStatus.RECEIVED,
                amount_drops=p.delivered_drops,
                fee_drops=0,
                counterparty=Counterparty(address=p.source),
                at=at,
                tx_hash=p.tx_hash,
            )
            for p, owner, at in self.uow.incoming_data.values()
            if owner == telegram_id
        ]
        entries = sorted(sent + received, key=lambda e: e.at, reverse=True)
        return len(entries), entries[page * page_size : (page + 1) * page_size]

    async def stats(self, since: datetime) -> TransferStats:
        self.uow.stats_since.append(since)
        accounts = list(self.uow.accounts_data.values())
        finished = [t for t in self.data.values() if t.finished_at and t.finished_at >= since]
        sent = [t for t in finished if t.state is TransferState.VALIDATED]
        incoming = [(p, at) for p, _, at in self.uow.incoming_data.values() if at >= since]
        return TransferStats(
            wallets=len(accounts),
            wallets_today=sum(1 for a in accounts if a.opened_at >= since),
            payments_today=len(sent),
            volume_today_drops=sum(t.delivered_drops or 0 for t in sent),
            failed_today=sum(1 for t in finished if t.state is not TransferState.VALIDATED),
            incoming_today=len(incoming),
            incoming_volume_today_drops=sum(p.delivered_drops for p, _ in incoming),
        )


class FakeIncoming:
    """`ports.IncomingLedger` over one transaction."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def cursor(self, *, for_update: bool = False) -> int | None:
        return self.uow.cursor

    async def set_cursor(self, ledger_index: int) -> None:
        self.uow.cursor = ledger_index

    async def record(self, payment: IncomingPayment, telegram_id: int) -> bool:
        if payment.tx_hash in self.uow.incoming_data:
            return False
        self.uow.incoming_data[payment.tx_hash] = (payment, telegram_id, self.uow.clock.now())
        return True


class FakeUnitOfWork:
    """`ports.UnitOfWork`: reads the store, keeps its writes aside, applies them on commit."""

    def __init__(self, store: FakeStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def __aenter__(self) -> FakeUnitOfWork:
        self.accounts_data = Overlay(self.store.accounts)
        self.usernames_data = Overlay(self.store.usernames)
        self.transfers_data = Overlay(self.store.transfers)
        self.incoming_data = Overlay(self.store.incoming)
        self.refused: list[tuple[int, int, ErrorCode]] = []
        self.attempts = Overlay(self.store.attempts)
        self.cursor = self.store.cursor
        self.claimed: list[UUID] = []
        self.replies: list[Envelope] = []
        self.events: list[Envelope] = []
        self.commands: list[Envelope] = []
        self.locked_accounts: list[str] = []
        self.stats_since: list[datetime] = []
        self.accounts = FakeAccounts(self.accounts_data, self.usernames_data)
        self.transfers = FakeTransfers(self)
        self.incoming = FakeIncoming(self)
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def claim(self, message: Envelope) -> bool:
        if message.event_id in self.store.inbox or message.event_id in self.claimed:
            return False
        self.claimed.append(message.event_id)
        return True

    async def reply(self, message: Envelope) -> None:
        self.replies.append(message)

    async def publish_event(self, message: Envelope) -> None:
        self.events.append(message)

    async def send_command(self, message: Envelope) -> None:
        self.commands.append(message)

    async def commit(self) -> None:
        self.accounts_data.apply()
        self.usernames_data.apply()
        self.transfers_data.apply()
        self.incoming_data.apply()
        self.attempts.apply()
        self.store.refused += self.refused
        self.store.cursor = self.cursor
        self.store.inbox.update(self.claimed)
        self.store.replies += self.replies
        self.store.events += self.events
        self.store.commands += self.commands
        self.store.locked_accounts += self.locked_accounts
        self.store.stats_since += self.stats_since
