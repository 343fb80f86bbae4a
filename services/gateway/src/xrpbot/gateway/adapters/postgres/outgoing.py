"""The bot's queued messages in Postgres (`chat_messages`, migrations/0008_chat_messages.sql).

`PgOutgoing` writes them on an update's or a reply's transaction (`UnitOfWork.outgoing`,
`ports.OutgoingMessages`);
`PgOutgoingStore` is what the outgoing sender leases and marks on its own connections
(`entrypoints.outgoing`). A row is one bot message; writing a newer body bumps its `version`,
and the row is due until Telegram shows that version (`shown_version`).
"""

from __future__ import annotations

from typing import Any

import asyncpg

from xrpbot.runtime.db import Conn

from ...domain.delivery import Placeholder, QueuedMessage
from ...render.message import Rendered, rendered_to_json

__all__ = ["PgOutgoing", "PgOutgoingStore"]

_DUE = "version > shown_version AND dropped IS NULL"

SENDER_GONE_S = 20
"""A sender whose heartbeat is older than this is gone: its leases are free (it beats with
every claim, at least every few seconds, and on its own while all its sends are in flight)."""

# a lease is free when it ran out, or when its sender stopped beating (its replica died)
_FREE = (
    "({t}.leased_until < clock_timestamp() OR ({t}.leased_by IS NOT NULL AND {t}.leased_by <> $3 "
    "AND NOT EXISTS (SELECT 1 FROM outgoing_senders s WHERE s.holder = {t}.leased_by "
    "AND s.seen_at > clock_timestamp() - make_interval(secs => 20))))"  # SENDER_GONE_S
)
_BEAT = (
    "INSERT INTO outgoing_senders (holder, seen_at) VALUES ($1, clock_timestamp()) "
    "ON CONFLICT (holder) DO UPDATE SET seen_at = EXCLUDED.seen_at"
)
# the sender's heartbeat, then each chat's oldest due row, if it is free and its time has come;
# the UPDATE re-checks the lease on the row it locks, so two replicas never lease the same row
_CLAIM = f"""
WITH beat AS (
    INSERT INTO outgoing_senders (holder, seen_at) VALUES ($3, clock_timestamp())
    ON CONFLICT (holder) DO UPDATE SET seen_at = EXCLUDED.seen_at
), heads AS (
    SELECT DISTINCT ON (chat_id) id, leased_until, leased_by, not_before
    FROM chat_messages WHERE {_DUE}
    ORDER BY chat_id, id
), picked AS (
    SELECT id FROM heads h
    WHERE {_FREE.format(t="h")} AND h.not_before <= clock_timestamp()
    ORDER BY h.not_before, h.id LIMIT $1
)
UPDATE chat_messages m
SET leased_until = clock_timestamp() + make_interval(secs => $2), leased_by = $3,
    attempts = m.attempts + 1
FROM picked
WHERE m.id = picked.id AND {_FREE.format(t="m")}
    AND m.version > m.shown_version AND m.dropped IS NULL
RETURNING m.id, m.chat_id, m.message_id, m.body, m.version, m.attempts
"""  # noqa: S608  constant SQL


def _body(message: Rendered) -> dict[str, Any]:
    return rendered_to_json(message)  # the pool's jsonb codec encodes it (runtime.db)


