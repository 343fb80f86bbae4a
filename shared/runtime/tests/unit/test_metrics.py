"""The metrics every service exports, and the domain helpers other services call."""

from __future__ import annotations

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


def test_telegram_rate_and_429s() -> None:
    metrics.record_telegram_request("sendMessage", "ok", 0.05)
    metrics.record_telegram_request("sendMessage", "rate_limited", 0.01)
    metrics.record_telegram_rate_limited("sendMessage", 3)
    labels = {"method": "sendMessage", "outcome": "rate_limited"}
    assert (_sample("xrpbot_telegram_requests_total", labels) or 0) >= 1
    assert (_sample("xrpbot_telegram_rate_limited_total", {"method": "sendMessage"}) or 0) >= 1
    assert (_sample("xrpbot_telegram_retry_after_seconds_count") or 0) >= 1
    assert (_sample("xrpbot_telegram_request_seconds_count", {"method": "sendMessage"}) or 0) >= 1
