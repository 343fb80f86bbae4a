"""Postgres store of the users the gateway reported (`reported_users`,
migrations/0007_reported_users.sql): the pair reported last and when."""

from __future__ import annotations

from datetime import timedelta

from xrpbot.runtime.db import Conn

__all__ = ["PgReportedUsers"]

# the existing row is locked even when the WHERE leaves it as it is, so two updates of one user
# decide one after the other
_DUE = (
    "INSERT INTO reported_users AS r (telegram_id, username, first_name) VALUES ($1, $2, $3) "
    "ON CONFLICT (telegram_id) DO UPDATE SET username = EXCLUDED.username, "
    "first_name = EXCLUDED.first_name, reported_at = now() "
    "WHERE r.username IS DISTINCT FROM EXCLUDED.username "
    "OR r.first_name IS DISTINCT FROM EXCLUDED.first_name "
    "OR r.reported_at < now() - make_interval(secs => $4) "
    "RETURNING 1"
)


class PgReportedUsers:
    """`ports.ReportedUsers` on the unit of work's connection."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def due(
        self, telegram_id: int, username: str | None, first_name: str, *, every: timedelta
    ) -> bool:
        row = await self.conn.fetchval(
            _DUE, telegram_id, username, first_name, every.total_seconds()
        )
        return row is not None
