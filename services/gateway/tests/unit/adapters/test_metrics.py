"""The gateway's own metrics: outbound Bot API requests and Telegram's 429 answers."""

from __future__ import annotations

from prometheus_client import REGISTRY

from xrpbot.gateway.adapters import metrics


def _sample(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def test_telegram_rate_and_429s() -> None:
    labels = {"method": "sendMessage", "outcome": "rate_limited"}
    before = _sample("xrpbot_telegram_requests_total", labels)
    limited = _sample("xrpbot_telegram_rate_limited_total", {"method": "sendMessage"})
    retry_afters = _sample("xrpbot_telegram_retry_after_seconds_count")
    durations = _sample("xrpbot_telegram_request_seconds_count", {"method": "sendMessage"})
    metrics.record_telegram_request("sendMessage", "ok", 0.05)
    metrics.record_telegram_request("sendMessage", "rate_limited", 0.01)
    metrics.record_telegram_rate_limited("sendMessage", 3)
    assert _sample("xrpbot_telegram_requests_total", labels) == before + 1
    assert _sample("xrpbot_telegram_rate_limited_total", {"method": "sendMessage"}) == limited + 1
    assert _sample("xrpbot_telegram_retry_after_seconds_count") == retry_afters + 1
    assert (
        _sample("xrpbot_telegram_request_seconds_count", {"method": "sendMessage"})
        == durations + 2
    )


def test_waits_and_deactivated_chats() -> None:
    waits = _sample("xrpbot_gateway_send_wait_seconds_count")
    deactivated = _sample("xrpbot_gateway_chats_deactivated_total")
    metrics.record_send_wait(0.25)
    metrics.record_chat_deactivated()
    assert _sample("xrpbot_gateway_send_wait_seconds_count") == waits + 1
    assert _sample("xrpbot_gateway_chats_deactivated_total") == deactivated + 1
