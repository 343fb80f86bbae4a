"""The gateway against the local RabbitMQ and Postgres and the sandbox's Telegram stand-in.

Each test gets its own RabbitMQ vhost (when the broker is local and `rabbitmqctl` exists) and its
own database, both deleted afterwards, so no durable queue outlives a test and the real
`gateway.replies` queue of a running system is never touched. The Telegram stand-in runs
in-process on a free port.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
import pytest_asyncio
import uvicorn
from aiohttp import web

from xrpbot.gateway.app import MIGRATIONS, create_service
from xrpbot.gateway.config import GatewaySettings
from xrpbot.runtime.db import create_pool
from xrpbot.runtime.migrations import Migrations
from xrpbot.runtime.service import Service

TOKEN = "123456789:sandbox-local-token"
SECRET = "gw-test-secret_" + secrets.token_hex(8)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


def _rabbitmqctl(*args: str) -> None:
    # a fixed local admin tool with arguments built here, never from input
    subprocess.run(  # noqa: S603
        ["rabbitmqctl", "-q", *args],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=60,
    )


async def eventually(
    check: Callable[[], Awaitable[Any]], *, within_s: float = 20.0, what: str = "condition"
) -> Any:
    """Poll `check()` until it returns something truthy; fail after `within_s` seconds."""
    deadline = time.monotonic() + within_s
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {within_s:.0f} s")
        await asyncio.sleep(0.05)


@pytest.fixture
def eventually_() -> Callable[..., Awaitable[Any]]:
    return eventually


@pytest.fixture
def rabbitmq_url(servers: dict[str, str]) -> Iterator[str]:
    """A vhost of our own on the local broker, deleted after the test (with its queues)."""
    url = servers["rabbitmq"]
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost"} or not shutil.which("rabbitmqctl"):
        yield url  # a throwaway broker (testcontainers): its root vhost is ours
        return
    vhost = f"xrpbot_gw_test_{secrets.token_hex(4)}"
    _rabbitmqctl("add_vhost", vhost)
    try:
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield _with_path(url, "/" + quote(vhost, safe=""))
    finally:
        _rabbitmqctl("delete_vhost", vhost)


@pytest_asyncio.fixture
async def database_url(servers: dict[str, str]) -> AsyncIterator[str]:
    """A throwaway database (empty: the gateway migrates it), dropped after the test."""
    name = f"xrpbot_gw_test_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_with_path(servers["postgres"], "/postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield _with_path(servers["postgres"], f"/{name}")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool[Any]]:
    migrations = Migrations(database_url, "gateway", MIGRATIONS)
    await asyncio.to_thread(migrations.apply)
    pool = await create_pool(database_url, schema="gateway", application_name="gateway-test")
    assert await migrations.at_head(pool)
    try:
        yield pool
    finally:
        await pool.close()


class Sandbox:
    """The Telegram stand-in running in-process, and a client for its control API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.AsyncClient(base_url=base_url, timeout=10)

    async def send(self, user_id: int, text: str, first_name: str = "Ada") -> int:
        r = await self.http.post(
            "/sandbox/send",
            json={
                "user_id": user_id,
                "first_name": first_name,
                "username": f"user{user_id}",
                "language_code": "en",
                "text": text,
            },
        )
        r.raise_for_status()
        return int(r.json()["update_id"])

    async def messages(self, chat_id: int) -> list[dict[str, Any]]:
        r = await self.http.get("/sandbox/messages", params={"chat_id": chat_id})
        r.raise_for_status()
        messages: list[dict[str, Any]] = r.json()["messages"]
        return messages

    async def calls(self, method: str) -> list[dict[str, Any]]:
        r = await self.http.get("/sandbox/calls", params={"method": method})
        r.raise_for_status()
        calls: list[dict[str, Any]] = r.json()["calls"]
        return calls

    async def updates(self) -> dict[str, Any]:
        r = await self.http.get("/sandbox/updates")
        r.raise_for_status()
        result: dict[str, Any] = r.json()
        return result


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    from xrpbot.sandbox.telegram.app import create_telegram_app
    from xrpbot.sandbox.telegram.state import TelegramState

    app = create_telegram_app(TelegramState([TOKEN], webhook_retry_scale=0.01))
    runner = web.AppRunner(app)
    await runner.setup()
    port = _free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    client = Sandbox(f"http://127.0.0.1:{port}")
    try:
        yield client
    finally:
        await client.http.aclose()
        await runner.cleanup()


class Gateway:
    """A running gateway Service (and its HTTP server in webhook mode)."""

    def __init__(self, service: Service, settings: GatewaySettings) -> None:
        self.service = service
        self.settings = settings
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}/telegram/webhook"

    async def start(self) -> None:
        if self.settings.telegram_mode == "webhook":
            config = uvicorn.Config(
                self.service,
                host="127.0.0.1",
                port=self.settings.http_port,
                lifespan="on",
                log_config=None,
                log_level="warning",
            )
            self._server = uvicorn.Server(config)
            self._task = asyncio.create_task(self._server.serve())
        else:
            await self.service.start()
        async with asyncio.timeout(30):
            await self.service.started.wait()

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        else:
            await self.service.stop()


@pytest_asyncio.fixture
async def gateway_factory(
    rabbitmq_url: str, database_url: str, sandbox: Sandbox
) -> AsyncIterator[Callable[[str], Awaitable[Gateway]]]:
    started: list[Gateway] = []

    async def start(mode: str) -> Gateway:
        port = _free_port()
        settings = GatewaySettings(
            telegram_bot_token=TOKEN,
            telegram_api_base=sandbox.base_url,
            telegram_mode=mode,
            telegram_webhook_secret=SECRET,
            telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/webhook",
            telegram_polling_timeout_seconds=1,
            rabbitmq_url=rabbitmq_url,
            database_url=database_url,
            http_port=port,
            delivery_limit=3,
        )
        gateway = Gateway(create_service(settings), settings)
        started.append(gateway)
        await gateway.start()
        return gateway

    yield start
    for gateway in reversed(started):
        with contextlib.suppress(Exception):
            await gateway.stop()
