"""Retention: rows that outlived their use are deleted in the background, in small batches.

Every service prunes its inbox and outbox after RETENTION_DAYS (`ServiceSettings.retention_days`,
default 7); a service adds its own tables' rules (the gateway's processed update ids and stored
webhook updates, transfer's refused requests) through `Service(retention=...)`.

- Ages are measured on Postgres' clock (`now()`), like every other timestamp in the schemas.
- A row whose age column is NULL is never old: an outbox row not yet published
  (`published_at IS NULL`) is kept whatever its age, so nothing is pruned before delivery.
- One DELETE removes at most `batch_rows` rows, chosen by `ctid` with `FOR UPDATE SKIP LOCKED`,
  each in its own short transaction: a large backlog never holds a long lock, and replicas
  pruning at the same moment skip each other's rows instead of waiting.
- The inbox must remember an event_id for longer than a message can be redelivered (a
  redelivery comes within minutes: an unacked delivery, a relay that crashed before marking its
  row published), so a redelivery inside the window still changes nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .metrics import RETENTION_PRUNED
from .worker import KickableWorker

__all__ = [
    "PRUNE_BATCH_ROWS",
    "PRUNE_EVERY_SECONDS",
    "Pruner",
    "RetentionRule",
    "prune",
    "runtime_rules",
]

log = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600.0
"""How often the rules are applied (and once at start-up)."""
PRUNE_BATCH_ROWS = 1000
"""Rows one DELETE removes at most."""

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class RetentionRule:
    """Rows of `table` whose `column` is older than `keep_s` seconds are deleted.

    Args:
        table: a table of the service's schema.
        column: a timestamptz column; a row where it is NULL is never deleted.
        keep_s: how long a row is kept after `column`, in seconds (> 0).
        where: an extra SQL condition (a constant written in code, never input), e.g.
            `"state = 'refused'"`.
    Raises:
        ValueError: a name that is not a plain lower-case identifier, or `keep_s` <= 0.
    """

    table: str
    column: str
    keep_s: float
    where: str | None = None

    def __post_init__(self) -> None:
        for name in (self.table, self.column):
            if not _IDENTIFIER.fullmatch(name):
                raise ValueError(f"not a plain identifier: {name!r}")
        if not self.keep_s > 0:
            raise ValueError(f"keep_s must be positive, got {self.keep_s}")

    @property
    def delete_sql(self) -> str:
        """One bounded DELETE: `$1` the age in seconds, `$2` the batch size; returns the count."""
        old = f"{self.column} < now() - make_interval(secs => $1)"
        if self.where:
            old = f"{old} AND ({self.where})"
        return (
            f"WITH d AS (DELETE FROM {self.table} WHERE ctid = ANY(ARRAY("  # noqa: S608  names checked in __post_init__, `where` is code
            f"SELECT ctid FROM {self.table} WHERE {old} LIMIT $2 FOR UPDATE SKIP LOCKED)) "
            "RETURNING 1) SELECT count(*) FROM d"
        )


def runtime_rules(retention_s: float) -> list[RetentionRule]:
    """The rules of the runtime's own tables: inbox claims `retention_s` after processing,
    outbox rows `retention_s` after publishing (never before)."""
    return [
        RetentionRule("inbox", "processed_at", retention_s),
        RetentionRule("outbox", "published_at", retention_s),
    ]


class Database(Protocol):
    """What pruning needs: one statement with arguments, one value back (an asyncpg pool:
    each call is its own connection checkout and transaction)."""

    async def fetchval(self, query: str, *args: Any) -> Any: ...


async def prune(db: Database, rule: RetentionRule, *, batch_rows: int = PRUNE_BATCH_ROWS) -> int:
    """Delete every row `rule` selects, at most `batch_rows` per statement, until a statement
    deletes fewer (the rest are gone, or locked by another pruner that will take them).

    Returns:
        how many rows were deleted.
    Raises:
        asyncpg errors: the database failed; what was deleted so far stays deleted.
    """
    total = 0
    while True:
        deleted = int(await db.fetchval(rule.delete_sql, float(rule.keep_s), batch_rows))
        total += deleted
        if deleted < batch_rows:
            return total
        await asyncio.sleep(0)  # let the service's other work run between batches


class Pruner(KickableWorker):
    """Applies `rules` at start-up and every `every_s` seconds; counts the rows deleted in
    `xrpbot_retention_pruned_total{table}` and logs them. A failing rule is logged and the
    others still run; it is tried again at the next round.

    Args:
        pool: the service's asyncpg pool (search_path = its schema).
        rules: the rules, applied in order.
        every_s: seconds between two rounds.
        batch_rows: rows one DELETE removes at most.
    """

    def __init__(
        self,
        pool: Database,
        rules: Sequence[RetentionRule],
        *,
        every_s: float = PRUNE_EVERY_SECONDS,
        batch_rows: int = PRUNE_BATCH_ROWS,
    ) -> None:
        super().__init__("retention", poll_seconds=every_s)
        self.pool = pool
        self.rules = list(rules)
        self.batch_rows = batch_rows

    async def step(self, kicked: bool) -> None:
        """One round over every rule."""
        await self.prune_all()

    async def prune_all(self) -> dict[str, int]:
        """Apply every rule once; returns the rows deleted by table (failed rules: absent)."""
        counts: dict[str, int] = {}
        for rule in self.rules:
            try:
                deleted = await prune(self.pool, rule, batch_rows=self.batch_rows)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("retention: pruning %s failed (%s)", rule.table, type(exc).__name__)
                continue
            counts[rule.table] = counts.get(rule.table, 0) + deleted
            if deleted:
                RETENTION_PRUNED.labels(rule.table).inc(deleted)
                log.info(
                    "retention: pruned %d rows of %s older than %.0f s",
                    deleted,
                    rule.table,
                    rule.keep_s,
                )
        return counts
