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
| `record_telegram_request(method, outcome, seconds=)` | `xrpbot_telegram_requests_total{method,outcome}`, `xrpbot_telegram_request_seconds{method}` | gateway (outbound Bot API calls) |
| `record_telegram_rate_limited(method, retry_after)` | `xrpbot_telegram_rate_limited_total{method}`, `xrpbot_telegram_retry_after_seconds` | gateway (each 429 answer) |
"""

from __future__ import annotations

import threading
from typing import TypeVar

from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.registry import Collector

__all__ = [
    "DEAD_LETTER_MESSAGES",
    "HANDLER_SECONDS",
    "MESSAGES",
    "OUTBOX_PENDING",
    "OUTBOX_PUBLISHED",
    "TELEGRAM_RATE_LIMITED",
    "TELEGRAM_REQUESTS",
    "TELEGRAM_REQUEST_SECONDS",
    "TELEGRAM_RETRY_AFTER_SECONDS",
    "record_telegram_rate_limited",
    "record_telegram_request",
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

TELEGRAM_REQUESTS = Counter(
    "xrpbot_telegram_requests_total",
    "Outbound Telegram Bot API requests, by method and outcome "
    "(ok, rate_limited, client_error, server_error, network_error).",
    ["method", "outcome"],
    registry=None,
)
TELEGRAM_REQUEST_SECONDS = Histogram(
    "xrpbot_telegram_request_seconds",
    "Duration of outbound Telegram Bot API requests, by method.",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=None,
)
TELEGRAM_RATE_LIMITED = Counter(
    "xrpbot_telegram_rate_limited_total",
    "Telegram answers 429 Too Many Requests, by method.",
    ["method"],
    registry=None,
)
TELEGRAM_RETRY_AFTER_SECONDS = Histogram(
    "xrpbot_telegram_retry_after_seconds",
    "retry_after Telegram asked for in its 429 answers.",
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300),
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


def record_telegram_request(method: str, outcome: str, seconds: float | None = None) -> None:
    """Count one outbound Bot API request (call it once per HTTP request, retries included).

    Args:
        method: the Bot API method (`sendMessage`, `editMessageText`, ...).
        outcome: `ok`, `rate_limited` (429), `client_error` (other 4xx), `server_error`
            (5xx) or `network_error`.
        seconds: how long the request took.
    """
    _registered_once(TELEGRAM_REQUESTS).labels(method, outcome).inc()
    if seconds is not None:
        _registered_once(TELEGRAM_REQUEST_SECONDS).labels(method).observe(seconds)


def record_telegram_rate_limited(method: str, retry_after: float) -> None:
    """Count one 429 answer from Telegram and the `retry_after` it asked for.

    Args:
        method: the Bot API method that was limited.
        retry_after: seconds Telegram asked to wait.
    """
    _registered_once(TELEGRAM_RATE_LIMITED).labels(method).inc()
    _registered_once(TELEGRAM_RETRY_AFTER_SECONDS).observe(retry_after)
