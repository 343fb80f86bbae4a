"""Postgres adapters of the transfer service."""

from __future__ import annotations

from xrpbot.runtime.db import Conn
from xrpbot.runtime.uow import PgUnitOfWork

from ..domain import CustodialAccount

__all__ = ["PgAccountDirectory", "TransferUnitOfWork"]


class PgAccountDirectory:
    """Custodial addresses in `transfer.custodial_accounts`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, account: CustodialAccount) -> None:
        await self.conn.execute(
            "INSERT INTO custodial_accounts (address, telegram_id, username, opened_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (address) DO NOTHING",
            account.address,
            account.telegram_id,
            account.username,
            account.opened_at,
        )

    async def find(self, address: str) -> CustodialAccount | None:
        row = await self.conn.fetchrow(
            "SELECT address, telegram_id, username, opened_at FROM custodial_accounts "
            "WHERE address = $1",
            address,
        )
        return CustodialAccount(**dict(row)) if row else None


class TransferUnitOfWork(PgUnitOfWork):
    """The transfer unit of work."""

    accounts: PgAccountDirectory

    def bind(self) -> None:
        self.accounts = PgAccountDirectory(self.conn)
