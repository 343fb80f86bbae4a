"""Retention rules and the batching loop, without a database."""

from __future__ import annotations

from typing import Any

import pytest

from xrpbot.runtime.retention import Pruner, RetentionRule, prune, runtime_rules


class FakeDatabase:
    """Answers each DELETE with the next count of `deleted`; a table in `failing` raises."""

    def __init__(self, deleted: list[int], failing: frozenset[str] = frozenset()) -> None:
        self.deleted = deleted
        self.failing = failing
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    async def fetchval(self, query: str, *args: Any) -> Any:
        self.calls.append((query, args))
        if any(query.startswith(f"WITH d AS (DELETE FROM {t} ") for t in self.failing):  # noqa: S608
            raise ConnectionError("gone")
        return self.deleted.pop(0) if self.deleted else 0


def test_runtime_rules_age_the_inbox_by_processing_and_the_outbox_by_publishing() -> None:
    inbox, outbox = runtime_rules(60.0)
    assert (inbox.table, inbox.column, inbox.keep_s) == ("inbox", "processed_at", 60.0)
    assert (outbox.table, outbox.column, outbox.keep_s) == ("outbox", "published_at", 60.0)


def test_delete_is_bounded_skips_locked_rows_and_uses_the_database_clock() -> None:
    sql = RetentionRule("transfers", "created_at", 1.0, where="state = 'refused'").delete_sql
    assert "DELETE FROM transfers WHERE ctid = ANY(ARRAY(SELECT ctid FROM transfers " in sql
    assert "created_at < now() - make_interval(secs => $1) AND (state = 'refused')" in sql
    assert "LIMIT $2 FOR UPDATE SKIP LOCKED" in sql


@pytest.mark.parametrize(
    ("table", "column", "keep_s"),
    [
        ("inbox; DROP TABLE x", "processed_at", 1.0),
        ("inbox", "processed_at OR true", 1.0),
        ("Inbox", "processed_at", 1.0),
        ("inbox", "processed_at", 0.0),
        ("inbox", "processed_at", -5.0),
    ],
)
def test_a_rule_refuses_odd_names_and_non_positive_ages(
    table: str, column: str, keep_s: float
) -> None:
    with pytest.raises(ValueError, match=r"identifier|positive"):
        RetentionRule(table, column, keep_s)


async def test_prune_repeats_full_batches_and_stops_at_a_short_one() -> None:
    db = FakeDatabase([1000, 1000, 3])
    rule = RetentionRule("inbox", "processed_at", 86400.0)
    assert await prune(db, rule, batch_rows=1000) == 2003
    assert [args for _, args in db.calls] == [(86400.0, 1000)] * 3


async def test_prune_of_nothing_is_one_statement() -> None:
    db = FakeDatabase([0])
    assert await prune(db, RetentionRule("inbox", "processed_at", 1.0)) == 0
    assert len(db.calls) == 1


async def test_a_failing_rule_does_not_stop_the_others() -> None:
    db = FakeDatabase([2], failing=frozenset({"inbox"}))
    counts = await Pruner(db, runtime_rules(60.0)).prune_all()
    assert counts == {"outbox": 2}
