"""Transfers in `transfer.transfers` (and their set-aside blobs in `transfer_attempts`): each
move the domain decided persisted by a conditional UPDATE on the exact attempt it was decided
for (`WHERE id = $1 AND state = $2 AND tx_hash IS NOT DISTINCT FROM $4`), so of two replicas
deciding about one transfer at once only the first changes it; history and /stats read here
too."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from xrpbot.runtime.db import Conn
from xrpbot.runtime.retention import RetentionRule
from xrpbot.schemas import Actor, Counterparty, ErrorCode, HistoryEntry, HistoryStatus

from ...domain.reply_to import ReplyTo
from ...domain.transfer import Transfer, TransferState, Transition
from ...ports import TransferStats

__all__ = ["PgTransferRepository", "refused_retention"]

_TRANSFER_COLUMNS = (
    "id, telegram_id, chat_id, state, sender_address, destination_address, destination_tag, "
    "destination_user_id, destination_username, amount_drops, fee_drops, reply_to, expires_at, "
    "confirmed_at, sequence, last_ledger_sequence, signed_ledger_index, tx_blob, tx_hash, "
    "submit_result, submitted_at, code, result, ledger_index, delivered_drops, finished_at"
)
_GET = f"SELECT {_TRANSFER_COLUMNS} FROM transfers WHERE id = $1 AND state <> 'refused'"  # noqa: S608  constant columns
_GET_FOR_UPDATE = _GET + " FOR UPDATE"
_FINISHING = {t.target: t for t in (Transition.VALIDATE, Transition.FAIL, Transition.EXPIRE)}
_HISTORY_STATUS = {
    "confirmed": HistoryStatus.PENDING,
    "signed": HistoryStatus.PENDING,
    "submitted": HistoryStatus.PENDING,
    "validated": HistoryStatus.SENT,
    "failed": HistoryStatus.FAILED,
    "expired": HistoryStatus.EXPIRED,
}


def _reply_to_json(reply_to: ReplyTo) -> str:
    """`transfers.reply_to`: {"correlation_id", "user", "chat_id"}, as the command carried them."""
    return json.dumps(
        {
            "correlation_id": str(reply_to.correlation_id),
            "user": reply_to.user.model_dump(mode="json"),
            "chat_id": reply_to.chat_id,
        }
    )


def _reply_to(row: asyncpg.Record) -> ReplyTo:
    """The stored reply address; a row without one answers its own user and chat."""
    stored = row["reply_to"]
    if isinstance(stored, str):
        stored = json.loads(stored)
    stored = stored or {}
    return ReplyTo(
        correlation_id=UUID(str(stored.get("correlation_id", row["id"]))),
        user=Actor.model_validate(stored.get("user", {"telegram_id": row["telegram_id"]})),
        chat_id=int(stored.get("chat_id", row["chat_id"])),
    )


def _transfer(row: asyncpg.Record) -> Transfer:
    fields = dict(row)
    fields["state"] = TransferState(fields["state"])
    fields["reply_to"] = _reply_to(row)
    fields["code"] = ErrorCode(fields["code"]) if fields["code"] else None
    return Transfer(**fields)


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
            _reply_to_json(transfer.reply_to),
        )

    async def add_refused(self, telegram_id: int, chat_id: int, code: ErrorCode) -> None:
        await self.conn.execute(
            "INSERT INTO transfers (id, telegram_id, chat_id, state, code) "
            "VALUES ($1, $2, $3, 'refused', $4)",
            uuid4(),
            telegram_id,
            chat_id,
            code.value,
        )

    async def get(self, transfer_id: UUID, *, for_update: bool = False) -> Transfer | None:
        query = _GET_FOR_UPDATE if for_update else _GET
        row = await self.conn.fetchrow(query, transfer_id)
        return _transfer(row) if row else None

    async def _record(
        self,
        transition: Transition,
        before: Transfer,
        after: Transfer,
        columns: Sequence[str],
        *values: Any,
    ) -> bool:
        """UPDATE state and `columns` (constant names) only if the row is still exactly as the
        move was decided from: `before`'s state (one of the move's sources) and `before`'s
        tx_hash (the attempt; NULL before signing)."""
        if before.id != after.id or before.state not in transition.sources:
            return False
        if after.state is not transition.target:
            return False
        sets = "".join(f", {name} = ${i + 5}" for i, name in enumerate(columns))
        status = await self.conn.execute(
            f"UPDATE transfers SET state = $3{sets} "  # noqa: S608  constant column names
            "WHERE id = $1 AND state = $2 AND tx_hash IS NOT DISTINCT FROM $4",
            before.id,
            before.state.value,
            transition.target.value,
            before.tx_hash,
            *values,
        )
        return bool(status == "UPDATE 1")

    async def record_confirmed(self, before: Transfer, after: Transfer) -> bool:
        return await self._record(
            Transition.CONFIRM,
            before,
            after,
            ("confirmed_at", "reply_to"),
            after.confirmed_at,
            _reply_to_json(after.reply_to),
        )

    async def record_cancelled(self, before: Transfer, after: Transfer) -> bool:
        return await self._record(Transition.CANCEL, before, after, ())

    async def record_quote_expired(self, before: Transfer, after: Transfer) -> bool:
        return await self._record(Transition.EXPIRE_QUOTE, before, after, ())

    async def record_signed(self, before: Transfer, after: Transfer) -> bool:
        return await self._record(
            Transition.SIGN,
            before,
            after,
            ("sequence", "last_ledger_sequence", "signed_ledger_index", "tx_blob", "tx_hash"),
            after.sequence,
            after.last_ledger_sequence,
            after.signed_ledger_index,
            after.tx_blob,
            after.tx_hash,
        )

    async def record_submitted(self, before: Transfer, after: Transfer) -> bool:
        return await self._record(
            Transition.SUBMIT,
            before,
            after,
            ("submit_result", "submitted_at"),
            after.submit_result,
            after.submitted_at,
        )

    async def record_sequence_taken(self, before: Transfer, after: Transfer, reason: str) -> bool:
        moved = await self._record(
            Transition.SEQUENCE_TAKEN,
            before,
            after,
            ("sequence", "last_ledger_sequence", "signed_ledger_index", "tx_blob", "tx_hash"),
            None,
            None,
            None,
            None,
            None,
        )
        if moved and before.tx_hash is not None and before.sequence is not None:
            await self.conn.execute(
                "INSERT INTO transfer_attempts (tx_hash, transfer_id, sequence, reason) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (tx_hash) DO NOTHING",
                before.tx_hash,
                before.id,
                before.sequence,
                reason,
            )
        return moved

    async def record_finished(self, before: Transfer, after: Transfer) -> bool:
        return await self._record_final(_FINISHING[after.state], before, after)

    async def record_given_up(self, before: Transfer, after: Transfer) -> bool:
        return await self._record_final(Transition.GIVE_UP, before, after)

    async def _record_final(
        self, transition: Transition, before: Transfer, after: Transfer
    ) -> bool:
        return await self._record(
            transition,
            before,
            after,
            ("code", "result", "ledger_index", "delivered_drops", "finished_at"),
            after.code.value if after.code else None,
            after.result,
            after.ledger_index,
            after.delivered_drops,
            after.finished_at,
        )

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

    async def history(
        self, telegram_id: int, page: int, page_size: int
    ) -> tuple[int, list[HistoryEntry]]:
        rows = await self.conn.fetch(
            """
            WITH entries AS (
                SELECT 'out' AS direction, t.state, t.amount_drops AS amount_drops,
                       t.fee_drops, t.destination_address AS address, t.destination_tag AS tag,
                       t.destination_user_id AS user_id,
                       coalesce(du.username, t.destination_username) AS username,
                       t.confirmed_at AS at, t.tx_hash, t.result
                FROM transfers t
                LEFT JOIN telegram_users du ON du.telegram_id = t.destination_user_id
                WHERE t.telegram_id = $1 AND t.confirmed_at IS NOT NULL
                UNION ALL
                SELECT 'in', 'received', i.delivered_drops, 0, i.source, i.destination_tag,
                       c.telegram_id, su.username, i.recorded_at, i.tx_hash, NULL
                FROM incoming_payments i
                LEFT JOIN custodial_accounts c ON c.address = i.source
                LEFT JOIN telegram_users su ON su.telegram_id = c.telegram_id
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
        """Counts since `since` for /stats; one statement, a consistent snapshot."""
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


def refused_retention(retention_s: float) -> RetentionRule:
    """Refused requests (no payment behind them; nothing reads them back) are pruned
    `retention_s` (RETENTION_DAYS) after they were made."""
    return RetentionRule("transfers", "created_at", retention_s, where="state = 'refused'")
