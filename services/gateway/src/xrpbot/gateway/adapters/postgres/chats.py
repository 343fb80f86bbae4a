"""Postgres store of the chats the bot knows (`chats`, migrations/0001_gateway.sql and
0005_settings_throttle_admin.sql): first/last seen, the language Telegram gave, active or not."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg

from xrpbot.runtime.db import Conn

from ..metrics import record_chat_deactivated

__all__ = ["PgChats"]

log = logging.getLogger(__name__)


class PgChats:
    """`ports.ChatStore` on a connection (the unit of work's transaction) or a pool (the
    outbound requests' 403 hook, autocommit).

    An update from an inactive chat makes it active again (`see`).
    """

    def __init__(self, conn: Conn | asyncpg.Pool[Any]) -> None:
        self.conn = conn

    async def see(self, chat_id: int, language_code: str | None) -> None:
        await self.conn.execute(
            "INSERT INTO chats (chat_id, language_code) VALUES ($1, $2) "
            "ON CONFLICT (chat_id) DO UPDATE SET last_seen_at = now(), active = true, "
            "language_code = coalesce(EXCLUDED.language_code, chats.language_code)",
            chat_id,
            language_code,
        )

    async def mark_inactive(self, chat_id: int, reason: str) -> None:
        await self.conn.execute(
            "INSERT INTO chats (chat_id, active) VALUES ($1, false) "
            "ON CONFLICT (chat_id) DO UPDATE SET active = false",
            chat_id,
        )
        record_chat_deactivated()
        log.info("chat %s marked inactive: %s", chat_id, reason)
