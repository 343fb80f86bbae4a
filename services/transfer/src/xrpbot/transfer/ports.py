"""What the transfer use cases need from the outside world."""

from __future__ import annotations

from typing import Protocol

from xrpbot.schemas import Envelope

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


class UnitOfWork(Protocol):
    """One transaction: directory + inbox + outbox."""

    @property
    def accounts(self) -> AccountDirectory:
        """Custodial accounts, on this transaction."""
        ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def claim(self, message: Envelope) -> bool:
        """Record the message as handled; False if it already was."""
        ...

    async def commit(self) -> None:
        """Commit the transaction."""
        ...
