"""Prometheus metrics shared by every service (one registry per process, served on /metrics).

Every service exports, from the runtime itself:

| metric | type | labels | what |
| --- | --- | --- | --- |
| `xrpbot_messages_total` | counter | queue, outcome | messages consumed: ok, retried, failed, duplicate |
| `xrpbot_handler_seconds` | histogram | queue | time spent handling one message |
| `xrpbot_outbox_published_total` | counter | | outbox rows published |
| `xrpbot_outbox_pending` | gauge | | outbox rows not yet published |
| `xrpbot_dead_letter_messages` | gauge | queue | messages waiting in the service's dead-letter queue |

Domain metrics are registered the first time a service records one, so they appear only on the
`/metrics` of the service that emits them (a ledger lag of 0 on the pricing service would be a
lie). Record them **through the functions below**, not through the metric objects:

| function | metric(s) | emitted by |
| --- | --- | --- |
| `record_transfer_outcome(outcome)` | `xrpbot_transfer_outcomes_total{outcome}` | transfer |
| `record_ledger_progress(validated_index=, processed_index=, close_time=)` | `xrpbot_ledger_validated_index`, `xrpbot_ledger_processed_index`, `xrpbot_ledger_lag_ledgers`, `xrpbot_ledger_lag_seconds` | transfer (ledger watcher) |
"""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import TypeVar

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.registry import Collector

__all__ = [
    "DEAD_LETTER_MESSAGES",
    "HANDLER_SECONDS",
    "LEDGER_LAG_LEDGERS",
    "LEDGER_LAG_SECONDS",
    "LEDGER_PROCESSED_INDEX",
    "LEDGER_VALIDATED_INDEX",
    "MESSAGES",
    "OUTBOX_PENDING",
    "OUTBOX_PUBLISHED",
    "TRANSFER_OUTCOMES",
    "record_ledger_progress",
    "record_transfer_outcome",
]

# ---- every service (registered at import) -------------------------------------------------

MESSAGES = Counter(
    "xrpbot_messages_total",
    "Messages consumed, by queue and outcome (ok, retried, failed, duplicate).",
    ["queue", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "xrpbot_handler_seconds",
    "Time spent handling one message, by queue.",
    ["queue"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_PUBLISHED = Counter("xrpbot_outbox_published_total", "Outbox messages published.")
OUTBOX_PENDING = Gauge("xrpbot_outbox_pending", "Outbox messages not yet published.")
DEAD_LETTER_MESSAGES = Gauge(
    "xrpbot_dead_letter_messages",
    "Messages waiting in the service's dead-letter queue (sampled every 15 s).",
    ["queue"],
)

# ---- domain metrics (registered on first use, see the module docstring) ----------------------

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


def record_transfer_outcome(outcome: str) -> None:
    """Count one transfer reaching its final state.

    Args:
        outcome: a stable, low-cardinality word: `validated` (tesSUCCESS in a validated
            ledger), `failed` (a tec/tef result in a validated ledger), `expired`
            (LastLedgerSequence passed without it), `rejected` (refused before submission).
            Never an address, an amount or a user id.
    """
    _registered_once(TRANSFER_OUTCOMES).labels(outcome).inc()


def record_ledger_progress(
    *, validated_index: int, processed_index: int, close_time: datetime | None = None
) -> None:
    """Report the payment watcher's progress after each ledger it finished.

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
