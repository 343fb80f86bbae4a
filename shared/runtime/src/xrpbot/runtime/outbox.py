"""Inbox and outbox: exactly-once effects on top of RabbitMQ's at-least-once delivery.

- `claim_inbox` records a message's event_id in the same transaction as its effect, so a
  redelivered message changes nothing twice.
- `add_to_outbox` writes the messages to publish in that same transaction; `OutboxRelay`
  publishes them with publisher confirms and marks them published. A message is published if
  and only if its transaction committed; after a crash the relay publishes what is left
  (at least once: consumers dedupe by event_id).

Both tables are pruned after RETENTION_DAYS (`retention.py`); an outbox row only once published.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import asyncpg
from faststream.rabbit import RabbitBroker

from xrpbot.schemas import Envelope

from .db import Conn
from .metrics import OUTBOX_PENDING, OUTBOX_PUBLISHED
from .topology import EXCHANGES
from .tracing import current_trace_headers, use_trace_headers
from .worker import KickableWorker

__all__ = ["OutboxRelay", "add_to_outbox", "claim_inbox"]

log = logging.getLogger(__name__)


async def claim_inbox(conn: Conn, consumer: str, message: Envelope) -> bool:
    """Record `message.event_id` as handled by `consumer`, inside the caller's transaction.

    Returns:
        False when it was already handled (a redelivery or a duplicate): do nothing then.
    """
    row = await conn.fetchval(
        "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING RETURNING 1",
        consumer,
        message.event_id,
    )
    return row is not None


async def add_to_outbox(conn: Conn, exchange: str, message: Envelope) -> None:
    """Queue `message` for publishing to `exchange` with its routing key, in the caller's transaction.

    The current trace context (if tracing is on) is stored with it, so the trace continues
    when the relay publishes it.

    Raises:
        KeyError: `exchange` is not one of the design's exchanges.
    """
    if exchange not in EXCHANGES:
        raise KeyError(exchange)
    await conn.execute(
        "INSERT INTO outbox (exchange, routing_key, message_id, correlation_id, body, trace_headers) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        exchange,
        message.ROUTING_KEY,
        message.event_id,
        message.correlation_id,
        message.model_dump_json(),
        json.dumps(trace) if (trace := current_trace_headers()) else None,
    )


def _trace_headers(stored: str | None) -> dict[str, str] | None:
    if not stored:
        return None
    try:
        headers = json.loads(stored)
    except ValueError:
        return None
    return headers if isinstance(headers, dict) else None


class OutboxRelay(KickableWorker):
    """Publishes committed outbox rows, oldest first, with publisher confirms.

    Call `kick()` after a commit to publish at once; it also polls every `poll_seconds`, which
    covers rows left by a crash or by another replica. Rows are locked with SKIP LOCKED, so
    several replicas can relay together.
    """

    def __init__(
        self, pool: asyncpg.Pool[Any], broker: RabbitBroker, *, poll_seconds: float = 1.0
    ) -> None:
        super().__init__("outbox-relay", poll_seconds=poll_seconds)
        self.pool = pool
        self.broker = broker

    async def step(self, kicked: bool) -> None:
        """Publish until the outbox is empty (the rows of a failed publish stay for later)."""
        while await self.relay_once() == 100:
            pass

    async def relay_once(self, limit: int = 100) -> int:
        """Publish up to `limit` unpublished rows; returns how many were published."""
        published = 0
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT id, exchange, routing_key, message_id, correlation_id, body, trace_headers "
                "FROM outbox "
                "WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                limit,
            )
            for row in rows:
                try:
                    with use_trace_headers(_trace_headers(row["trace_headers"])):
                        await self.broker.publish(
                            row["body"].encode(),
                            exchange=EXCHANGES[row["exchange"]],
                            routing_key=row["routing_key"],
                            message_id=str(row["message_id"]),
                            correlation_id=str(row["correlation_id"]),
                            content_type="application/json",
                            persist=True,
                            timeout=10,
                        )
                except Exception:
                    # keep what was confirmed so far; the rest is retried
                    log.warning("outbox: publish failed, will retry", exc_info=True)
                    break
                await conn.execute(
                    "UPDATE outbox SET published_at = now() WHERE id = $1", row["id"]
                )
                published += 1
            OUTBOX_PUBLISHED.inc(published)
            OUTBOX_PENDING.set(
                await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            )
        return published
