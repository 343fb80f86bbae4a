"""Tracing: off by default; when on, one trace runs from the webhook through the outbox and
RabbitMQ headers to the consumer of the next service."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faststream.rabbit import RabbitQueue, TestRabbitBroker
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from xrpbot.runtime import tracing
from xrpbot.runtime.broker import create_broker
from xrpbot.runtime.outbox import add_to_outbox
from xrpbot.runtime.service import Service
from xrpbot.runtime.settings import ServiceSettings
from xrpbot.runtime.topology import REPLIES
from xrpbot.schemas import Actor, ErrorCode, WalletFailed

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, False),
        ({"OTEL_TRACES_EXPORTER": "none"}, False),
        ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
        ({"OTEL_TRACES_EXPORTER": "console"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel-collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_tracing_is_off_unless_configured(env: dict[str, str], expected: bool) -> None:
    assert tracing.tracing_enabled(env) is expected


def test_off_by_default_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setitem(tracing._state, "enabled", False)
    assert tracing.setup_tracing("wallet") is False
    assert tracing.telemetry_middlewares() == []
    assert tracing.current_trace_headers() == {}


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    enabled = tracing._state["enabled"]
    assert tracing.setup_tracing("test", exporter=exporter)
    try:
        yield exporter
    finally:
        tracing._state["enabled"] = enabled  # other tests build brokers without tracing
        exporter.shutdown()


class _Conn:
    """Records what add_to_outbox writes."""

    def __init__(self) -> None:
        self.args: tuple[Any, ...] = ()

    async def execute(self, sql: str, *args: Any) -> None:
        self.args = args


def _reply() -> WalletFailed:
    return WalletFailed(
        correlation_id="00000000-0000-0000-0000-000000000001",  # type: ignore[arg-type]
        user=Actor(telegram_id=1, username="u"),
        chat_id=1,
        code=ErrorCode.INTERNAL,
        command="wallet.get_balance",
    )


async def test_one_trace_from_webhook_through_outbox_and_rabbitmq(
    spans: InMemorySpanExporter, tmp_path: Path
) -> None:
    settings = ServiceSettings(http_port=1)
    conn = _Conn()

    async def webhook(scope: Any, receive: Any, send: Any) -> None:
        await add_to_outbox(conn, REPLIES.name, _reply())  # type: ignore[arg-type]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    service = Service(
        "svc", settings, create_broker(settings), tmp_path, routes={"/telegram/webhook": webhook}
    )
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/telegram/webhook",
        "headers": [(b"traceparent", TRACEPARENT.encode())],
    }
    await service(scope, receive, send)
    assert sent[0]["status"] == 200
    stored = json.loads(conn.args[-1])
    assert stored["traceparent"].split("-")[1] == TRACE_ID  # the caller's trace continues

    # the relay publishes the row under its stored context; the next service consumes it
    broker = create_broker(settings)
    seen: list[int] = []

    @broker.subscriber(RabbitQueue("test.traced", routing_key="wallet.failed"), REPLIES)
    async def handler(body: dict[str, Any]) -> None:
        seen.append(trace.get_current_span().get_span_context().trace_id)

    async with TestRabbitBroker(broker) as br:
        with tracing.use_trace_headers(stored):
            await br.publish(b"{}", exchange=REPLIES, routing_key="wallet.failed")
    assert [format(t, "032x") for t in seen] == [TRACE_ID]
    names = [s.name for s in spans.get_finished_spans()]
    assert "POST /telegram/webhook" in names
    assert any(n.endswith(" process") for n in names), names
    assert {format(s.context.trace_id, "032x") for s in spans.get_finished_spans()} == {TRACE_ID}


async def test_probes_are_not_traced(spans: InMemorySpanExporter, tmp_path: Path) -> None:
    settings = ServiceSettings(http_port=1)
    service = Service("svc", settings, create_broker(settings), tmp_path)

    async def send(message: dict[str, Any]) -> None:
        pass

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    for path in ("/healthz", "/metrics"):
        await service({"type": "http", "method": "GET", "path": path}, receive, send)
    assert spans.get_finished_spans() == ()
