"""The gateway's Prometheus metrics (served on its /metrics beside the runtime's).

| function | metric(s) |
| --- | --- |
| `record_telegram_request(method, outcome, seconds=)` | `xrpbot_telegram_requests_total{method,outcome}`, `xrpbot_telegram_request_seconds{method}` (outbound Bot API calls) |
| `record_telegram_rate_limited(method, retry_after)` | `xrpbot_telegram_rate_limited_total{method}`, `xrpbot_telegram_retry_after_seconds` (each 429 answer) |
| `record_send_wait(seconds)` | `xrpbot_gateway_send_wait_seconds` (a message's wait for its slot, `limiter`) |
| `record_outgoing(outcome)` | `xrpbot_gateway_outgoing_total{outcome}` (queued messages shown: sent, edited, dropped, retry, error) |
| `record_chat_deactivated()` | `xrpbot_gateway_chats_deactivated_total` (a chat marked inactive) |
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

__all__ = [
    "CHATS_DEACTIVATED",
    "OUTGOING",
    "SEND_WAIT_SECONDS",
    "TELEGRAM_RATE_LIMITED",
    "TELEGRAM_REQUESTS",
    "TELEGRAM_REQUEST_SECONDS",
    "TELEGRAM_RETRY_AFTER_SECONDS",
    "record_chat_deactivated",
    "record_outgoing",
    "record_send_wait",
    "record_telegram_rate_limited",
    "record_telegram_request",
]

OUTGOING = Counter(
    "xrpbot_gateway_outgoing_total",
    "Queued bot messages the outgoing sender handled, by outcome "
    "(sent, edited, dropped, retry, error).",
    ["outcome"],
)
TELEGRAM_REQUESTS = Counter(
    "xrpbot_telegram_requests_total",
    "Outbound Telegram Bot API requests, by method and outcome "
    "(ok, rate_limited, client_error, server_error, network_error).",
    ["method", "outcome"],
)
TELEGRAM_REQUEST_SECONDS = Histogram(
    "xrpbot_telegram_request_seconds",
    "Duration of outbound Telegram Bot API requests, by method.",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TELEGRAM_RATE_LIMITED = Counter(
    "xrpbot_telegram_rate_limited_total",
    "Telegram answers 429 Too Many Requests, by method.",
    ["method"],
)
TELEGRAM_RETRY_AFTER_SECONDS = Histogram(
    "xrpbot_telegram_retry_after_seconds",
    "retry_after Telegram asked for in its 429 answers.",
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300),
)
SEND_WAIT_SECONDS = Histogram(
    "xrpbot_gateway_send_wait_seconds",
    "Time a Telegram message waited for a slot within Telegram's limits (limiter).",
    buckets=(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
)
CHATS_DEACTIVATED = Counter(
    "xrpbot_gateway_chats_deactivated_total",
    "Chats marked inactive after Telegram answered 403 (bot blocked, user deactivated).",
)


def record_telegram_request(method: str, outcome: str, seconds: float | None = None) -> None:
    """Count one outbound Bot API request (call it once per HTTP request, retries included).

    Args:
        method: the Bot API method (`sendMessage`, `editMessageText`, ...).
        outcome: `ok`, `rate_limited` (429), `client_error` (other 4xx), `server_error`
            (5xx) or `network_error`.
        seconds: how long the request took.
    """
    TELEGRAM_REQUESTS.labels(method, outcome).inc()
    if seconds is not None:
        TELEGRAM_REQUEST_SECONDS.labels(method).observe(seconds)


def record_telegram_rate_limited(method: str, retry_after: float) -> None:
    """Count one 429 answer from Telegram and the `retry_after` it asked for.

    Args:
        method: the Bot API method that was limited.
        retry_after: seconds Telegram asked to wait.
    """
    TELEGRAM_RATE_LIMITED.labels(method).inc()
    TELEGRAM_RETRY_AFTER_SECONDS.observe(retry_after)


def record_send_wait(seconds: float) -> None:
    """Observe how long one message waited for its slot within Telegram's limits."""
    SEND_WAIT_SECONDS.observe(seconds)


def record_chat_deactivated() -> None:
    """Count one chat marked inactive (the bot was blocked, or the chat is gone)."""
    CHATS_DEACTIVATED.inc()


def record_outgoing(outcome: str) -> None:
    """Count one queued message the outgoing sender handled (`use_cases.outgoing`)."""
    OUTGOING.labels(outcome).inc()
