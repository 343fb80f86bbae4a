"""What the transfer use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from xrpbot.runtime.ports import Transaction
from xrpbot.schemas import ErrorCode, HistoryEntry
from xrpbot.xrpl_client import LedgerUnavailable

from .domain.accounts import AccountSnapshot, CustodialAccount
from .domain.incoming import IncomingPayment
from .domain.outcome import LedgerHistory, LedgerTx
from .domain.reply_to import ReplyTo
from .domain.transfer import Transfer, TransferState
from .domain.usernames import SeenUser

__all__ = [
    "AccountDirectory",
    "Clock",
    "Custody",
    "CustodyRefused",
    "CustodyUnavailable",
    "FeeLevels",
    "IncomingLedger",
    "Ledger",
    "LedgerUnavailable",
    "ResolvedUser",
    "SignedBlob",
    "TransferMetrics",
    "TransferRepository",
    "TransferStats",
    "UnitOfWork",
]


class CustodyUnavailable(Exception):
    """The wallet service did not answer a request in time (transient)."""


class CustodyRefused(Exception):
    """The wallet service refused to sign: no wallet, a signing rule broken (internal), a fee
    over wallet's cap (fee_too_high), over the user's daily limit (daily_limit_exceeded, with
    `remaining_today_drops`), or the request not accepted as transfer's (request_unauthenticated).
    """

    def __init__(self, code: ErrorCode, remaining_today_drops: int | None = None) -> None:
        super().__init__(code.value)
        self.code = code
        self.remaining_today_drops = remaining_today_drops


@dataclass(frozen=True, slots=True)
class FeeLevels:
    """Transaction cost levels from the `fee` method, drops."""

    base_drops: int
    open_ledger_drops: int


@dataclass(frozen=True, slots=True)
class SignedBlob:
    """A signed transaction: blob (hex) and hash (hex, 64 chars)."""

    tx_blob: str
    tx_hash: str


@dataclass(frozen=True, slots=True)
class ResolvedUser:
    """A bot user with a wallet, found by the @username they were last seen with.

    Attributes:
        telegram_id: their Telegram id.
        address: their custodial classic address.
        first_name: their Telegram first name, when known.
        username_seen_at: when they were last seen with that username (UTC), when known.
    """

    telegram_id: int
    address: str
    first_name: str | None = None
    username_seen_at: datetime | None = None


class Ledger(Protocol):
    """rippled JSON-RPC, as transfer uses it. Every method raises LedgerUnavailable."""

    async def account(self, address: str) -> AccountSnapshot | None:
        """The account in the latest validated ledger; None if it does not exist (actNotFound)."""
        ...

    async def deposit_authorized(self, source: str, destination: str) -> bool:
        """Whether `source` may pay `destination` directly in the validated ledger: False when
        the destination has DepositAuth and has not preauthorized `source`
        (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/deposit_authorized)."""
        ...

    async def next_sequence(self, address: str) -> int:
        """The account's next Sequence as the current (open) ledger sees it."""
        ...

    async def reserve(self) -> tuple[int, int]:
        """(base reserve, owner reserve) in drops, from the validated ledger."""
        ...

    async def fee(self) -> FeeLevels:
        """Current transaction cost levels."""
        ...

    async def network_id(self) -> int | None:
        """The network's NetworkID, if the server reports one."""
        ...

    async def validated_index(self) -> int:
        """Index of the latest validated ledger."""
        ...

    async def history(self) -> LedgerHistory:
        """The server's latest validated ledger and the ledgers it holds in full
        (`server_info`'s validated_ledger.seq and complete_ledgers)."""
        ...

    async def submit(self, tx_blob: str) -> str:
        """Submit a signed blob; the provisional engine_result (e.g. tesSUCCESS, terQUEUED)."""
        ...

    async def transaction(self, tx_hash: str, min_ledger: int, max_ledger: int) -> LedgerTx:
        """What the server knows of `tx_hash`, searching ledgers min..max for 'not found'."""
        ...

    async def account_transactions(self, address: str) -> list[dict[str, Any]]:
        """The account's latest validated transactions (up to 20) as {"hash", "tx_json",
        "meta", "ledger_index"} entries."""
        ...

    async def ledger_transactions(self, index: int) -> list[dict[str, Any]]:
        """The validated ledger's transactions as {"hash", "tx_json", "meta"} entries."""
        ...


class Custody(Protocol):
    """The wallet service, over request/reply."""

    async def sign(
        self, reply_to: ReplyTo, tx_json: Mapping[str, Any], *, transfer_id: UUID
    ) -> SignedBlob:
        """Have the wallet sign `tx_json` from `reply_to.user`'s account (the request carries
        the transfer's correlation id, user and chat, and the transfer's id, by which wallet
        counts the payment once toward the user's daily limit).

        Raises:
            CustodyUnavailable: no answer within the timeout.
            CustodyRefused: the wallet refused.
        """
        ...

    async def resolve(self, reply_to: ReplyTo, username: str) -> ResolvedUser | None:
        """The bot user with that @username and a wallet, or None.

        Raises:
            CustodyUnavailable: no answer within the timeout.
        """
        ...


class AccountDirectory(Protocol):
    """Custodial addresses known to transfer, each named by the @username its owner holds now
    (`CustodialAccount.username`; None when they hold none)."""

    async def add(self, account: CustodialAccount) -> None:
        """Remember an address (idempotent); its `username` is not stored (see `see`)."""
        ...

    async def see(self, seen: SeenUser) -> None:
        """Record a sighting of a Telegram user with their username: the user seen with a
        username last holds it, the former holder's is cleared, a late or repeated sighting
        changes nothing (`domain.usernames.sighting_changes`)."""
        ...

    async def of_user(self, telegram_id: int) -> CustodialAccount | None:
        """The user's custodial account, if they have a funded one."""
        ...

    async def among(self, addresses: Sequence[str]) -> dict[str, CustodialAccount]:
        """Those of `addresses` that are custodial, by address."""
        ...


