"""The shell every service runs in: an ASGI app with the probes, and a supervisor that starts
the database, the migrations and the broker in the background, so the process serves /healthz
at once and /readyz tells the truth while a dependency is down.

Endpoints (design.md): GET /healthz (the loop answers), GET /readyz (broker connected,
database reachable, migrations at head; 503 otherwise), GET /metrics (Prometheus).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import uvicorn
from faststream.rabbit import RabbitBroker
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .db import TRANSIENT_DB_ERRORS, create_pool, ensure_database
from .dead_letter_alerts import DeadLetterMonitor, PgWatchStore
from .migrations import Migrations
from .outbox import OutboxRelay
from .retention import Pruner, RetentionRule, runtime_rules
from .settings import ServiceSettings
from .topology import DEAD_LETTER, dead_letter_queue
from .tracing import http_server_span
from .uow import PgUnitOfWork

__all__ = ["ASGIApp", "Service"]

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Hook = Callable[["Service"], Awaitable[None]]
U = TypeVar("U", bound=PgUnitOfWork)

PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
"""Routes that get no trace span (the kubelet and Prometheus call them all the time)."""


async def _queue_size(queue: Any) -> int:
    """How many messages `queue` (an aio-pika queue) holds: redeclaring it with the same
    arguments is idempotent and answers with the count."""
    declared = await queue.declare(timeout=5)
    return int(declared.message_count)


async def send_response(
    send: Send, status: int, body: bytes, content_type: str = "application/json"
) -> None:
    """Send a complete HTTP response on an ASGI channel."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type.encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Service:
    """One xrpbot service: broker + Postgres schema + migrations + outbox relay + retention
    pruner + the watch on its dead-letter queue (`dead_letter_alerts`) + HTTP probes.

    Args:
        name: the service's name; also its Postgres schema and dead-letter routing key.
        settings: its settings.
        broker: the FastStream broker with the service's subscribers already registered.
        migrations_dir: the service's SQL migrations.
        on_ready: hooks run once the pool and broker are up (start watchers, ...).
        on_stop: hooks run at shutdown before the broker closes.
        routes: extra exact-path ASGI routes (the gateway's webhook).
        retention: the service's own tables' retention rules, applied with the inbox's and the
            outbox's (`retention.runtime_rules`, after RETENTION_DAYS).
    """

    def __init__(
        self,
        name: str,
        settings: ServiceSettings,
        broker: RabbitBroker,
        migrations_dir: Path,
        *,
        on_ready: list[Hook] | None = None,
        on_stop: list[Hook] | None = None,
        routes: dict[str, ASGIApp] | None = None,
        retention: Sequence[RetentionRule] = (),
    ) -> None:
        self.name = name
        self.settings = settings
        self.broker = broker
        self.migrations = Migrations(settings.database_url, name, migrations_dir)
        self.on_ready = on_ready or []
        self.on_stop = on_stop or []
        self.routes: dict[str, ASGIApp] = {
            "/healthz": self._healthz,
            "/readyz": self._readyz,
            "/metrics": self._metrics,
            **(routes or {}),
        }
        self.retention = [*runtime_rules(settings.retention_seconds), *retention]
        self._pool: asyncpg.Pool[Any] | None = None
        self.relay: OutboxRelay | None = None
        self.pruner: Pruner | None = None
        self.started = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None
        self.dead_letters: DeadLetterMonitor | None = None

    @property
    def pool(self) -> asyncpg.Pool[Any]:
        """The service's asyncpg pool (search_path = its schema).

        Raises:
            RuntimeError: before start-up opened it.
        """
        if self._pool is None:
            raise RuntimeError("the database pool is not open yet")
        return self._pool

    def unit_of_work(self, uow_cls: type[U], consumer: str | None = None) -> U:
        """A new unit of work on this service's pool whose commits wake the outbox relay.

        Args:
            uow_cls: the service's PgUnitOfWork subclass.
            consumer: the inbox's consumer name; the service's name by default.
        Raises:
            RuntimeError: before start-up opened the pool and the relay.
        """
        if self.relay is None:
            raise RuntimeError("the service has not started yet")
        return uow_cls(self.pool, consumer or self.name, self.relay.kick)

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Begin the background start-up; returns at once."""
        self._supervisor = asyncio.create_task(self._start_up(), name=f"{self.name}-startup")

    async def _start_up(self) -> None:
        delay = 1.0
        while True:
            try:
                await ensure_database(self.settings.database_url)
                await asyncio.to_thread(self.migrations.apply)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(
                    "database not ready (%s); retrying in %.0f s", type(exc).__name__, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        self._pool = await create_pool(
            self.settings.database_url, schema=self.name, application_name=self.name
        )
        self.relay = OutboxRelay(self._pool, self.broker)
        delay = 1.0
        while True:
            try:
                await self.broker.start()  # with fail_fast=False it waits until RabbitMQ answers
                dlq = await self.broker.declare_queue(dead_letter_queue(self.name))
                exchange = await self.broker.declare_exchange(DEAD_LETTER)
                await dlq.bind(exchange, routing_key=self.name)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # e.g. RabbitMQ went away between connecting and declaring
                log.warning("broker not ready (%s); retrying in %.0f s", type(exc).__name__, delay)
                with contextlib.suppress(Exception):
                    await self.broker.stop()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        self.relay.start()
        self.pruner = Pruner(self._pool, self.retention)
        self.pruner.start()
        self.dead_letters = DeadLetterMonitor(
            self.name,
            dlq.name,
            self.settings.dead_letter_max_length,
            partial(_queue_size, dlq),
            PgWatchStore(self._pool),
            interval_s=self.settings.dead_letter_check_seconds,
            on_alert=self.relay.kick,
        )
        self.dead_letters.start()
        for hook in self.on_ready:
            await hook(self)
        self.started.set()
        log.info("%s started", self.name)

    async def stop(self) -> None:
        """Stop consuming, let in-flight handlers finish, close the broker and the pool."""
        if self._supervisor and not self._supervisor.done():
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        if self.dead_letters:
            await self.dead_letters.stop()
        for hook in self.on_stop:
            with contextlib.suppress(Exception):
                await hook(self)
        if self.pruner:
            await self.pruner.stop()
        if self.relay:
            await self.relay.stop()
        await self.broker.stop()
        if self._pool:
            await self._pool.close()
        log.info("%s stopped", self.name)

    # ---- probes ----------------------------------------------------------------------------

    async def readiness(self) -> dict[str, bool]:
        """Check each dependency: broker, database, migrations (and start-up finished)."""
        checks = {"broker": False, "database": False, "migrations": False}
        if not self.started.is_set():
            return checks
        checks["broker"] = bool(await self.broker.ping(timeout=2.0))
        with contextlib.suppress(*TRANSIENT_DB_ERRORS, asyncpg.PostgresError):
            async with asyncio.timeout(2.0):
                checks["database"] = await self.pool.fetchval("SELECT true") is True
                checks["migrations"] = await self.migrations.at_head(self.pool)
        return checks

    async def _healthz(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send_response(send, 200, b'{"status":"ok"}')

    async def _readyz(self, scope: Scope, receive: Receive, send: Send) -> None:
        checks = await self.readiness()
        ok = all(checks.values())
        body = json.dumps({"status": "ready" if ok else "not ready", "checks": checks})
        await send_response(send, 200 if ok else 503, body.encode())

    async def _metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send_response(send, 200, generate_latest(), CONTENT_TYPE_LATEST)

    # ---- ASGI ------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry: lifespan events start and stop the service; HTTP goes to the routes."""
        if scope["type"] == "lifespan":
            while True:
                event = await receive()
                if event["type"] == "lifespan.startup":
                    await self.start()
                    await send({"type": "lifespan.startup.complete"})
                elif event["type"] == "lifespan.shutdown":
                    await self.stop()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        route = self.routes.get(scope["path"])
        if route is None:
            await send_response(send, 404, b'{"error":"not found"}')
            return
        if scope["path"] in PROBES:
            await route(scope, receive, send)
            return
        with http_server_span(
            scope.get("method", "GET"), scope["path"], scope.get("headers", [])
        ) as span:

            async def send_traced(message: dict[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    span.set_attribute("http.response.status_code", message["status"])
                await send(message)

            await route(scope, receive, send_traced)

    def serve(self) -> None:
        """Serve HTTP on HTTP_HOST:HTTP_PORT until SIGTERM or SIGINT, then shut down cleanly."""
        config = uvicorn.Config(
            self,
            host=self.settings.http_host,
            port=self.settings.http_port,
            log_config=None,
            lifespan="on",
            timeout_graceful_shutdown=20,
        )
        server = uvicorn.Server(config)
        # uvicorn handles SIGINT and SIGTERM: it stops accepting, then runs the lifespan shutdown
        asyncio.run(server.serve())
