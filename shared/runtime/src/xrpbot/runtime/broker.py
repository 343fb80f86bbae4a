"""The RabbitMQ broker every service builds: reconnecting, with publisher confirms and our middleware."""

from __future__ import annotations

import logging

from faststream.rabbit import Channel, RabbitBroker

from .db import TRANSIENT_DB_ERRORS
from .middleware import consume_middleware
from .settings import ServiceSettings
from .tracing import telemetry_middlewares

__all__ = ["create_broker"]


def create_broker(
    settings: ServiceSettings, transient: tuple[type[BaseException], ...] = ()
) -> RabbitBroker:
    """A RabbitBroker that keeps reconnecting (never fails fast), with publisher confirms.

    Args:
        settings: RABBITMQ_URL and PREFETCH_COUNT come from here.
        transient: extra exception types a handler may raise that mean "try again later"
            (database errors are always included).
    """
    return RabbitBroker(
        settings.rabbitmq_url,
        fail_fast=False,  # start while RabbitMQ is down; readiness reports it
        reconnect_interval=2.0,
        graceful_timeout=15.0,
        default_channel=Channel(prefetch_count=settings.prefetch_count),
        # tracing (when on) first: its consume span covers the other middleware and the handler
        middlewares=[
            *telemetry_middlewares(),
            consume_middleware((*TRANSIENT_DB_ERRORS, *transient)),
        ],
        logger=logging.getLogger("xrpbot.bus"),
    )
