"""PgTelegramUsers on a real Postgres: the migrations, the username rule, concurrent claims."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import pytest_asyncio

from xrpbot.runtime.db import create_pool
from xrpbot.runtime.migrations import Migrations
from xrpbot.wallet.adapters.postgres import WalletUnitOfWork
from xrpbot.wallet.app import MIGRATIONS
from xrpbot.wallet.domain.usernames import SeenUser

pytestmark = pytest.mark.integration

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


@pytest_asyncio.fixture
async def pool(servers: dict[str, str]) -> AsyncIterator[asyncpg.Pool[Any]]:
    """A pool on a migrated throwaway database."""
    name = f"xrpbot_wallet_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_with_path(servers["postgres"], "/postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_path(servers["postgres"], f"/{name}")
    try:
        migrations = Migrations(url, "wallet", MIGRATIONS)
        await asyncio.to_thread(migrations.apply)
        pool = await create_pool(url, schema="wallet", application_name="wallet-tests")
        try:
            assert await migrations.at_head(pool)
            yield pool
        finally:
            await pool.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _see(pool: asyncpg.Pool[Any], seen: SeenUser) -> None:
    async with WalletUnitOfWork(pool, "wallet.gateway.user_seen", lambda: None) as uow:
        await uow.users.see(seen)
        await uow.commit()


async def _holder(pool: asyncpg.Pool[Any], username: str) -> SeenUser | None:
    async with WalletUnitOfWork(pool, "wallet.resolve_user", lambda: None) as uow:
        return await uow.users.holder(username)


async def test_the_newest_claimer_takes_the_username_and_the_old_one_is_cleared(
    pool: asyncpg.Pool[Any],
) -> None:
    await _see(pool, SeenUser(1, "Bob", "Alice", T0))
    assert await _holder(pool, "bob") == SeenUser(1, "Bob", "Alice", T0)
    await _see(pool, SeenUser(2, "bob", "Carol", T0 + timedelta(days=1)))
    assert await _holder(pool, "BOB") == SeenUser(2, "bob", "Carol", T0 + timedelta(days=1))
    old = await pool.fetchrow("SELECT username FROM telegram_users WHERE telegram_id = 1")
    assert old is not None
    assert old["username"] is None
    await _see(pool, SeenUser(1, "bob", "Alice", T0))  # a late event: nothing changes
    holder = await _holder(pool, "bob")
    assert holder is not None
    assert holder.telegram_id == 2


async def test_concurrent_claims_leave_one_holder(pool: asyncpg.Pool[Any]) -> None:
    await asyncio.gather(
        *(_see(pool, SeenUser(i, "bob", f"User {i}", T0 + timedelta(seconds=i))) for i in range(8))
    )
    holders = await pool.fetch("SELECT telegram_id FROM telegram_users WHERE username = 'bob'")
    assert [r["telegram_id"] for r in holders] == [7]


async def test_the_migration_keeps_the_newest_wallet_per_username(
    servers: dict[str, str], tmp_path: Any
) -> None:
    name = f"xrpbot_wallet_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_with_path(servers["postgres"], "/postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_path(servers["postgres"], f"/{name}")
    try:
        before = tmp_path / "before"
        before.mkdir()
        for path in sorted(MIGRATIONS.glob("*.sql"))[:3]:
            (before / path.name).write_text(path.read_text())
        await asyncio.to_thread(Migrations(url, "wallet", before).apply)
        conn = await asyncpg.connect(url, server_settings={"search_path": "wallet"})
        try:
            for telegram_id, username, days in ((1, "Bob", 0), (2, "bob", 5), (3, None, 1)):
                await conn.execute(
                    "INSERT INTO wallets (telegram_id, address, public_key, encrypted_seed, "
                    "created_at, username) VALUES ($1, $2, '', '', $3, $4)",
                    telegram_id,
                    f"r{telegram_id}",
                    T0 + timedelta(days=days),
                    username,
                )
            await asyncio.to_thread(Migrations(url, "wallet", MIGRATIONS).apply)
            rows = await conn.fetch("SELECT * FROM telegram_users ORDER BY telegram_id")
        finally:
            await conn.close()
        assert [(r["telegram_id"], r["username"], r["username_seen_at"]) for r in rows] == [
            (2, "bob", T0 + timedelta(days=5))
        ]
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
