"""The send windows of Telegram's limits in Postgres, shared by every gateway replica.

The store keeps one row per key in `gateway.send_windows` (migrations/0006_outbound.sql)
and decides in one short transaction: the rows of a request's keys are locked in key order
(`SELECT ... FOR UPDATE`; every request locks `global`, so replicas take turns), the decision is
made with the database's clock (`clock_timestamp()`, one clock for every replica, so their own
clocks may drift), and the send is recorded before the transaction commits. A replica that
dies after recording simply leaves a used slot behind: the windows stay on the safe side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from ...domain.limits import Decision, Rules, Window, decide

__all__ = ["PgSendWindows"]


_NOW = "SELECT extract(epoch FROM clock_timestamp())::float8"


class PgSendWindows:
    """`SendWindows` in `gateway.send_windows`, shared by every replica.

    Args:
        pool: a small pool of its own (the limiter must never wait for a connection held by a
            transaction that waits for the limiter).
    """

    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self.pool = pool

    async def try_send(self, keys: Sequence[str], rules: Rules) -> tuple[Decision, float]:
        ordered = sorted(keys)
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute(
                "INSERT INTO send_windows (key) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                ordered,
            )
            rows = await conn.fetch(
                "SELECT key, sent_at, blocked_until FROM send_windows "
                "WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE",
                ordered,
            )
            now = float(await conn.fetchval(_NOW))  # after the locks: no stale "now"
            windows = {
                r["key"]: Window(list(r["sent_at"]), float(r["blocked_until"])) for r in rows
            }
            decision = decide(windows, rules, now)
            if decision.windows is not None:
                await conn.executemany(
                    "UPDATE send_windows SET sent_at = $2 WHERE key = $1",
                    [(k, w.sent_at) for k, w in decision.windows.items()],
                )
        return decision, now

    async def restamp(self, keys: Sequence[str], granted_at: float) -> None:
        await self.pool.execute(
            "UPDATE send_windows SET sent_at = array_replace(sent_at, $2::float8, "
            "extract(epoch FROM clock_timestamp())::float8) WHERE key = ANY($1::text[])",
            sorted(keys),
            granted_at,
        )

    async def block(self, keys: Sequence[str], seconds: float) -> None:
        await self.pool.execute(
            "INSERT INTO send_windows (key, blocked_until) "
            "SELECT k, extract(epoch FROM clock_timestamp()) + $2 FROM unnest($1::text[]) k "
            "ON CONFLICT (key) DO UPDATE SET blocked_until = "
            "greatest(send_windows.blocked_until, EXCLUDED.blocked_until)",
            sorted(keys),
            seconds,
        )
