"""The Postgres unit of work every service uses: one transaction holding the effect, the
inbox claim and the outbox rows, so they commit or roll back together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

import asyncpg

from xrpbot.schemas import Envelope

from .outbox import add_to_outbox, claim_inbox
from .topology import COMMANDS, EVENTS, REPLIES

__all__ = ["PgUnitOfWork"]


class PgUnitOfWork:
    """One transaction on one pooled connection. Leaving the block without `commit()` rolls back.

    Subclasses bind their repositories to `self.conn` in `bind()`.

    Args:
        pool: the service's pool.
        consumer: the inbox's consumer name (the handler's queue).
        on_commit: called after a commit that queued messages (the outbox relay's `kick`).
    """

    conn: asyncpg.pool.PoolConnectionProxy[Any]

    def __init__(
        self, pool: asyncpg.Pool[Any], consumer: str, on_commit: Callable[[], None]
    ) -> None:
        self.pool = pool
        self.consumer = consumer
        self.on_commit = on_commit
        self._queued = False
        self._done = False

    def bind(self) -> None:
        """Create the repositories on `self.conn` (override)."""

    async def __aenter__(self) -> Self:
        self.conn = await self.pool.acquire()
        self._tx = self.conn.transaction()
        await self._tx.start()
        self._done = False
        self._queued = False
        self.bind()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if not self._done:
                await self._tx.rollback()
        finally:
            await self.pool.release(self.conn)

    async def claim(self, message: Envelope) -> bool:
        """Record the message as handled; False if it already was (then do nothing)."""
        return await claim_inbox(self.conn, self.consumer, message)

    async def reply(self, message: Envelope) -> None:
        """Publish a reply (to `xrpbot.replies`) once the transaction commits."""
        await add_to_outbox(self.conn, REPLIES.name, message)
        self._queued = True

    async def send_command(self, message: Envelope) -> None:
        """Send a command (to `xrpbot.commands`) once the transaction commits."""
        await add_to_outbox(self.conn, COMMANDS.name, message)
        self._queued = True

    async def publish_event(self, message: Envelope) -> None:
        """Publish a domain event (to `xrpbot.events`) once the transaction commits."""
        await add_to_outbox(self.conn, EVENTS.name, message)
        self._queued = True

    async def commit(self) -> None:
        """Commit, then wake the outbox relay if anything was queued."""
        await self._tx.commit()
        self._done = True
        if self._queued:
            self.on_commit()
