"""Incoming payments (`transfer.incoming_payments`) and the watcher's `ledger_cursor`."""

from __future__ import annotations

from xrpbot.runtime.db import Conn

from ...domain.incoming import IncomingPayment

__all__ = ["PgIncomingLedger"]


class PgIncomingLedger:
    """Incoming payments and the watcher's ledger cursor."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def cursor(self, *, for_update: bool = False) -> int | None:
        value: int | None = await self.conn.fetchval(
            "SELECT ledger_index FROM ledger_cursor FOR UPDATE"
            if for_update
            else "SELECT ledger_index FROM ledger_cursor"
        )
        return value

    async def set_cursor(self, ledger_index: int) -> None:
        await self.conn.execute(
            "INSERT INTO ledger_cursor (id, ledger_index) VALUES (true, $1) "
            "ON CONFLICT (id) DO UPDATE SET ledger_index = $1, updated_at = now()",
            ledger_index,
        )

    async def record(self, payment: IncomingPayment, telegram_id: int) -> bool:
        status = await self.conn.execute(
            "INSERT INTO incoming_payments (tx_hash, telegram_id, destination, source, "
            "delivered_drops, destination_tag, ledger_index) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (tx_hash) DO NOTHING",
            payment.tx_hash,
            telegram_id,
            payment.destination,
            payment.source,
            payment.delivered_drops,
            payment.destination_tag,
            payment.ledger_index,
        )
        return bool(status == "INSERT 0 1")
