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

import asyncio
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

_BATCH_ROWS = 100  # rows per transaction: their locks are held until every confirm is in


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

    A batch is written to the channel in id order and its confirms are awaited together (one
    round trip per batch, not per row: https://www.rabbitmq.com/docs/confirms#publisher-confirms-latency).
    RabbitMQ keeps the order of one channel's messages into each queue
    (https://www.rabbitmq.com/docs/semantics#ordering), so consumers see the rows in id order.
    A row is marked published only once its own confirm arrived; a row whose confirm failed
    stays for the next pass, and may then arrive after younger rows of its batch.
    """

    def __init__(
        self, pool: asyncpg.Pool[Any], broker: RabbitBroker, *, poll_seconds: float = 1.0
    ) -> None:
        super().__init__("outbox-relay", poll_seconds=poll_seconds)
        self.pool = pool
        self.broker = broker

    async def step(self, kicked: bool) -> None:
        """Publish until the outbox is empty (the rows of a failed publish stay for later)."""
        while await self.relay_once() == _BATCH_ROWS:
            pass

    async def relay_once(self, limit: int = _BATCH_ROWS) -> int:
        """Publish up to `limit` unpublished rows; returns how many were confirmed."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(
                "SELECT id, exchange, routing_key, message_id, correlation_id, body, trace_headers "
                "FROM outbox "
                "WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                limit,
            )
            # Tasks start in creation order and each takes the channel's lock before its first
            # wait, so the frames go out in id order; only the confirms are awaited together.
            outcomes = await asyncio.gather(
                *(asyncio.create_task(self._publish(row)) for row in rows),
                return_exceptions=True,
            )
            confirmed = [
                row["id"] for row, outcome in zip(rows, outcomes, strict=True) if outcome is None
            ]
            if len(confirmed) < len(rows):
                failure = next(o for o in outcomes if o is not None)
                log.warning(
                    "outbox: %d of %d publishes failed, will retry",
                    len(rows) - len(confirmed),
                    len(rows),
                    exc_info=failure,
                )
            if confirmed:
                await conn.execute(
                    "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
                    confirmed,
                )
            OUTBOX_PUBLISHED.inc(len(confirmed))
            OUTBOX_PENDING.set(
                await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            )
        return len(confirmed)

    async def _publish(self, row: asyncpg.Record) -> None:
        """Publish one row and wait for its confirm.

        Raises:
            Exception: not confirmed (nack, timeout, connection lost).
        """
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
