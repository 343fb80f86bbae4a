"""Accounts: the custodial addresses transfer knows, and an account as the ledger shows it, with
the reserve and the spendable rule. Pure.

Spendable XRP = balance - reserve - fee - what is already on its way (confirmed payments not yet
final), where reserve = base + OwnerCount x owner reserve
(https://xrpl.org/docs/concepts/accounts/reserves). The quote and the send both use this rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["AccountSnapshot", "CustodialAccount"]


@dataclass(frozen=True, slots=True)
class CustodialAccount:
    """An address the wallet service holds for a Telegram user (learnt from wallet.opened)."""

    address: str
    telegram_id: int
    username: str | None
    opened_at: datetime


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    """An account as the validated ledger shows it.

    Attributes:
        balance_drops: XRP balance, drops.
        owner_count: OwnerCount.
        sequence: the account's next Sequence in that ledger.
        flags: AccountRoot Flags bits.
    """

    balance_drops: int
    owner_count: int
    sequence: int
    flags: int = 0

    def reserve_drops(self, base_drops: int, owner_drops: int) -> int:
        """This account's reserve in drops, given the ledger's base and per-object reserve."""
        return base_drops + self.owner_count * owner_drops

    def spendable_drops(
        self,
        *,
        reserve_base_drops: int,
        reserve_owner_drops: int,
        fee_drops: int,
        in_flight_drops: int,
    ) -> int:
        """What one more payment paying `fee_drops` may carry, in drops (never below 0).

        Args:
            reserve_base_drops, reserve_owner_drops: the validated ledger's reserve levels.
            fee_drops: the payment's own Fee.
            in_flight_drops: amounts plus fees of the account's other confirmed, not yet final
                payments (they may still leave the account first).
        """
        reserve = self.reserve_drops(reserve_base_drops, reserve_owner_drops)
        return max(0, self.balance_drops - reserve - fee_drops - in_flight_drops)
