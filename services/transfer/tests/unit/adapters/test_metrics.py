"""Transfer's Prometheus metrics: outcomes counted by state, the watcher's lag never negative."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from prometheus_client import REGISTRY

from xrpbot.transfer.adapters.metrics import PrometheusTransferMetrics
from xrpbot.transfer.domain.transfer import TransferState


def _sample(name: str, labels: dict[str, str] | None = None) -> float | None:
    return REGISTRY.get_sample_value(name, labels or {})


def test_transfer_outcomes() -> None:
    metrics = PrometheusTransferMetrics()
    before = _sample("xrpbot_transfer_outcomes_total", {"outcome": "validated"}) or 0.0
    metrics.transfer_finished(TransferState.VALIDATED)
    metrics.transfer_finished(TransferState.VALIDATED)
    assert _sample("xrpbot_transfer_outcomes_total", {"outcome": "validated"}) == before + 2


def test_ledger_progress() -> None:
    metrics = PrometheusTransferMetrics()
    closed = datetime.now(UTC) - timedelta(seconds=8)
    metrics.ledger_progress(validated_index=105, processed_index=100, close_time=closed)
    assert _sample("xrpbot_ledger_lag_ledgers") == 5
    assert _sample("xrpbot_ledger_validated_index") == 105
    assert _sample("xrpbot_ledger_processed_index") == 100
    assert 7 <= (_sample("xrpbot_ledger_lag_seconds") or 0) < 60
    metrics.ledger_progress(validated_index=99, processed_index=100)
    assert _sample("xrpbot_ledger_lag_ledgers") == 0  # never negative
