"""Custodial addresses in `transfer.custodial_accounts` (learnt from wallet.opened), named by
the @username their owner holds now (`transfer.telegram_users`, `domain.usernames`)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from xrpbot.runtime.db import Conn

from ...domain.accounts import CustodialAccount
from ...domain.usernames import SeenUser, sighting_changes

__all__ = ["PgAccountDirectory"]

_SELECT = (
    "SELECT c.address, c.telegram_id, u.username, c.opened_at FROM custodial_accounts c "
    "LEFT JOIN telegram_users u ON u.telegram_id = c.telegram_id "
)


def _account(row: asyncpg.Record) -> CustodialAccount:
    return CustodialAccount(
        address=row["address"],
        telegram_id=row["telegram_id"],
        username=row["username"],
        opened_at=row["opened_at"],
    )


def _seen(row: asyncpg.Record) -> SeenUser:
    return SeenUser(row["telegram_id"], row["username"], row["username_seen_at"])


class PgAccountDirectory:
    """Custodial addresses in `transfer.custodial_accounts`, their owners' usernames in
    `transfer.telegram_users`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, account: CustodialAccount) -> None:
        await self.conn.execute(
            "INSERT INTO custodial_accounts (address, telegram_id, opened_at) "
            "VALUES ($1, $2, $3) ON CONFLICT (address) DO NOTHING",
            account.address,
            account.telegram_id,
            account.opened_at,
        )

    async def see(self, seen: SeenUser) -> None:
        # one sighting at a time (they are few: the gateway reports changes, not updates), so
        # two users claiming one username end with one holder
        await self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('transfer.telegram_users', 0))"
        )
        rows = await self.conn.fetch(
            "SELECT telegram_id, username, username_seen_at FROM telegram_users "
            "WHERE telegram_id = $1 OR lower(username) = lower($2)",
            seen.telegram_id,
            seen.username,
        )
        before = next((_seen(r) for r in rows if r["telegram_id"] == seen.telegram_id), None)
        holder = next(
            (
                _seen(r)
                for r in rows
                if r["username"]
                and seen.username
                and r["username"].lower() == seen.username.lower()
            ),
            None,
        )
        for row in sighting_changes(seen, before=before, holder=holder):
            await self.conn.execute(
                "INSERT INTO telegram_users (telegram_id, username, username_seen_at) "
                "VALUES ($1, $2, $3) ON CONFLICT (telegram_id) DO UPDATE SET "
                "username = EXCLUDED.username, username_seen_at = EXCLUDED.username_seen_at",
                row.telegram_id,
                row.username,
                row.username_seen_at,
            )

    async def of_user(self, telegram_id: int) -> CustodialAccount | None:
        row = await self.conn.fetchrow(
            _SELECT + "WHERE c.telegram_id = $1 ORDER BY c.opened_at DESC LIMIT 1",
            telegram_id,
        )
        return _account(row) if row else None

    async def among(self, addresses: Sequence[str]) -> dict[str, CustodialAccount]:
        if not addresses:
            return {}
        rows = await self.conn.fetch(
            _SELECT + "WHERE c.address = ANY($1::text[])",
            list(addresses),
        )
        return {row["address"]: _account(row) for row in rows}
