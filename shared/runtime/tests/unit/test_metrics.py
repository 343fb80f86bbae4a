"""The metrics every service exports, and the domain helpers other services call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client import REGISTRY, generate_latest

from xrpbot.runtime import metrics


def _sample(name: str, labels: dict[str, str] | None = None) -> float | None:
    return REGISTRY.get_sample_value(name, labels or {})


def test_runtime_metrics_are_always_exported() -> None:
    text = generate_latest().decode()
    for name in (
        "xrpbot_messages_total",
        "xrpbot_handler_seconds",
        "xrpbot_outbox_published_total",
        "xrpbot_outbox_pending",
        "xrpbot_dead_letter_messages",
    ):
        assert f"# HELP {name} " in text


def test_transfer_outcomes() -> None:
    before = _sample("xrpbot_transfer_outcomes_total", {"outcome": "validated"}) or 0.0
    metrics.record_transfer_outcome("validated")
    metrics.record_transfer_outcome("validated")
    assert _sample("xrpbot_transfer_outcomes_total", {"outcome": "validated"}) == before + 2


def test_ledger_progress() -> None:
    closed = datetime.now(UTC) - timedelta(seconds=8)
    metrics.record_ledger_progress(validated_index=105, processed_index=100, close_time=closed)
    assert _sample("xrpbot_ledger_lag_ledgers") == 5
    assert _sample("xrpbot_ledger_validated_index") == 105
    assert _sample("xrpbot_ledger_processed_index") == 100
    assert 7 <= (_sample("xrpbot_ledger_lag_seconds") or 0) < 60
    metrics.record_ledger_progress(validated_index=99, processed_index=100)
    assert _sample("xrpbot_ledger_lag_ledgers") == 0  # never negative
