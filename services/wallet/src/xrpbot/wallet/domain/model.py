"""Custodial accounts and the XRP reserve rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["AccountState", "CustodialWallet", "NewKeypair", "Reserve", "SignedPayment"]


@dataclass(frozen=True, slots=True)
class NewKeypair:
    """A freshly generated account: its address and its seed already encrypted.

    The plaintext seed never leaves the key generator; only the ciphertext is kept.
    """

    address: str
    public_key: str
    encrypted_seed: str


@dataclass(frozen=True, slots=True)
class CustodialWallet:
    """A user's account held by the service (one per Telegram user)."""

    telegram_id: int
    address: str
    funded_at: datetime | None

    @property
    def funded(self) -> bool:
        """True once the account was seen in a validated ledger."""
        return self.funded_at is not None


@dataclass(frozen=True, slots=True)
class Reserve:
    """The ledger's reserve requirement, in drops (https://xrpl.org/docs/concepts/accounts/reserves).

    Attributes:
        base_drops: reserve every account holds (1 XRP on Mainnet and Testnet today).
        owner_drops: additional reserve per object the account owns (0.2 XRP today).
    """

    base_drops: int
    owner_drops: int

    def total_drops(self, owner_count: int) -> int:
        """Reserve of an account owning `owner_count` objects, in drops."""
        return self.base_drops + owner_count * self.owner_drops


@dataclass(frozen=True, slots=True)
class AccountState:
    """An account as a validated ledger shows it.

    Attributes:
        balance_drops: XRP balance in drops.
        owner_count: OwnerCount (objects that raise the reserve).
        ledger_index: the validated ledger it was read from.
    """

    balance_drops: int
    owner_count: int
    ledger_index: int


@dataclass(frozen=True, slots=True)
class SignedPayment:
    """A signed transaction: `tx_blob` (hex, ready for `submit`) and `tx_hash` (hex, 64 chars)."""

    tx_blob: str
    tx_hash: str
