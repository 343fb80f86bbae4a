"""The gateway's retention rules on a real Postgres: update claims and processed webhook updates
go after RETENTION_DAYS, pending webhook updates never; stale placeholders, views, presses,
abandoned flows and idle throttle buckets after their own ages; fresh rows stay."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from xrpbot.gateway.adapters.postgres.retention import gateway_retention
from xrpbot.runtime.retention import Pruner
from xrpbot.runtime.settings import SECONDS_PER_DAY

pytestmark = pytest.mark.integration


def _pruner(pool: asyncpg.Pool[Any], retention_days: int = 7) -> Pruner:
    return Pruner(pool, gateway_retention(retention_days * SECONDS_PER_DAY))


async def test_update_claims_go_after_the_retention(pool: asyncpg.Pool[Any]) -> None:
    await pool.execute(
        "INSERT INTO processed_updates (update_id, processed_at) VALUES "
        "(1, now() - interval '8 days'), (2, now() - interval '6 days'), (3, now())"
    )
    assert (await _pruner(pool).prune_all())["processed_updates"] == 1
    assert await pool.fetchval(
        "SELECT array_agg(update_id ORDER BY update_id) FROM processed_updates"
    ) == [2, 3]
    assert (await _pruner(pool, retention_days=3).prune_all())["processed_updates"] == 1
    assert await pool.fetchval("SELECT array_agg(update_id) FROM processed_updates") == [3]


async def test_processed_webhook_updates_go_and_pending_ones_stay(pool: asyncpg.Pool[Any]) -> None:
    await pool.execute(
        "INSERT INTO webhook_updates (update_id, body, received_at, done_at) VALUES "
        "(1, '{}', now() - interval '9 days', now() - interval '8 days'), "
        "(2, '{}', now() - interval '6 days', now() - interval '6 days'), "
        "(3, '{}', now() - interval '30 days', NULL)"
    )
    assert (await _pruner(pool).prune_all())["webhook_updates"] == 1
    assert await pool.fetchval(
        "SELECT array_agg(update_id ORDER BY update_id) FROM webhook_updates"
    ) == [2, 3]


async def test_stale_placeholders_views_presses_flows_and_idle_buckets_go(
    pool: asyncpg.Pool[Any],
) -> None:
    old, fresh = uuid4(), uuid4()
    await pool.execute(
        "INSERT INTO pending_replies (correlation_id, chat_id, message_id, created_at) VALUES "
        "($1, 1, 1, now() - interval '8 days'), ($2, 1, 2, now())",
        old,
        fresh,
    )
    await pool.execute(
        "INSERT INTO reply_views (correlation_id, view, created_at) VALUES "
        "($1, 'receive', now() - interval '8 days'), ($2, 'receive', now())",
        old,
        fresh,
    )
    await pool.execute(
        "INSERT INTO quote_presses (transfer_id, correlation_id, pressed_at) VALUES "
        "($1, $1, now() - interval '8 days'), ($2, $2, now())",
        old,
        fresh,
    )
    await pool.execute(
        "INSERT INTO fsm_states (key, state, updated_at) VALUES "
        "('fsm:1:1:1:default', 'SendFlow:amount', now() - interval '8 days'), "
        "('fsm:1:2:2:default', 'SendFlow:amount', now())"
    )
    await pool.execute(
        "INSERT INTO command_throttle (telegram_id, tokens, refilled_at, verdict) VALUES "
        "(1, 0, now() - interval '2 hours', 'allow'), (2, 0, now(), 'allow')"
    )

    counts = await _pruner(pool).prune_all()

    for table in ("pending_replies", "reply_views", "quote_presses", "fsm_states"):
        assert counts[table] == 1, table
    assert counts["command_throttle"] == 1
    assert await pool.fetchval("SELECT array_agg(correlation_id) FROM pending_replies") == [fresh]
    assert await pool.fetchval("SELECT array_agg(correlation_id) FROM reply_views") == [fresh]
    assert await pool.fetchval("SELECT array_agg(transfer_id) FROM quote_presses") == [fresh]
    assert await pool.fetchval("SELECT array_agg(key) FROM fsm_states") == ["fsm:1:2:2:default"]
    assert await pool.fetchval("SELECT array_agg(telegram_id) FROM command_throttle") == [2]
