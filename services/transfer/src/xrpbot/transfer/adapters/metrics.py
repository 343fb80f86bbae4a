"""Transfer's Prometheus metrics: final outcomes of transfers and the ledger watcher's progress.

| metric | type | labels | what |
| --- | --- | --- | --- |
| `xrpbot_transfer_outcomes_total` | counter | outcome | confirmed transfers reaching a final state |
| `xrpbot_ledger_validated_index` | gauge | | newest validated ledger the network reported |
| `xrpbot_ledger_processed_index` | gauge | | newest ledger the watcher finished (its cursor) |
| `xrpbot_ledger_lag_ledgers` | gauge | | validated - processed (never negative) |
| `xrpbot_ledger_lag_seconds` | gauge | | now - close time of the processed ledger |

They are registered in the default registry the first time one is recorded, so they appear on
transfer's `/metrics` only (a ledger lag of 0 on another service would be a lie). The metrics
every service exports live in `xrpbot.runtime.metrics`.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import TypeVar

from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.registry import Collector

from ..domain.transfer import TransferState

__all__ = [
    "LEDGER_LAG_LEDGERS",
    "LEDGER_LAG_SECONDS",
    "LEDGER_PROCESSED_INDEX",
    "LEDGER_VALIDATED_INDEX",
    "TRANSFER_OUTCOMES",
    "PrometheusTransferMetrics",
]

TRANSFER_OUTCOMES = Counter(
    "xrpbot_transfer_outcomes_total",
    "Final outcomes of confirmed transfers, decided from a validated ledger "
    "(validated, failed, expired, rejected).",
    ["outcome"],
    registry=None,
)
LEDGER_VALIDATED_INDEX = Gauge(
    "xrpbot_ledger_validated_index",
    "Index of the newest validated ledger the network reported.",
    registry=None,
)
LEDGER_PROCESSED_INDEX = Gauge(
    "xrpbot_ledger_processed_index",
    "Index of the newest validated ledger the payment watcher finished (its persisted cursor).",
    registry=None,
)
LEDGER_LAG_LEDGERS = Gauge(
    "xrpbot_ledger_lag_ledgers",
    "Validated ledgers the payment watcher has not processed yet (validated - processed).",
    registry=None,
)
LEDGER_LAG_SECONDS = Gauge(
    "xrpbot_ledger_lag_seconds",
    "Seconds between now and the close time of the newest ledger the watcher processed.",
    registry=None,
)

_lock = threading.Lock()
_registered: set[int] = set()
C = TypeVar("C", bound=Collector)


def _registered_once(metric: C) -> C:
    """Register `metric` in the default registry the first time it is used."""
    if id(metric) not in _registered:
        with _lock:
            if id(metric) not in _registered:
                REGISTRY.register(metric)
                _registered.add(id(metric))
    return metric


class PrometheusTransferMetrics:
    """`ports.TransferMetrics` on the process's default Prometheus registry."""

    def transfer_finished(self, state: TransferState) -> None:
        """Count one transfer reaching its final state.

        Args:
            state: validated (tesSUCCESS in a validated ledger), failed (refused before
                sending, malformed, or a tec result in a validated ledger) or expired
                (LastLedgerSequence passed without it); the label is its value. Never an
                address, an amount or a user id.
        """
        _registered_once(TRANSFER_OUTCOMES).labels(state.value).inc()

    def ledger_progress(
        self, *, validated_index: int, processed_index: int, close_time: datetime | None = None
    ) -> None:
        """Report the payment watcher's progress after a pass.

        Args:
            validated_index: the newest validated ledger index the server reported.
            processed_index: the ledger index the watcher has finished (its persisted cursor).
            close_time: close time (tz-aware) of `processed_index`, for the lag in seconds.
        """
        _registered_once(LEDGER_VALIDATED_INDEX).set(validated_index)
        _registered_once(LEDGER_PROCESSED_INDEX).set(processed_index)
        _registered_once(LEDGER_LAG_LEDGERS).set(max(validated_index - processed_index, 0))
        if close_time is not None:
            lag = max(time.time() - close_time.timestamp(), 0.0)
            _registered_once(LEDGER_LAG_SECONDS).set(lag)
