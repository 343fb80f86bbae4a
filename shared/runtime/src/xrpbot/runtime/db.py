"""Postgres access: a pool confined to the service's schema, and the errors worth retrying."""

from __future__ import annotations

import json
from typing import Any, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import asyncpg

__all__ = ["TRANSIENT_DB_ERRORS", "Conn", "create_pool", "ensure_database"]

Conn: TypeAlias = "asyncpg.Connection[Any] | asyncpg.pool.PoolConnectionProxy[Any]"
"""A connection, pooled or not."""

TRANSIENT_DB_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # refused / reset / timed out connections
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    TimeoutError,
)
"""Errors after which the same work may succeed once Postgres is back."""


async def _init_connection(conn: asyncpg.Connection[Any]) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(
    database_url: str, *, schema: str, application_name: str, max_size: int = 10
) -> asyncpg.Pool[Any]:
    """An asyncpg pool whose connections see only `schema` (search_path).

    It opens no connection up front (min_size=0), so a service starts while Postgres is down
    and its connections come back by themselves when Postgres does.
    """
    return await asyncpg.create_pool(
        database_url,
        min_size=0,
        max_size=max_size,
        init=_init_connection,
        command_timeout=10,
        timeout=5,
        server_settings={"search_path": schema, "application_name": application_name},
    )


async def ensure_database(database_url: str) -> None:
    """Create the database named in `database_url` if it does not exist yet.

    Raises:
        OSError, asyncpg.PostgresError: when Postgres cannot be reached.
    """
    try:
        conn = await asyncpg.connect(database_url, timeout=5)
    except asyncpg.InvalidCatalogNameError:
        parts = urlsplit(database_url)
        name = parts.path.lstrip("/")
        admin = await asyncpg.connect(urlunsplit(parts._replace(path="/postgres")), timeout=5)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        except asyncpg.DuplicateDatabaseError:
            pass  # another service created it at the same moment
        finally:
            await admin.close()
    else:
        await conn.close()
