"""The metrics every service exports."""

from __future__ import annotations

from prometheus_client import REGISTRY, generate_latest


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
