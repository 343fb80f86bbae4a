"""Postgres store of the admins' data (migrations/0005_settings_throttle_admin.sql): user counts
from `chats`, `admin_alerts` and `broadcasts`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from xrpbot.runtime.db import Conn

from ...domain.admin import AlertSummary, BroadcastJob, UserCounts

__all__ = ["PgAdminStore"]


def _details(raw: Any) -> dict[str, int]:
    data = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
    return {str(k): int(v) for k, v in data.items()}


class PgAdminStore:
    """`ports.AdminStore` on one connection (the unit of work's transaction).

    Private chats are those with a positive id: Telegram gives users positive ids and groups,
    supergroups and channels negative ones (https://core.telegram.org/bots/api#chat), and a
    private chat's id is the user's id.
    """

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def user_counts(self, since: datetime) -> UserCounts:
        row = await self.conn.fetchrow(
            "SELECT count(*) AS users, "
            "count(*) FILTER (WHERE last_seen_at >= $1) AS active_today, "
            "count(*) FILTER (WHERE NOT active) AS inactive "
            "FROM chats WHERE chat_id > 0",
            since,
        )
        assert row is not None  # noqa: S101  an aggregate always returns one row
        return UserCounts(int(row["users"]), int(row["active_today"]), int(row["inactive"]))

    async def note_alert(
        self, kind: str, detail: str, *, period_s: float, now: datetime | None = None
    ) -> AlertSummary | None:
        # the upsert locks the kind's row: replicas count and decide one after the other
        row = await self.conn.fetchrow(
            "INSERT INTO admin_alerts AS a (kind, pending, details) "
            "VALUES ($1, 1, jsonb_build_object($2::text, 1)) "
            "ON CONFLICT (kind) DO UPDATE SET pending = a.pending + 1, "
            "details = a.details || jsonb_build_object($2::text, "
            "coalesce((a.details ->> $2::text)::int, 0) + 1) "
            "RETURNING pending, details, "
            "(last_sent_at IS NULL OR last_sent_at <= coalesce($3, clock_timestamp()) "
            "- make_interval(secs => $4)) AS due",
            kind,
            detail,
            now,
            period_s,
        )
        assert row is not None  # noqa: S101  an upsert with RETURNING returns its row
        if not row["due"]:
            return None
        await self.conn.execute(
            "UPDATE admin_alerts SET pending = 0, details = '{}'::jsonb, "
            "last_sent_at = coalesce($2, clock_timestamp()) WHERE kind = $1",
            kind,
            now,
        )
        return AlertSummary(kind, int(row["pending"]), _details(row["details"]))

    async def due_alerts(
        self, *, period_s: float, now: datetime | None = None
    ) -> list[AlertSummary]:
        rows = await self.conn.fetch(
            "WITH due AS (SELECT kind, pending, details FROM admin_alerts "
            "WHERE pending > 0 AND (last_sent_at IS NULL OR last_sent_at <= "
            "coalesce($1, clock_timestamp()) - make_interval(secs => $2)) "
            "FOR UPDATE SKIP LOCKED) "
            "UPDATE admin_alerts a SET pending = 0, details = '{}'::jsonb, "
            "last_sent_at = coalesce($1, clock_timestamp()) FROM due WHERE a.kind = due.kind "
            "RETURNING due.kind, due.pending, due.details",
            now,
            period_s,
        )
        return [AlertSummary(r["kind"], int(r["pending"]), _details(r["details"])) for r in rows]

    async def queue_broadcast(self, broadcast_id: UUID, created_by: int, text: str) -> int:
        await self.conn.execute(
            "INSERT INTO broadcasts (id, created_by, text) VALUES ($1, $2, $3)",
            broadcast_id,
            created_by,
            text,
        )
        reach: int = await self.conn.fetchval(
            "SELECT count(*) FROM chats WHERE chat_id > 0 AND active"
        )
        return reach

    async def next_broadcast(self, *, interval_s: float) -> BroadcastJob | None:
        # one broadcast at a time across replicas (the oldest), so together they keep the pace
        row = await self.conn.fetchrow(
            "SELECT id, created_by, text, cursor, sent, unreachable, "
            "coalesce(greatest(0, $1 - extract(epoch FROM clock_timestamp() - last_sent_at)), 0)"
            "::float8 AS wait_s "
            "FROM broadcasts WHERE id = (SELECT id FROM broadcasts WHERE state = 'queued' "
            "ORDER BY created_at, id LIMIT 1) FOR UPDATE SKIP LOCKED",
            interval_s,
        )
        if row is None:
            return None
        return BroadcastJob(
            id=row["id"],
            created_by=row["created_by"],
            text=row["text"],
            cursor=row["cursor"],
            sent=row["sent"],
            unreachable=row["unreachable"],
            wait_s=float(row["wait_s"]),
        )

    async def next_target(self, job: BroadcastJob) -> int | None:
        chat_id: int | None = await self.conn.fetchval(
            "SELECT chat_id FROM chats WHERE chat_id > $1 AND chat_id > 0 AND active "
            "ORDER BY chat_id LIMIT 1",
            job.cursor,
        )
        return chat_id

    async def advance_broadcast(self, job: BroadcastJob, chat_id: int, *, sent: bool) -> None:
        await self.conn.execute(
            "UPDATE broadcasts SET cursor = $2, sent = sent + $3, unreachable = unreachable + $4, "
            "last_sent_at = clock_timestamp() WHERE id = $1",
            job.id,
            chat_id,
            int(sent),
            int(not sent),
        )

    async def finish_broadcast(self, job: BroadcastJob) -> None:
        await self.conn.execute(
            "UPDATE broadcasts SET state = 'done', finished_at = now() WHERE id = $1", job.id
        )
