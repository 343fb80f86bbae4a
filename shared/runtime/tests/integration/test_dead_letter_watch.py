"""The reported level and the alert commit together in Postgres: two replicas sampling one
crossing queue one outbox row, and a drained queue re-arms the watch."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest

from xrpbot.runtime.dead_letter_alerts import DeadLetterMonitor, PgWatchStore

pytestmark = pytest.mark.integration

QUEUE = "svc.dead-letter"


async def test_replicas_on_one_database_queue_one_alert_per_crossing(
    pool: asyncpg.Pool[Any],
) -> None:
    size = [0]

    async def depth() -> int:
        return size[0]

    replicas = [
        DeadLetterMonitor("svc", QUEUE, 5, depth, PgWatchStore(pool), interval_s=60)
        for _ in range(2)
    ]
    for messages in (4, 4, 5, 5, 0, 0, 4):
        size[0] = messages
        for replica in replicas:
            await replica.sample()
    rows = await pool.fetch("SELECT exchange, routing_key, body FROM outbox ORDER BY id")
    assert [(r["exchange"], r["routing_key"]) for r in rows] == [
        ("xrpbot.events", "ops.dead_letters_filling")
    ] * 3
    bodies = [json.loads(r["body"]) for r in rows]
    assert [(b["messages"], b["full"]) for b in bodies] == [(4, False), (5, True), (4, False)]
    assert (
        await pool.fetchval("SELECT reported FROM dead_letter_watch WHERE queue = $1", QUEUE) == 1
    )
