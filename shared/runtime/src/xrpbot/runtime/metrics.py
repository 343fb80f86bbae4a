"""Prometheus metrics shared by every service (one registry per process)."""

from prometheus_client import Counter, Gauge, Histogram

__all__ = ["HANDLER_SECONDS", "MESSAGES", "OUTBOX_PENDING", "OUTBOX_PUBLISHED"]

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
