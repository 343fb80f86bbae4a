"""Schema migrations with yoyo-migrations: plain SQL files, one Postgres schema per service.

The runtime's own migrations (inbox and outbox tables, their retention indexes) come first,
then the service's `migrations/` folder. yoyo takes a lock, so replicas starting together apply each file once.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import psycopg
from yoyo import get_backend, read_migrations

__all__ = ["Migrations"]

log = logging.getLogger(__name__)
_RUNTIME_MIGRATIONS = Path(str(resources.files("xrpbot.runtime") / "sql"))


class Migrations:
    """The migrations of one service.

    Args:
        database_url: postgresql:// URL of the shared database.
        schema: the service's schema; created if missing, and yoyo's own tables live in it.
        directory: the service's folder of `NNNN_name.sql` files.
    """

    def __init__(self, database_url: str, schema: str, directory: Path) -> None:
        self.database_url = database_url
        self.schema = schema
        self.directories = [_RUNTIME_MIGRATIONS, directory]

    def _yoyo_url(self) -> str:
        parts = urlsplit(self.database_url)
        query = f"{parts.query}&schema={self.schema}" if parts.query else f"schema={self.schema}"
        return urlunsplit(parts._replace(scheme="postgresql+psycopg", query=query))

    def _migrations(self) -> Any:
        return read_migrations(*(str(d) for d in self.directories))

    @property
    def expected_ids(self) -> set[str]:
        """Ids (file names without .sql) of every migration that should be applied."""
        return {m.id for m in self._migrations()}

    def apply(self) -> list[str]:
        """Create the schema if needed and apply every pending migration (blocking).

        Returns:
            ids of the migrations applied now.
        Raises:
            psycopg.OperationalError: Postgres cannot be reached.
        """
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            # a service's own role owns its schema but may not create schemas (least privilege),
            # and Postgres checks that right even for CREATE SCHEMA IF NOT EXISTS
            exists = conn.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)
            ).fetchone()
            if exists is None:
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
        backend = get_backend(self._yoyo_url())
        try:
            migrations = self._migrations()
            with backend.lock():
                pending = backend.to_apply(migrations)
                backend.apply_migrations(pending)
            applied = [m.id for m in pending]
        finally:
            backend.connection.close()
        if applied:
            log.info("applied migrations to schema %s: %s", self.schema, ", ".join(applied))
        return applied

    async def at_head(self, pool: asyncpg.Pool[Any]) -> bool:
        """True when every migration file is recorded as applied in the service's schema."""
        try:
            rows = await pool.fetch("SELECT migration_id FROM _yoyo_migration")
        except asyncpg.UndefinedTableError:
            return False
        return self.expected_ids <= {r["migration_id"] for r in rows}
