"""Transfer's Prometheus metrics: final outcomes of transfers and the ledger watcher's progress.

| metric | type | labels | what |
| --- | --- | --- | --- |
| `xrpbot_transfer_outcomes_total` | counter | outcome | confirmed transfers reaching a final state |
| `xrpbot_ledger_validated_index` | gauge | | newest validated ledger the network reported |
| `xrpbot_ledger_processed_index` | gauge | | newest ledger the watcher finished (its cursor) |
| `xrpbot_ledger_lag_ledgers` | gauge | | validated - processed (never negative) |
| `xrpbot_ledger_lag_seconds` | gauge | | now - close time of the processed ledger |

Only transfer imports this module, so they appear on transfer's `/metrics` only (a ledger lag of 0
on another service would be a lie). The metrics every service exports live in
`xrpbot.runtime.metrics`.
"""

from __future__ import annotations

import time
from datetime import datetime

from prometheus_client import Counter, Gauge

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
)
LEDGER_VALIDATED_INDEX = Gauge(
    "xrpbot_ledger_validated_index",
    "Index of the newest validated ledger the network reported.",
)
LEDGER_PROCESSED_INDEX = Gauge(
    "xrpbot_ledger_processed_index",
    "Index of the newest validated ledger the payment watcher finished (its persisted cursor).",
)
LEDGER_LAG_LEDGERS = Gauge(
    "xrpbot_ledger_lag_ledgers",
    "Validated ledgers the payment watcher has not processed yet (validated - processed).",
)
LEDGER_LAG_SECONDS = Gauge(
    "xrpbot_ledger_lag_seconds",
    "Seconds between now and the close time of the newest ledger the watcher processed.",
)


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
        TRANSFER_OUTCOMES.labels(state.value).inc()

    def ledger_progress(
        self, *, validated_index: int, processed_index: int, close_time: datetime | None = None
    ) -> None:
        """Report the payment watcher's progress after a pass.

        Args:
            validated_index: the newest validated ledger index the server reported.
            processed_index: the ledger index the watcher has finished (its persisted cursor).
            close_time: close time (tz-aware) of `processed_index`, for the lag in seconds.
        """
        LEDGER_VALIDATED_INDEX.set(validated_index)
        LEDGER_PROCESSED_INDEX.set(processed_index)
        LEDGER_LAG_LEDGERS.set(max(validated_index - processed_index, 0))
        if close_time is not None:
            lag = max(time.time() - close_time.timestamp(), 0.0)
            LEDGER_LAG_SECONDS.set(lag)
