"""Logging: one JSON object per line with the service name and the current correlation_id
(and `trace_id` / `span_id` when tracing is on and a span is current)."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

__all__ = ["correlation_id_var", "setup_logging"]

correlation_id_var: ContextVar[str | None] = ContextVar("correlation_id", default=None)
"""The correlation_id of the message being handled (set by the consumer middleware)."""


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.correlation_id = correlation_id_var.get()
        # with tracing on (xrpbot.runtime.tracing), lines written inside a span name its trace
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            record.trace_id = format(span.trace_id, "032x")
            record.span_id = format(span.span_id, "016x")
        return True


def setup_logging(service: str, level: str = "INFO", fmt: str = "json") -> None:
    """Route every logger (ours, FastStream's, uvicorn's) to stderr in one format.

    Args:
        service: name written on every line.
        level: a logging level name.
        fmt: "json" (one object per line) or "text".
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter(service))
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(service)s %(correlation_id)s",
                rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(
            logging.Formatter(
                "%(asctime)s %(levelname)-7s %(service)s [%(correlation_id)s] %(name)s: %(message)s"
            )
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream", "aiogram"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    # per-request access lines add noise without a correlation id; errors still show
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # httpx logs every request at INFO: transfer polls rippled 4 times a second; errors still show
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # aio-pika logs every reconnect attempt; its own warning per attempt is enough
    logging.getLogger("aiormq").setLevel(logging.ERROR)
