"""The migration that brings in `telegram_users` keeps what transfer knew: each user's name
from their newest account, and of two users with one name the one whose account opened last."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from xrpbot.runtime.migrations import Migrations

from .conftest import MIGRATIONS

pytestmark = pytest.mark.integration

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def test_usernames_known_before_are_kept_one_holder_each(
    servers: dict[str, str], tmp_path: Path
) -> None:
    name = f"xrpbot_transfer_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(
        urlunsplit(urlsplit(servers["postgres"])._replace(path="/postgres"))
    )
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(servers["postgres"])._replace(path=f"/{name}"))
    try:
        before = tmp_path / "before"
        before.mkdir()
        for sql in sorted(MIGRATIONS.glob("*.sql")):
            if sql.name < "0004":
                shutil.copy(sql, before / sql.name)
        await asyncio.to_thread(Migrations(url, "transfer", before).apply)
        conn = await asyncpg.connect(url, server_settings={"search_path": "transfer"})
        try:
            await conn.executemany(
                "INSERT INTO custodial_accounts (address, telegram_id, username, opened_at) "
                "VALUES ($1, $2, $3, $4)",
                [
                    ("rOld1", 1, "alice_old", T0),  # alice's first account
                    ("rNew1", 1, "alice", T0 + timedelta(days=1)),  # and her newest
                    ("rBob2", 2, "Bob", T0),
                    ("rBob3", 3, "bob", T0 + timedelta(days=2)),  # took "bob" later
                    ("rNone4", 4, None, T0),
                ],
            )
            await asyncio.to_thread(Migrations(url, "transfer", MIGRATIONS).apply)
            rows = await conn.fetch(
                "SELECT telegram_id, username, username_seen_at FROM telegram_users "
                "ORDER BY telegram_id"
            )
        finally:
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
    assert [tuple(r) for r in rows] == [
        (1, "alice", T0 + timedelta(days=1)),
        (3, "bob", T0 + timedelta(days=2)),
    ]