class PgOutgoing:
    """`ports.Messenger` that queues on the transaction of `conn` (`UnitOfWork.outgoing`).

    Args:
        conn: the unit of work's connection, inside its transaction.
    """

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def send(self, chat_id: int, message: Rendered, *, delay_s: float = 0.0) -> int:
        """Queue `message` as a new message in `chat_id`, due in `delay_s` seconds; returns
        its slot id."""
        slot_id: int = await self.conn.fetchval(
            "INSERT INTO chat_messages (chat_id, body, version, not_before) "
            "VALUES ($1, $2, 1, now() + make_interval(secs => $3)) RETURNING id",
            chat_id,
            _body(message),
            float(delay_s),
        )
        return slot_id

    async def edit(self, placeholder: Placeholder, message: Rendered) -> int:
        """Make the placeholder show `message`; returns its slot id.

        A queued placeholder gets the new body (and is due at once, even if it waited for a
        delay); one not sent yet is then sent with the new body only. A message Telegram showed
        us gets a row of its own the first time. A slot that is gone (pruned) becomes a new
        message.
        """
        body = _body(message)
        if placeholder.slot_id is not None:
            slot_id: int | None = await self.conn.fetchval(
                "UPDATE chat_messages SET body = $3, version = version + 1, "
                "not_before = least(not_before, now()), dropped = NULL, updated_at = now() "
                "WHERE id = $1 AND chat_id = $2 RETURNING id",
                placeholder.slot_id,
                placeholder.chat_id,
                body,
            )
            if slot_id is not None:
                return slot_id
            return await self.send(placeholder.chat_id, message)
        if placeholder.message_id is None:
            return await self.send(placeholder.chat_id, message)
        adopted: int = await self.conn.fetchval(
            "INSERT INTO chat_messages (chat_id, message_id, body, version) "
            "VALUES ($1, $2, $3, 1) "
            "ON CONFLICT (chat_id, message_id) DO UPDATE SET body = EXCLUDED.body, "
            "version = chat_messages.version + 1, not_before = now(), dropped = NULL, "
            "updated_at = now() "
            "RETURNING id",
            placeholder.chat_id,
            placeholder.message_id,
            body,
        )
        return adopted


class PgOutgoingStore:
    """`ports.OutgoingStore` on a pool (each call its own short transaction).

    Its leases are named by `holder`, unique per gateway process, whose heartbeat
    (`outgoing_senders`) is written with every claim and by `beat`. When the replica dies its
    heartbeat stops, and after `SENDER_GONE_S` its leases are free for the other replicas
    (instead of after `lease_s`). A Postgres restart frees nothing: the heartbeats are rows, so
    a live sender's lease on a message it is still sending holds, and the message is never sent
    by two replicas at once.

    Args:
        pool: the gateway's pool (search_path on its schema).
        holder: this sender's name.
    """

    def __init__(self, pool: asyncpg.Pool[Any], holder: str) -> None:
        self.pool = pool
        self.holder = holder

    async def beat(self) -> None:
        """This sender is alive (while it claims nothing: all its sends in flight)."""
        await self.pool.execute(_BEAT, self.holder)

    async def claim(self, limit: int, lease_s: float) -> list[QueuedMessage]:
        rows = await self.pool.fetch(_CLAIM, limit, float(lease_s), self.holder)
        return [
            QueuedMessage(
                slot_id=r["id"],
                chat_id=r["chat_id"],
                message_id=r["message_id"],
                body=dict(r["body"]),
                version=r["version"],
                attempts=r["attempts"],
            )
            for r in rows
        ]

    async def shown(self, message: QueuedMessage, message_id: int) -> None:
        await self.pool.execute(
            "UPDATE chat_messages SET shown_version = greatest(shown_version, $2), "
            "message_id = $3, leased_until = '-infinity', attempts = 0, updated_at = now() "
            "WHERE id = $1",
            message.slot_id,
            message.version,
            message_id,
        )

    async def retry(self, message: QueuedMessage, after_s: float) -> None:
        await self.pool.execute(
            "UPDATE chat_messages SET leased_until = '-infinity', "
            "not_before = clock_timestamp() + make_interval(secs => $2) WHERE id = $1",
            message.slot_id,
            float(after_s),
        )

    async def drop(self, message: QueuedMessage, reason: str) -> None:
        await self.pool.execute(
            # a newer body written meanwhile may still be shown: only this version is dropped
            "UPDATE chat_messages SET leased_until = '-infinity', updated_at = now(), "
            "dropped = CASE WHEN version = $3 THEN $2 ELSE dropped END WHERE id = $1",
            message.slot_id,
            reason[:200],
            message.version,
        )

    async def next_due_in(self) -> float | None:
        seconds = await self.pool.fetchval(
            "SELECT extract(epoch FROM min(greatest(not_before, leased_until)) - "  # noqa: S608
            f"clock_timestamp()) FROM chat_messages WHERE {_DUE}"
        )
        return None if seconds is None else max(0.0, float(seconds))
