"""Fixtures of the runtime's integration tests: a database of their own with the runtime's
migrations applied (schema `svc`)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest_asyncio

from xrpbot.runtime.db import create_pool
from xrpbot.runtime.migrations import Migrations


@pytest_asyncio.fixture
async def pool(servers: dict[str, str], tmp_path: Path) -> AsyncIterator[asyncpg.Pool[Any]]:
    """A pool on a new database (dropped afterwards) whose schema `svc` is at head."""
    name = f"xrpbot_rt_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(servers["postgres"])
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(servers["postgres"])._replace(path=f"/{name}"))
    (tmp_path / "0001_x.sql").write_text("-- depends: 0000_runtime_inbox_outbox\nSELECT 1;\n")
    migrations = Migrations(url, "svc", tmp_path)
    await asyncio.to_thread(migrations.apply)
    p = await create_pool(url, schema="svc", application_name="test")
    assert await migrations.at_head(p)
    try:
        yield p
    finally:
        await p.close()
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
