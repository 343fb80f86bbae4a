"""What the wallet's use cases need from the outside world."""

from __future__ import annotations

from typing import Any, Protocol

from xrpbot.runtime.ports import Transaction
from xrpbot.xrpl_client import LedgerUnavailable

from .domain.model import AccountState, CustodialWallet, NewKeypair, Reserve, SignedPayment
from .domain.usernames import SeenUser

__all__ = [
    "Faucet",
    "KeyGenerator",
    "Ledger",
    "LedgerUnavailable",
    "SignedPayments",
    "TelegramUsers",
    "UnitOfWork",
    "WalletRepository",
]


class Ledger(Protocol):
    """Read access to validated ledgers (rippled JSON-RPC)."""

    async def account(self, address: str) -> AccountState | None:
        """The account in the latest validated ledger, or None if it is not there (actNotFound).

        Raises:
            LedgerUnavailable: the server could not answer.
        """
        ...

    async def reserve(self, validated_ledger: int) -> Reserve:
        """The reserve requirement in force at validated ledger `validated_ledger` or a later
        one; read at most once per validated ledger (reserves change only by fee voting:
        https://xrpl.org/docs/concepts/consensus-protocol/fee-voting).

        Raises:
            LedgerUnavailable: the server could not answer.
        """
        ...


class Faucet(Protocol):
    """A Testnet-style faucet that funds new accounts."""

    async def fund(self, address: str) -> None:
        """Ask the faucet to pay `address`; returns once the faucet accepted the request.

        Raises:
            LedgerUnavailable: the faucet refused or could not be reached.
        """
        ...


class KeyGenerator(Protocol):
    """Creates XRPL keypairs and encrypts their seeds at once."""

    def generate(self) -> NewKeypair:
        """A new account; its seed is returned only encrypted."""
        ...

    def sign(self, encrypted_seed: str, tx_json: dict[str, Any]) -> SignedPayment:
        """Sign a transaction with the account whose encrypted seed is given.

        Raises:
            Exception: the seed cannot be decrypted or the transaction is malformed.
        """
        ...


class WalletRepository(Protocol):
    """Custodial wallets in the wallet schema."""

    async def get(self, telegram_id: int) -> CustodialWallet | None:
        """The user's wallet, if any."""
        ...

    async def add(self, telegram_id: int, keypair: NewKeypair) -> CustodialWallet:
        """Store a new wallet for the user; if one exists already (a race), return that one."""
        ...

    async def mark_funded(self, telegram_id: int) -> None:
        """Record that the account reached a validated ledger."""
        ...

    async def encrypted_seed(self, telegram_id: int) -> str | None:
        """The user's seed, still encrypted, for signing; None without a wallet."""
        ...

    async def own_daily_limit(self, telegram_id: int) -> int | None:
        """The daily limit the user set for themselves (drops), or None for the default."""
        ...

    async def set_own_daily_limit(self, telegram_id: int, limit_drops: int | None) -> None:
        """Store the user's own daily limit (drops; None: back to the default). The caller
        checked that the user has a wallet and that the limit is not above the default."""
        ...


class TelegramUsers(Protocol):
    """The Telegram users the gateway saw and their @usernames (`domain.usernames`)."""

    async def see(self, seen: SeenUser) -> None:
        """Store a sighting by `domain.usernames.sighting_changes`: the user seen with a
        username last holds it, and nobody else does. Sightings are applied one at a time
        (the store serialises them), so two users claiming one name end with one holder."""
        ...

    async def holder(self, username: str) -> SeenUser | None:
        """The user who holds this @username (case-insensitive, without @), if anyone."""
        ...


class SignedPayments(Protocol):
    """What wallet signed, for the daily limit, and the nonces of signing requests."""

    async def claim_nonce(self, nonce: str, forget_after_seconds: float) -> bool:
        """Remember `nonce`; False when it was seen before (a replay). Nonces older than
        `forget_after_seconds` are forgotten (requests that old are refused anyway)."""
        ...

    async def sent_today(self, telegram_id: int, except_key: str) -> int:
        """Drops the user's transfers other than `except_key` were signed for in the last 24
        hours; locks the user's row until the transaction ends, so signings count one by one."""
        ...

    async def record(self, transfer_key: str, telegram_id: int, amount_drops: int) -> None:
        """Count a signed transfer once: a repeated key keeps the larger amount (two payments
        on one Account and Sequence can never both be validated)."""
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the wallet schema: wallets + inbox + outbox."""

    @property
    def wallets(self) -> WalletRepository:
        """Wallets, on this transaction."""
        ...

    @property
    def signed(self) -> SignedPayments:
        """Signed payments and request nonces, on this transaction."""
        ...

    @property
    def users(self) -> TelegramUsers:
        """Telegram users and their usernames, on this transaction."""
        ...
