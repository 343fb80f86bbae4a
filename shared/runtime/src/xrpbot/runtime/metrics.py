"""Prometheus metrics shared by every service (one registry per process, served on /metrics).

Every service exports, from the runtime itself:

| metric | type | labels | what |
| --- | --- | --- | --- |
| `xrpbot_messages_total` | counter | queue, outcome | messages consumed: ok, retried, failed, duplicate |
| `xrpbot_handler_seconds` | histogram | queue | time spent handling one message |
| `xrpbot_outbox_published_total` | counter | | outbox rows published |
| `xrpbot_outbox_pending` | gauge | | outbox rows not yet published |
| `xrpbot_dead_letter_messages` | gauge | queue | messages waiting in the service's dead-letter queue |
| `xrpbot_retention_pruned_total` | counter | table | rows deleted after their retention (`retention.py`) |

Each service's own metrics live in that service (`adapters/metrics.py`), so they appear only on
the `/metrics` of the service that emits them.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

__all__ = [
    "DEAD_LETTER_MESSAGES",
    "HANDLER_SECONDS",
    "MESSAGES",
    "OUTBOX_PENDING",
    "OUTBOX_PUBLISHED",
    "RETENTION_PRUNED",
]

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
    "Messages waiting in the service's dead-letter queue (sampled every DEAD_LETTER_CHECK_SECONDS).",
    ["queue"],
)
RETENTION_PRUNED = Counter(
    "xrpbot_retention_pruned_total",
    "Rows deleted after their retention (inbox, outbox, the service's own tables), by table.",
    ["table"],
)
