"""OpenTelemetry tracing: off by default, configured by the standard `OTEL_*` variables.

Tracing is on when `OTEL_TRACES_EXPORTER` names an exporter (`otlp` or `console`), or when it
is unset and `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set;
`OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn it off. The OTLP exporter speaks
HTTP/protobuf (`OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`, port 4318) and reads the other
standard variables itself (headers, timeout, certificate); `OTEL_SERVICE_NAME` defaults to
`xrpbot-<service>`, `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_TRACES_SAMPLER[_ARG]` are honoured.
https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/

One trace follows an update from the webhook to the last Telegram message:
- `POST /telegram/webhook` (any non-probe route of a `Service`) opens a server span, continuing a
  W3C `traceparent` the caller sent;
- `add_to_outbox` stores the current trace context beside the message, and the outbox relay
  publishes it under that context, so FastStream's `RabbitTelemetryMiddleware` writes
  `traceparent` into the RabbitMQ headers;
- the consumer side of that middleware continues the trace in the next service, and so on.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace

__all__ = [
    "current_trace_headers",
    "http_server_span",
    "setup_tracing",
    "shutdown_tracing",
    "telemetry_middlewares",
    "tracing_enabled",
    "use_trace_headers",
]

log = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}
_state: dict[str, Any] = {"enabled": False, "provider": None}


def tracing_enabled(env: Mapping[str, str] | None = None) -> bool:
    """Whether the `OTEL_*` variables in `env` (default: the process environment) ask for traces."""
    env = os.environ if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() in _TRUE:
        return False
    exporter = env.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter != "none"
    return bool(
        env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def setup_tracing(service: str, *, exporter: Any | None = None) -> bool:
    """Install the global tracer provider when tracing is configured; returns whether it is on.

    Args:
        service: the service's name (`OTEL_SERVICE_NAME` defaults to `xrpbot-<service>`).
        exporter: a span exporter to use instead of the configured one (tests); forces tracing on.
    """
    if exporter is None and not tracing_enabled():
        return False
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )

    name = os.environ.get("OTEL_SERVICE_NAME") or f"xrpbot-{service}"
    processors: list[Any] = []
    if exporter is not None:
        processors.append(SimpleSpanProcessor(exporter))
    else:
        kinds = [
            k.strip().lower()
            for k in (os.environ.get("OTEL_TRACES_EXPORTER") or "otlp").split(",")
            if k.strip()
        ]
        for kind in kinds:
            if kind == "console":
                processors.append(BatchSpanProcessor(ConsoleSpanExporter()))
            elif kind == "otlp":
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
                    OTLPSpanExporter,
                )

                protocol = os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
                if protocol != "http/protobuf":
                    log.warning("OTEL_EXPORTER_OTLP_PROTOCOL=%s: using http/protobuf", protocol)
                processors.append(BatchSpanProcessor(OTLPSpanExporter()))
            elif kind != "none":
                log.warning("OTEL_TRACES_EXPORTER=%s is not supported (otlp, console)", kind)
    provider = _state["provider"]
    if provider is None:  # the global provider can be set once per process
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        trace.set_tracer_provider(provider)
        _state["provider"] = provider
    for processor in processors:
        provider.add_span_processor(processor)
    _state["enabled"] = True
    log.info("tracing on: service.name=%s", name)
    return True


def shutdown_tracing() -> None:
    """Flush and stop the exporters (at process exit)."""
    provider = _state["provider"]
    if provider is not None:
        provider.shutdown()


def telemetry_middlewares() -> list[Any]:
    """FastStream's OpenTelemetry middleware when tracing is on, else nothing.

    It must come first in `RabbitBroker(middlewares=[...])` so that its consume span is current
    while the other middlewares and the handler run (and their log lines carry the trace id).
    """
    if not _state["enabled"]:
        return []
    from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware

    return [RabbitTelemetryMiddleware()]


def current_trace_headers() -> dict[str, str]:
    """The current trace context as W3C headers (`traceparent`, `tracestate`), or {} when none."""
    if not trace.get_current_span().get_span_context().is_valid:
        return {}
    headers: dict[str, str] = {}
    propagate.inject(headers)
    return headers


@contextlib.contextmanager
def use_trace_headers(headers: Mapping[str, Any] | None) -> Iterator[None]:
    """Make the trace context in `headers` current for the block (nothing if there is none)."""
    if not headers:
        yield
        return
    token = otel_context.attach(propagate.extract({k: str(v) for k, v in headers.items()}))
    try:
        yield
    finally:
        otel_context.detach(token)


@contextlib.contextmanager
def http_server_span(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> Iterator[Any]:
    """A server span for one HTTP request, continuing a `traceparent` the client sent.

    Yields the span (a no-op one when tracing is off) so the caller can set the status code.
    """
    if not _state["enabled"]:
        yield trace.INVALID_SPAN
        return
    carrier = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
    parent = propagate.extract(carrier)
    tracer = trace.get_tracer("xrpbot.runtime")
    with tracer.start_as_current_span(
        f"{method} {path}",
        context=parent,
        kind=trace.SpanKind.SERVER,
        attributes={"http.request.method": method, "url.path": path},
    ) as span:
        yield span
