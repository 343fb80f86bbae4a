"""The port every service's unit of work extends: one transaction with inbox and outbox.

Services declare `class UnitOfWork(Transaction, Protocol)` adding their repositories; the
Postgres implementation is `xrpbot.runtime.uow.PgUnitOfWork`.
"""

from __future__ import annotations

from typing import Protocol, Self

from xrpbot.schemas import Envelope

__all__ = ["Transaction"]


class Transaction(Protocol):
    """One database transaction: the effect, the inbox claim and the outbox go in together.

    Leaving the `async with` block without `commit()` rolls everything back.
    """

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def claim(self, message: Envelope) -> bool:
        """Record the message as handled; False if it already was (then do nothing)."""
        ...

    async def reply(self, message: Envelope) -> None:
        """Publish a reply (to `xrpbot.replies`) once the transaction commits."""
        ...

    async def publish_event(self, message: Envelope) -> None:
        """Publish a domain event (to `xrpbot.events`) once the transaction commits."""
        ...

    async def send_command(self, message: Envelope) -> None:
        """Send a command (to `xrpbot.commands`) once the transaction commits."""
        ...

    async def commit(self) -> None:
        """Commit, then wake the outbox relay if anything was queued."""
        ...
