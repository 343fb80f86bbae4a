"""What the transfer use cases need from the outside world."""

from __future__ import annotations

from typing import Protocol

from xrpbot.runtime.ports import Transaction

from .domain import CustodialAccount

__all__ = ["AccountDirectory", "UnitOfWork"]


class AccountDirectory(Protocol):
    """Custodial addresses known to transfer."""

    async def add(self, account: CustodialAccount) -> None:
        """Remember an address (idempotent)."""
        ...

    async def find(self, address: str) -> CustodialAccount | None:
        """The owner of a custodial address, if it is one."""
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the transfer schema: custodial accounts + inbox + outbox."""

    @property
    def accounts(self) -> AccountDirectory:
        """Custodial accounts, on this transaction."""
        ...
