"""Retention on the real Postgres: inside the window a redelivery still changes nothing; older
inbox claims and published outbox rows are pruned in bounded batches; an unpublished outbox row
is kept whatever its age; rows another transaction holds are skipped, not waited for."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any
from uuid import UUID

import asyncpg
import pytest
from prometheus_client import REGISTRY

from xrpbot.runtime.outbox import add_to_outbox, claim_inbox
from xrpbot.runtime.retention import Pruner, RetentionRule, prune, runtime_rules
from xrpbot.runtime.settings import SECONDS_PER_DAY
from xrpbot.runtime.topology import REPLIES
from xrpbot.runtime.uow import PgUnitOfWork
from xrpbot.schemas import Actor, ErrorCode, WalletFailed

pytestmark = pytest.mark.integration

RETENTION_S = 7 * SECONDS_PER_DAY
CONSUMER = "svc.get_balance"


def _message(tag: str = "") -> WalletFailed:
    return WalletFailed(
        correlation_id=UUID(int=1),
        user=Actor(telegram_id=1, username=tag or secrets.token_hex(4)),
        chat_id=1,
        code=ErrorCode.INTERNAL,
        command="wallet.get_balance",
    )


async def _handle(pool: asyncpg.Pool[Any], message: WalletFailed) -> None:
    """A handler shaped like every use case: claim, effect, reply, one commit."""
    async with PgUnitOfWork(pool, CONSUMER, on_commit=lambda: None) as uow:
        if not await uow.claim(message):
            return
        await uow.conn.execute("INSERT INTO effects (event_id) VALUES ($1)", message.event_id)
        await uow.reply(_message("reply"))
        await uow.commit()


async def _age_claim(pool: asyncpg.Pool[Any], event_id: UUID, seconds: float) -> None:
    await pool.execute(
        "UPDATE inbox SET processed_at = now() - make_interval(secs => $2) WHERE event_id = $1",
        event_id,
        seconds,
    )


async def test_redelivery_inside_the_window_changes_nothing_and_older_claims_are_pruned(
    pool: asyncpg.Pool[Any],
) -> None:
    await pool.execute("CREATE TABLE effects (event_id uuid NOT NULL)")
    message = _message()
    pruner = Pruner(pool, runtime_rules(RETENTION_S))
    await _handle(pool, message)

    await _age_claim(pool, message.event_id, RETENTION_S - 3600)
    assert (await pruner.prune_all())["inbox"] == 0
    await _handle(pool, message)  # the redelivery, a day short of the retention
    assert await pool.fetchval("SELECT count(*) FROM effects") == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 1, "no second reply"

    await _age_claim(pool, message.event_id, RETENTION_S + 3600)
    assert (await pruner.prune_all())["inbox"] == 1
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0


async def test_published_rows_past_the_window_are_pruned_and_unpublished_ones_kept(
    pool: asyncpg.Pool[Any],
) -> None:
    old, recent, unpublished = _message(), _message(), _message()
    async with pool.acquire() as conn:
        for message in (old, recent, unpublished):
            await add_to_outbox(conn, REPLIES.name, message)
    ages = {old.event_id: RETENTION_S + 60, recent.event_id: RETENTION_S - 60}
    for event_id, age_s in ages.items():
        await pool.execute(
            "UPDATE outbox SET created_at = now() - make_interval(secs => $2), "
            "published_at = now() - make_interval(secs => $2) WHERE message_id = $1",
            event_id,
            age_s,
        )
    await pool.execute(
        "UPDATE outbox SET created_at = now() - interval '10 years' WHERE message_id = $1",
        unpublished.event_id,
    )
    before = REGISTRY.get_sample_value("xrpbot_retention_pruned_total", {"table": "outbox"}) or 0

    counts = await Pruner(pool, runtime_rules(RETENTION_S)).prune_all()

    assert counts == {"inbox": 0, "outbox": 1}
    left = {r["message_id"] for r in await pool.fetch("SELECT message_id FROM outbox")}
    assert left == {recent.event_id, unpublished.event_id}
    after = REGISTRY.get_sample_value("xrpbot_retention_pruned_total", {"table": "outbox"})
    assert after == before + 1


async def test_a_backlog_is_pruned_in_bounded_batches(pool: asyncpg.Pool[Any]) -> None:
    await pool.execute(
        "INSERT INTO inbox (consumer, event_id, processed_at) "
        "SELECT 'c', gen_random_uuid(), now() - interval '30 days' FROM generate_series(1, 2500)"
    )
    await pool.execute("INSERT INTO inbox (consumer, event_id) VALUES ('c', gen_random_uuid())")
    rule = runtime_rules(RETENTION_S)[0]
    calls: list[int] = []

    class Counting:
        async def fetchval(self, query: str, *args: Any) -> Any:
            deleted = await pool.fetchval(query, *args)
            calls.append(deleted)
            return deleted

    assert await prune(Counting(), rule, batch_rows=1000) == 2500
    assert calls == [1000, 1000, 500]
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 1, "the fresh claim stays"


async def test_rows_locked_elsewhere_are_skipped_then_pruned(pool: asyncpg.Pool[Any]) -> None:
    held, free = _message(), _message()
    async with pool.acquire() as conn:
        for message in (held, free):
            await claim_inbox(conn, CONSUMER, message)
    await pool.execute("UPDATE inbox SET processed_at = now() - interval '30 days'")
    rule = runtime_rules(RETENTION_S)[0]
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT 1 FROM inbox WHERE event_id = $1 FOR UPDATE", held.event_id)
        async with asyncio.timeout(5):  # SKIP LOCKED: the pruner never waits for the lock
            assert await prune(pool, rule) == 1
    assert await prune(pool, rule) == 1
    assert await pool.fetchval("SELECT count(*) FROM inbox") == 0


async def test_a_service_rule_prunes_only_what_its_condition_selects(
    pool: asyncpg.Pool[Any],
) -> None:
    await pool.execute(
        "CREATE TABLE requests (id int PRIMARY KEY, state text NOT NULL, created_at timestamptz)"
    )
    await pool.execute(
        "INSERT INTO requests VALUES (1, 'refused', now() - interval '8 days'), "
        "(2, 'refused', now() - interval '6 days'), (3, 'quoted', now() - interval '8 days'), "
        "(4, 'refused', NULL)"
    )
    rule = RetentionRule("requests", "created_at", RETENTION_S, where="state = 'refused'")
    assert await prune(pool, rule) == 1
    assert {r["id"] for r in await pool.fetch("SELECT id FROM requests")} == {2, 3, 4}


async def test_the_pruner_runs_at_start_in_the_background(pool: asyncpg.Pool[Any]) -> None:
    message = _message()
    async with pool.acquire() as conn:
        await claim_inbox(conn, CONSUMER, message)
    await _age_claim(pool, message.event_id, RETENTION_S + 60)
    pruner = Pruner(pool, runtime_rules(RETENTION_S), every_s=3600)
    pruner.start()
    try:
        async with asyncio.timeout(10):  # the first round runs at once, not after every_s
            while await pool.fetchval("SELECT count(*) FROM inbox"):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        await pruner.stop()


async def test_the_retention_indexes_are_built_and_valid(pool: asyncpg.Pool[Any]) -> None:
    rows = await pool.fetch(
        "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'svc' AND c.relname IN ('inbox_processed_at', 'outbox_published_at')"
    )
    assert {(r["relname"], r["indisvalid"]) for r in rows} == {
        ("inbox_processed_at", True),
        ("outbox_published_at", True),
    }
