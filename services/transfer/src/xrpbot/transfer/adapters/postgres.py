"""Postgres adapters of the transfer service: custodial accounts, transfers, incoming payments."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from xrpbot.runtime.db import Conn
from xrpbot.runtime.uow import PgUnitOfWork
from xrpbot.schemas import Counterparty, Envelope, ErrorCode, HistoryEntry, HistoryStatus

from ..domain import CustodialAccount, IncomingPayment, Transfer, TransferState
from ..ports import TransferStats

__all__ = [
    "PgAccountDirectory",
    "PgIncomingLedger",
    "PgTransferRepository",
    "TransferUnitOfWork",
]

_TRANSFER_COLUMNS = (
    "id, telegram_id, chat_id, state, sender_address, destination_address, destination_tag, "
    "destination_user_id, destination_username, amount_drops, fee_drops, expires_at, reply_to, "
    "sequence, last_ledger_sequence, signed_ledger_index, tx_blob, tx_hash"
)
_GET = f"SELECT {_TRANSFER_COLUMNS} FROM transfers WHERE id = $1 AND state <> 'refused'"  # noqa: S608  constant columns
_GET_FOR_UPDATE = _GET + " FOR UPDATE"
_MOVABLE = frozenset(
    {
        "code",
        "confirmed_at",
        "reply_to",
        "sequence",
        "last_ledger_sequence",
        "signed_ledger_index",
        "tx_blob",
        "tx_hash",
        "submit_result",
        "submitted_at",
        "result",
        "ledger_index",
        "delivered_drops",
        "finished_at",
    }
)
_HISTORY_STATUS = {
    "confirmed": HistoryStatus.PENDING,
    "signed": HistoryStatus.PENDING,
    "submitted": HistoryStatus.PENDING,
    "validated": HistoryStatus.SENT,
    "failed": HistoryStatus.FAILED,
    "expired": HistoryStatus.EXPIRED,
}


def _account(row: asyncpg.Record) -> CustodialAccount:
    return CustodialAccount(
        address=row["address"],
        telegram_id=row["telegram_id"],
        username=row["username"],
        opened_at=row["opened_at"],
    )


def _transfer(row: asyncpg.Record) -> Transfer:
    fields = dict(row)
    fields["state"] = TransferState(fields["state"])
    if isinstance(fields["reply_to"], str):
        fields["reply_to"] = json.loads(fields["reply_to"])
    return Transfer(**fields)


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

    async def find(self, address: str) -> CustodialAccount | None:
        row = await self.conn.fetchrow(
            "SELECT address, telegram_id, username, opened_at FROM custodial_accounts "
            "WHERE address = $1",
            address,
        )
        return _account(row) if row else None

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


class PgTransferRepository:
    """Transfers in `transfer.transfers`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, transfer: Transfer) -> None:
        await self.conn.execute(
            "INSERT INTO transfers (id, telegram_id, chat_id, state, sender_address, "
            "destination_address, destination_tag, destination_user_id, destination_username, "
            "amount_drops, fee_drops, expires_at, reply_to) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)",
            transfer.id,
            transfer.telegram_id,
            transfer.chat_id,
            transfer.state.value,
            transfer.sender_address,
            transfer.destination_address,
            transfer.destination_tag,
            transfer.destination_user_id,
            transfer.destination_username,
            transfer.amount_drops,
            transfer.fee_drops,
            transfer.expires_at,
            json.dumps(transfer.reply_to) if transfer.reply_to is not None else None,
        )

    async def add_refused(self, cause: Envelope, code: ErrorCode) -> None:
        await self.conn.execute(
            "INSERT INTO transfers (id, telegram_id, chat_id, state, code) "
            "VALUES ($1, $2, $3, 'refused', $4)",
            uuid4(),
            cause.user.telegram_id,
            cause.chat_id,
            code.value,
        )

    async def get(self, transfer_id: UUID, *, for_update: bool = False) -> Transfer | None:
        query = _GET_FOR_UPDATE if for_update else _GET
        row = await self.conn.fetchrow(query, transfer_id)
        return _transfer(row) if row else None

    async def move(
        self,
        transfer_id: UUID,
        from_states: Sequence[TransferState],
        to_state: TransferState,
        **fields: Any,
    ) -> bool:
        unknown = set(fields) - _MOVABLE
        if unknown:
            raise ValueError(f"not movable: {sorted(unknown)}")
        names = list(fields)
        values = [
            json.dumps(v) if n == "reply_to" and v is not None else v for n, v in fields.items()
        ]
        sets = "".join(
            f", {name} = ${i + 4}{'::jsonb' if name == 'reply_to' else ''}"
            for i, name in enumerate(names)
        )
        status = await self.conn.execute(
            # column names come from _MOVABLE only, values are parameters
            f"UPDATE transfers SET state = $3{sets} WHERE id = $1 AND state = ANY($2::text[])",  # noqa: S608
            transfer_id,
            [s.value for s in from_states],
            to_state.value,
            *values,
        )
        return bool(status == "UPDATE 1")

    async def ids_in(
        self, states: Sequence[TransferState], limit: int = 1000
    ) -> list[tuple[UUID, str]]:
        rows = await self.conn.fetch(
            "SELECT id, sender_address FROM transfers WHERE state = ANY($1::text[]) "
            "ORDER BY confirmed_at NULLS LAST, sequence NULLS LAST LIMIT $2",
            [s.value for s in states],
            limit,
        )
        return [(row["id"], row["sender_address"]) for row in rows]

    async def lock_account(self, address: str) -> None:
        await self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('transfer.sender:' || $1, 0))", address
        )

    async def in_flight(
        self, address: str, *, excluding: UUID, prepared_only: bool = False
    ) -> tuple[int, int | None]:
        states = ["signed", "submitted"] if prepared_only else ["confirmed", "signed", "submitted"]
        row = await self.conn.fetchrow(
            "SELECT coalesce(sum(amount_drops + fee_drops), 0) AS total, max(sequence) AS seq "
            "FROM transfers WHERE sender_address = $1 AND id <> $2 AND state = ANY($3::text[])",
            address,
            excluding,
            states,
        )
        assert row is not None  # noqa: S101  an aggregate always returns a row
        return int(row["total"]), row["seq"]

    async def abandon_blob(self, transfer: Transfer, reason: str) -> None:
        if transfer.tx_hash is None or transfer.sequence is None:
            return
        await self.conn.execute(
            "INSERT INTO transfer_attempts (tx_hash, transfer_id, sequence, reason) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (tx_hash) DO NOTHING",
            transfer.tx_hash,
            transfer.id,
            transfer.sequence,
            reason,
        )

    async def history(
        self, telegram_id: int, page: int, page_size: int
    ) -> tuple[int, list[HistoryEntry]]:
        rows = await self.conn.fetch(
            """
            WITH entries AS (
                SELECT 'out' AS direction, t.state, t.amount_drops AS amount_drops,
                       t.fee_drops, t.destination_address AS address, t.destination_tag AS tag,
                       t.destination_user_id AS user_id, t.destination_username AS username,
                       t.confirmed_at AS at, t.tx_hash, t.result
                FROM transfers t
                WHERE t.telegram_id = $1 AND t.confirmed_at IS NOT NULL
                UNION ALL
                SELECT 'in', 'received', i.delivered_drops, 0, i.source, i.destination_tag,
                       c.telegram_id, c.username, i.recorded_at, i.tx_hash, NULL
                FROM incoming_payments i
                LEFT JOIN custodial_accounts c ON c.address = i.source
                WHERE i.telegram_id = $1
            )
            SELECT *, count(*) OVER () AS total FROM entries
            ORDER BY at DESC, tx_hash LIMIT $2 OFFSET $3
            """,
            telegram_id,
            page_size,
            page * page_size,
        )
        total = int(rows[0]["total"]) if rows else await self._count(telegram_id)
        entries = [
            HistoryEntry(
                direction=row["direction"],
                status=HistoryStatus.RECEIVED
                if row["direction"] == "in"
                else _HISTORY_STATUS[row["state"]],
                amount_drops=row["amount_drops"],
                fee_drops=row["fee_drops"] or 0,
                counterparty=Counterparty(
                    address=row["address"],
                    destination_tag=row["tag"],
                    telegram_id=row["user_id"],
                    username=row["username"],
                ),
                at=row["at"],
                tx_hash=row["tx_hash"],
                result=row["result"],
            )
            for row in rows
        ]
        return total, entries

    async def stats(self, since: datetime) -> TransferStats:
        """Counts since `since` (issue 5's /stats); one statement, a consistent snapshot."""
        row = await self.conn.fetchrow(
            """
            SELECT
              (SELECT count(*) FROM custodial_accounts) AS wallets,
              (SELECT count(*) FROM custodial_accounts WHERE opened_at >= $1) AS wallets_today,
              (SELECT count(*) FROM transfers
                WHERE state = 'validated' AND finished_at >= $1) AS payments_today,
              (SELECT coalesce(sum(delivered_drops), 0) FROM transfers
                WHERE state = 'validated' AND finished_at >= $1) AS volume_today_drops,
              (SELECT count(*) FROM transfers
                WHERE state IN ('failed', 'expired') AND confirmed_at IS NOT NULL
                AND finished_at >= $1) AS failed_today,
              (SELECT count(*) FROM incoming_payments WHERE recorded_at >= $1) AS incoming_today,
              (SELECT coalesce(sum(delivered_drops), 0) FROM incoming_payments
                WHERE recorded_at >= $1) AS incoming_volume_today_drops
            """,
            since,
        )
        assert row is not None  # noqa: S101  an aggregate always returns one row
        return TransferStats(**{key: int(value) for key, value in row.items()})

    async def _count(self, telegram_id: int) -> int:
        total: int = await self.conn.fetchval(
            "SELECT (SELECT count(*) FROM transfers WHERE telegram_id = $1 "
            "AND confirmed_at IS NOT NULL) + "
            "(SELECT count(*) FROM incoming_payments WHERE telegram_id = $1)",
            telegram_id,
        )
        return total


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


class TransferUnitOfWork(PgUnitOfWork):
    """The transfer unit of work: accounts, transfers, incoming payments, inbox, outbox."""

    accounts: PgAccountDirectory
    transfers: PgTransferRepository
    incoming: PgIncomingLedger

    def bind(self) -> None:
        self.accounts = PgAccountDirectory(self.conn)
        self.transfers = PgTransferRepository(self.conn)
        self.incoming = PgIncomingLedger(self.conn)
