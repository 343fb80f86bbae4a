"""PgReportedUsers on a real Postgres: due on a change or after `every`, not on a repeat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
import pytest

from xrpbot.gateway.adapters.postgres.uow import GatewayUnitOfWork

pytestmark = pytest.mark.integration

DAY = timedelta(days=1)


async def _due(pool: asyncpg.Pool[Any], user: int, username: str | None, name: str) -> bool:
    async with GatewayUnitOfWork(pool, "gateway.updates", lambda: None) as uow:
        due = await uow.users.due(user, username, name, every=DAY)
        await uow.commit()
    return due


async def test_due_on_first_sight_and_changes_only(pool: asyncpg.Pool[Any]) -> None:
    assert await _due(pool, 1, "bob", "Bob")
    assert not await _due(pool, 1, "bob", "Bob")
    assert await _due(pool, 1, "Bobby", "Bob")
    assert await _due(pool, 1, None, "Bob")
    assert not await _due(pool, 1, None, "Bob")
    assert await _due(pool, 1, None, "Robert")
    assert await _due(pool, 2, None, "Robert"), "each user on their own"


async def test_due_again_once_the_last_report_is_a_day_old(pool: asyncpg.Pool[Any]) -> None:
    assert await _due(pool, 3, "carol", "Carol")
    await pool.execute(
        "UPDATE reported_users SET reported_at = now() - interval '25 hours' WHERE telegram_id = 3"
    )
    assert await _due(pool, 3, "carol", "Carol")
    assert not await _due(pool, 3, "carol", "Carol")