@dataclass(frozen=True, slots=True)
class TransferStats:
    """What an admin's /stats shows from the transfer schema; amounts in drops.

    Attributes:
        wallets: custodial accounts known; wallets_today: of those, opened since the start.
        payments_today, volume_today_drops: validated sent payments and what they delivered.
        failed_today: confirmed payments that ended failed or expired.
        incoming_today, incoming_volume_today_drops: incoming payments recorded.
    """

    wallets: int
    wallets_today: int
    payments_today: int
    volume_today_drops: int
    failed_today: int
    incoming_today: int
    incoming_volume_today_drops: int


class TransferRepository(Protocol):
    """Transfers in the transfer schema.

    Each `record_*(before, after)` method persists one move the domain decided
    (`after = before.confirm(...)`, `.sign(...)`, ...) as a compare-and-set on the exact attempt
    it was decided for: it updates the row only if it still has `before`'s state and `before`'s
    tx_hash (None before signing), and returns whether it did. So of two replicas (or a
    redelivery) deciding about one transfer at once, the first wins and the loser changes
    nothing and says nothing; a decision about one blob is never applied to a later blob.
    """

    async def add(self, transfer: Transfer) -> None:
        """Store a new quoted transfer."""
        ...

    async def add_refused(self, telegram_id: int, chat_id: int, code: ErrorCode) -> None:
        """Record a refused request (no payment is created)."""
        ...

    async def get(self, transfer_id: UUID, *, for_update: bool = False) -> Transfer | None:
        """A transfer, optionally locking its row until the transaction ends."""
        ...

    async def record_confirmed(self, before: Transfer, after: Transfer) -> bool:
        """Persist quoted → confirmed (confirmed_at, reply_to)."""
        ...

    async def record_cancelled(self, before: Transfer, after: Transfer) -> bool:
        """Persist quoted → cancelled."""
        ...

    async def record_quote_expired(self, before: Transfer, after: Transfer) -> bool:
        """Persist quoted → quote_expired."""
        ...

    async def record_signed(self, before: Transfer, after: Transfer) -> bool:
        """Persist confirmed → signed (Sequence, LastLedgerSequence, signing ledger, blob, hash)."""
        ...

    async def record_submitted(self, before: Transfer, after: Transfer) -> bool:
        """Persist signed → submitted (the provisional submit_result, submitted_at)."""
        ...

    async def record_sequence_taken(self, before: Transfer, after: Transfer, reason: str) -> bool:
        """Persist `after` (back to confirmed, blob cleared) and, if that move happened, keep
        `before`'s blob in transfer_attempts for audit (once per hash)."""
        ...

    async def record_finished(self, before: Transfer, after: Transfer) -> bool:
        """Persist a final state: validated, failed or expired (code, result, ledger_index,
        delivered_drops, finished_at)."""
        ...

    async def record_given_up(self, before: Transfer, after: Transfer) -> bool:
        """Persist confirmed → failed (`Transfer.give_up`: code, finished_at); only from
        confirmed."""
        ...

    async def ids_in(
        self, states: Sequence[TransferState], limit: int = 1000
    ) -> list[tuple[UUID, str]]:
        """(id, sender address) of transfers in these states, oldest confirmed first."""
        ...

    async def lock_account(self, address: str) -> None:
        """Serialize preparations for one sender account until the transaction ends."""
        ...

    async def in_flight(
        self, address: str, *, excluding: UUID, prepared_only: bool = False
    ) -> tuple[int, int | None]:
        """(amount + fee in drops of the account's confirmed, not final transfers, and the
        highest Sequence among them); with `prepared_only`, only those already signed."""
        ...

    async def history(
        self, telegram_id: int, page: int, page_size: int
    ) -> tuple[int, list[HistoryEntry]]:
        """(total, one page) of the user's sent and received payments, newest first."""
        ...

    async def stats(self, since: datetime) -> TransferStats:
        """Counts for an admin's /stats: wallets, and payments finished since `since`."""
        ...


class IncomingLedger(Protocol):
    """The watcher's records: incoming payments and the ledger cursor."""

    async def cursor(self, *, for_update: bool = False) -> int | None:
        """The last validated ledger read in full, or None before the first run."""
        ...

    async def set_cursor(self, ledger_index: int) -> None:
        """Move the cursor."""
        ...

    async def record(self, payment: IncomingPayment, telegram_id: int) -> bool:
        """Store a payment once per hash; False if it was already recorded."""
        ...


class Clock(Protocol):
    """The time of day, so quotes can expire in tests without waiting."""

    def now(self) -> datetime:
        """Now, tz-aware UTC."""
        ...


class TransferMetrics(Protocol):
    """What transfer reports to Prometheus (names in `adapters.metrics`)."""

    def transfer_finished(self, state: TransferState) -> None:
        """Count one transfer reaching a final state (validated, failed, expired)."""
        ...

    def ledger_progress(self, *, validated_index: int, processed_index: int) -> None:
        """Report the watcher's place: the newest validated ledger and the last one read."""
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the transfer schema."""

    @property
    def accounts(self) -> AccountDirectory:
        """Custodial accounts."""
        ...

    @property
    def transfers(self) -> TransferRepository:
        """Transfers."""
        ...

    @property
    def incoming(self) -> IncomingLedger:
        """Incoming payments and the ledger cursor."""
        ...
