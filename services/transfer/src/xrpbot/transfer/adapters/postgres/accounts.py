"""Custodial addresses in `transfer.custodial_accounts` (learnt from wallet.opened)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from xrpbot.runtime.db import Conn

from ...domain.accounts import CustodialAccount

__all__ = ["PgAccountDirectory"]


def _account(row: asyncpg.Record) -> CustodialAccount:
    return CustodialAccount(
        address=row["address"],
        telegram_id=row["telegram_id"],
        username=row["username"],
        opened_at=row["opened_at"],
    )


class PgAccountDirectory:
    """Custodial addresses in `transfer.custodial_accounts`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, account: CustodialAccount) -> None:
        await self.conn.execute(
            "INSERT INTO custodial_accounts (address, telegram_id, username, opened_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (address) DO UPDATE SET username = $3",
            account.address,
            account.telegram_id,
            account.username,
            account.opened_at,
        )

    async def of_user(self, telegram_id: int) -> CustodialAccount | None:
        row = await self.conn.fetchrow(
            "SELECT address, telegram_id, username, opened_at FROM custodial_accounts "
            "WHERE telegram_id = $1 ORDER BY opened_at DESC LIMIT 1",
            telegram_id,
        )
        return _account(row) if row else None

    async def among(self, addresses: Sequence[str]) -> dict[str, CustodialAccount]:
        if not addresses:
            return {}
        rows = await self.conn.fetch(
            "SELECT address, telegram_id, username, opened_at FROM custodial_accounts "
            "WHERE address = ANY($1::text[])",
            list(addresses),
        )
        return {row["address"]: _account(row) for row in rows}
