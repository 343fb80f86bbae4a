"""Postgres unit of work of the gateway: update claims, pending replies, chats, inbox, outbox.

All tables live in the `gateway` schema (migrations/0001_gateway.sql).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import asyncpg

from xrpbot.runtime.uow import PgUnitOfWork

from ..ports import Placeholder

__all__ = ["GatewayUnitOfWork", "prune"]


class GatewayUnitOfWork(PgUnitOfWork):
    """One transaction on the gateway's schema; satisfies `ports.UnitOfWork`."""

    async def claim_update(self, update_id: int) -> bool:
        # the primary key makes a concurrent claim of the same update wait for this one's end
        row = await self.conn.fetchval(
            "INSERT INTO processed_updates (update_id) VALUES ($1) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            update_id,
        )
        return row is not None

    async def see_chat(self, chat_id: int, language_code: str | None) -> None:
        await self.conn.execute(
            "INSERT INTO chats (chat_id, language_code) VALUES ($1, $2) "
            "ON CONFLICT (chat_id) DO UPDATE SET last_seen_at = now(), "
            "language_code = coalesce(EXCLUDED.language_code, chats.language_code)",
            chat_id,
            language_code,
        )

    async def expect_reply(self, correlation_id: UUID, placeholder: Placeholder) -> None:
        await self.conn.execute(
            "INSERT INTO pending_replies (correlation_id, chat_id, message_id) "
            "VALUES ($1, $2, $3)",
            correlation_id,
            placeholder.chat_id,
            placeholder.message_id,
        )

    async def placeholder(self, correlation_id: UUID) -> Placeholder | None:
        row = await self.conn.fetchrow(
            "SELECT chat_id, message_id FROM pending_replies WHERE correlation_id = $1",
            correlation_id,
        )
        return Placeholder(row["chat_id"], row["message_id"]) if row else None

    async def forget_placeholder(self, correlation_id: UUID) -> None:
        await self.conn.execute(
            "DELETE FROM pending_replies WHERE correlation_id = $1", correlation_id
        )


async def prune(
    pool: asyncpg.Pool[Any], *, updates_older_than_s: float, pending_older_than_s: float
) -> tuple[int, int]:
    """Delete old update claims and placeholders whose reply never came.

    Telegram keeps an undelivered update for at most 24 hours, and after a week without
    updates it may restart update_ids at a random value
    (https://core.telegram.org/bots/api#getting-updates), so claims must not live forever.

    Returns:
        (update claims deleted, pending replies deleted).
    """
    async with pool.acquire() as conn:
        updates = await conn.fetchval(
            "WITH d AS (DELETE FROM processed_updates "
            "WHERE processed_at < now() - make_interval(secs => $1) RETURNING 1) "
            "SELECT count(*) FROM d",
            updates_older_than_s,
        )
        pending = await conn.fetchval(
            "WITH d AS (DELETE FROM pending_replies "
            "WHERE created_at < now() - make_interval(secs => $1) RETURNING 1) "
            "SELECT count(*) FROM d",
            pending_older_than_s,
        )
    return int(updates), int(pending)
