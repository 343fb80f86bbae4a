"""The whole system for end-to-end tests: sandbox + four services as real processes, on their
own RabbitMQ vhost and their own Postgres database, on ports that do not clash with `make run`."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
import httpx
import psycopg
import pytest
from cryptography.fernet import Fernet
from psycopg.rows import dict_row

from xrpbot.access.local import local_service_env, remove_local_identities
from xrpbot.sandbox.tools.stack import Stack, stack_env
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

# XRPBOT_IT_PORT_OFFSET shifts every port, so that two test runs on one machine do not collide.
_OFFSET = int(os.environ.get("XRPBOT_IT_PORT_OFFSET", "0"))
PORTS = {
    name: str(port + _OFFSET)
    for name, port in {
        "WALLET_HTTP_PORT": 18001,
        "TRANSFER_HTTP_PORT": 18002,
        "PRICING_HTTP_PORT": 18003,
        "GATEWAY_HTTP_PORT": 18080,
        "SANDBOX_TELEGRAM_PORT": 18081,
        "SANDBOX_XRPL_PORT": 15005,
        "SANDBOX_FAUCET_PORT": 15006,
        "SANDBOX_COINGECKO_PORT": 18082,
    }.items()
}


ADMIN_ID = 5_999_999_999
"""The Telegram id the system's ADMIN_IDS names; outside `new_user`'s range of ids."""


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def system(servers: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The running system (ready), torn down with its database and vhost after the session."""
    suffix = secrets.token_hex(4)
    vhost = ""
    if urlsplit(servers["rabbitmq"]).hostname in {"127.0.0.1", "localhost"} and shutil.which(
        "rabbitmqctl"
    ):
        vhost = f"xrpbot_it_{suffix}"
        _rabbitmqctl("add_vhost", vhost)
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    database = f"xrpbot_it_{suffix}"
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "XRPL_", "COINGECKO_", "WALLET_"))
    }
    base.update(PORTS)
    base.update(
        {
            "RABBITMQ_URL": _with_path(servers["rabbitmq"], "/" + quote(vhost, safe=""))
            if vhost
            else servers["rabbitmq"],
            "DATABASE_URL": _with_path(servers["postgres"], f"/{database}"),
            "WALLET_FERNET_KEYS": Fernet.generate_key().decode(),
            "SIGNING_REQUEST_KEYS": secrets.token_urlsafe(32),
            "SANDBOX_LEDGER_CLOSE_SECONDS": "0.5",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "ADMIN_IDS": str(ADMIN_ID),  # /stats and /broadcast (test_menu.py)
        }
    )
    run_dir = tmp_path_factory.mktemp("run")
    env, parts = stack_env(base, run_dir)
    # every service under its own RabbitMQ user and Postgres role, named after this run
    stack = Stack(env, parts, Path(run_dir), local_service_env(env, Path(run_dir), database))
    try:
        stack.migrate()
        stack.start()
        yield stack
    finally:
        stack.stop()
        asyncio.run(_drop_database(servers["postgres"], database))
        remove_local_identities(env, Path(run_dir), database)
        if vhost:
            _rabbitmqctl("delete_vhost", vhost)


async def _drop_database(admin_url: str, database: str) -> None:
    conn = await asyncpg.connect(_with_path(admin_url, "/postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
def ready(system: Stack) -> Stack:
    """The system, after waiting until every service is ready again (after an outage test)."""
    system.wait_ready(timeout=120)
    return system


@pytest.fixture
def telegram(ready: Stack) -> TelegramSandbox:
    """The Telegram stand-in's control API."""
    env = ready.env
    return TelegramSandbox(f"http://{env['SANDBOX_HOST']}:{env['SANDBOX_TELEGRAM_PORT']}")


@pytest.fixture
def new_user() -> Any:
    """Make a fresh sandbox user (random Telegram id) per call."""

    def make(first_name: str = "Tester", language_code: str = "en") -> SandboxUser:
        uid = 6_000_000_000 + secrets.randbelow(1_000_000_000)
        return SandboxUser(uid, first_name, f"{first_name.lower()}_{uid % 100000}", language_code)

    return make


class Db:
    """Synchronous read access to the system's database (every schema), for assertions."""

    def __init__(self, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)

    def val(self, sql: str, *args: Any) -> Any:
        """The first column of the first row (None if no row)."""
        row = self.conn.execute(sql, args).fetchone()  # type: ignore[arg-type]
        return next(iter(row.values())) if row else None

    def rows(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        """Every row as a dict."""
        return self.conn.execute(sql, args).fetchall()  # type: ignore[arg-type]


@pytest.fixture
def db(ready: Stack) -> Iterator[Db]:
    """The system's database."""
    database = Db(ready.env["DATABASE_URL"])
    try:
        yield database
    finally:
        database.conn.close()


@pytest.fixture
def xrpl(ready: Stack) -> Any:
    """Call the XRPL stand-in's JSON-RPC: `xrpl("account_info", account=..., ledger_index=...)`."""

    def call(method: str, **params: Any) -> dict[str, Any]:
        r = httpx.post(
            ready.env["XRPL_RPC_URL"], json={"method": method, "params": [params]}, timeout=10
        )
        r.raise_for_status()
        result: dict[str, Any] = r.json()["result"]
        return result

    return call


@pytest.fixture
def forged_press(ready: Stack) -> Any:
    """`press(presser, owner, message, data)`: a callback query posted straight to the gateway's
    webhook (see its docstring)."""

    def press(presser: SandboxUser, owner: SandboxUser, message: BotMessage, data: str) -> None:
        """A callback query delivered straight to the gateway's webhook, as Telegram would send it:
        `presser` pressing the button `data` under `message` in `owner`'s chat. The stand-in only lets
        users press buttons in their own chat and removes buttons once the message is edited, so a
        tap on someone else's quote, or a second tap racing the first, is played this way."""
        update = {
            "update_id": 1_500_000_000 + secrets.randbelow(500_000_000),
            "callback_query": {
                "id": str(secrets.randbelow(2**62)),
                "from": {
                    "id": presser.user_id,
                    "is_bot": False,
                    "first_name": presser.first_name,
                    "username": presser.username,
                    "language_code": "en",
                },
                "chat_instance": str(owner.chat_id),
                "data": data,
                "message": {
                    "message_id": message.message_id,
                    "from": {"id": 1, "is_bot": True, "first_name": "xrpbot"},
                    "chat": {
                        "id": owner.chat_id,
                        "type": "private",
                        "first_name": owner.first_name,
                    },
                    "date": int(time.time()),
                    "text": message.text,
                },
            },
        }
        r = httpx.post(
            f"http://127.0.0.1:{ready.port('gateway')}/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": ready.env["TELEGRAM_WEBHOOK_SECRET"]},
            timeout=30,
        )
        assert r.status_code == 200

    return press
