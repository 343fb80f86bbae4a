"""Where the send windows live: Postgres (shared by every gateway replica) or memory (tests).

The Postgres store keeps one row per key in `gateway.send_windows` (migrations/0006_outbound.sql)
and decides in one short transaction: the rows of a request's keys are locked in key order
(`SELECT ... FOR UPDATE`; every request locks `global`, so replicas take turns), the decision is
made with the database's clock (`clock_timestamp()`, one clock for every replica, so their own
clocks may drift), and the send is recorded before the transaction commits. A replica that
dies after recording simply leaves a used slot behind: the windows stay on the safe side.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import asyncpg
from prometheus_client import Counter

from .limits import Decision, Rules, Window, decide

__all__ = ["CHATS_DEACTIVATED", "MemorySendWindows", "PgChats", "PgSendWindows", "SendWindows"]

log = logging.getLogger(__name__)


class SendWindows(Protocol):
    """Shared state of the send limits."""

    async def try_send(self, keys: Sequence[str], rules: Rules) -> tuple[Decision, float]:
        """Record a send against `keys` if every rule allows it now.

        Returns:
            (the decision, the store's clock now, in seconds); when `decision.at` > now nothing
            was recorded and the caller should try again at `decision.at`.
        """
        ...

    async def block(self, keys: Sequence[str], seconds: float) -> None:
        """No send on `keys` for `seconds` from now (a 429's retry_after)."""
        ...

    async def restamp(self, keys: Sequence[str], granted_at: float) -> None:
        """Move the send granted at `granted_at` to now, when its request has finished.

        Telegram counts a request when it arrives, somewhere between the grant and the answer;
        counting it from the answer keeps the next one of the chat at least a window after
        its arrival, however long the request took.
        """
        ...


class MemorySendWindows:
    """`SendWindows` in this process only (tests, and before the database is open).

    Args:
        clock: seconds (monotonic by default).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.windows: dict[str, Window] = {}

    async def try_send(self, keys: Sequence[str], rules: Rules) -> tuple[Decision, float]:
        now = self.clock()
        decision = decide({k: self.windows.get(k, Window()) for k in keys}, rules, now)
        if decision.windows is not None:
            self.windows.update(decision.windows)
        return decision, now

    async def restamp(self, keys: Sequence[str], granted_at: float) -> None:
        now = self.clock()
        for key in keys:
            window = self.windows.get(key)
            if window is not None:
                window.sent_at = sorted(now if t == granted_at else t for t in window.sent_at)

    async def block(self, keys: Sequence[str], seconds: float) -> None:
        until = self.clock() + seconds
        for key in keys:
            window = self.windows.setdefault(key, Window())
            window.blocked_until = max(window.blocked_until, until)


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


CHATS_DEACTIVATED = Counter(
    "xrpbot_gateway_chats_deactivated_total",
    "Chats marked inactive after Telegram answered 403 (bot blocked, user deactivated).",
)


class PgChats:
    """Marks chats inactive (`gateway.chats.active = false`); an update from the chat makes it
    active again (`GatewayUnitOfWork.see_chat`).

    Args:
        pool: the pool to write with (autocommit; one statement).
    """

    def __init__(self, pool: asyncpg.Pool[Any]) -> None:
        self.pool = pool

    async def mark_inactive(self, chat_id: int, reason: str) -> None:
        """Record that the chat cannot receive messages (Telegram's 403 description)."""
        await self.pool.execute(
            "INSERT INTO chats (chat_id, active) VALUES ($1, false) "
            "ON CONFLICT (chat_id) DO UPDATE SET active = false",
            chat_id,
        )
        CHATS_DEACTIVATED.inc()
        log.info("chat %s marked inactive: %s", chat_id, reason)
