"""The system under test: sandbox + four services as processes, on their own RabbitMQ vhost, their
own Postgres database and their own ports, so a bench never touches `make run` or a test run.

Ports are the design's defaults moved to 19xxx/16xxx, plus XRPBOT_BENCH_PORT_OFFSET (the
integration tests use 18xxx/15xxx plus XRPBOT_IT_PORT_OFFSET).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
from cryptography.fernet import Fernet

from xrpbot.access.local import local_service_env, remove_local_identities
from xrpbot.sandbox.tools.stack import SERVICES, Stack, ensure_local_infra, stack_env

__all__ = ["BenchSystem", "NoiseMonitor", "machine_info", "peak_rss_mb", "start_system"]

BASE_PORTS = {
    "WALLET_HTTP_PORT": 19001,
    "TRANSFER_HTTP_PORT": 19002,
    "PRICING_HTTP_PORT": 19003,
    "GATEWAY_HTTP_PORT": 19080,
    "SANDBOX_TELEGRAM_PORT": 19081,
    "SANDBOX_XRPL_PORT": 16005,
    "SANDBOX_FAUCET_PORT": 16006,
    "SANDBOX_COINGECKO_PORT": 19082,
}
DEFAULT_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672/"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@dataclass
class BenchSystem:
    """A started system and what the bench needs to reach it.

    Attributes:
        stack: the processes (sandbox, wallet, transfer, pricing, gateway).
        amqp_url: the bench's RabbitMQ vhost (also used for the bare-bus baseline).
        database_url: the bench's database (every service's schema).
        admin_database_url: a database to connect to for DROP DATABASE.
        vhost: the RabbitMQ vhost name ("" if the server is not local and `/` is used).
        database: the database name.
    """

    stack: Stack
    amqp_url: str
    database_url: str
    admin_database_url: str
    vhost: str
    database: str

    @property
    def telegram_url(self) -> str:
        """The Telegram stand-in (Bot API and control API)."""
        env = self.stack.env
        return f"http://{env['SANDBOX_HOST']}:{env['SANDBOX_TELEGRAM_PORT']}"

    @property
    def webhook_url(self) -> str:
        """The gateway's webhook, where Telegram POSTs updates."""
        return f"http://127.0.0.1:{self.stack.port('gateway')}/telegram/webhook"

    @property
    def webhook_secret(self) -> str:
        """X-Telegram-Bot-Api-Secret-Token."""
        return self.stack.env["TELEGRAM_WEBHOOK_SECRET"]

    @property
    def xrpl_rpc_url(self) -> str:
        """The XRPL stand-in's JSON-RPC."""
        return self.stack.env["XRPL_RPC_URL"]

    def pids(self) -> dict[str, int]:
        """Process id of each service and of the sandbox."""
        return {name: proc.pid for name, proc in self.stack.procs.items()}

    def stop(self) -> None:
        """Stop the processes, drop the database and the vhost."""
        self.stack.stop()
        asyncio.run(_drop_database(self.admin_database_url, self.database))
        remove_local_identities(self.stack.env, self.stack.run_dir, self.database)
        if self.vhost:
            _rabbitmqctl("delete_vhost", self.vhost)


async def _drop_database(admin_url: str, database: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


def start_system(run_dir: Path, *, port_offset: int, ledger_close_s: float) -> BenchSystem:
    """Create a vhost and a database, migrate, start everything and wait until it is ready.

    Args:
        run_dir: where the processes' logs and pid files go.
        port_offset: added to every port (XRPBOT_BENCH_PORT_OFFSET).
        ledger_close_s: the XRPL stand-in's ledger close interval, in seconds.

    Raises:
        RuntimeError: something did not start (its log tail is in the message).
    """
    rabbit = os.environ.get("RABBITMQ_URL", DEFAULT_RABBITMQ)
    postgres = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES)
    ensure_local_infra({"RABBITMQ_URL": rabbit, "DATABASE_URL": postgres})
    suffix = secrets.token_hex(4)
    vhost = ""
    if urlsplit(rabbit).hostname in {"127.0.0.1", "localhost"} and shutil.which("rabbitmqctl"):
        vhost = f"xrpbot_bench_{suffix}"
        _rabbitmqctl("add_vhost", vhost)
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    amqp_url = _with_path(rabbit, "/" + quote(vhost, safe="")) if vhost else rabbit
    database = f"xrpbot_bench_{suffix}"
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "XRPL_", "COINGECKO_", "WALLET_", "SANDBOX_"))
    }
    base.update({name: str(port + port_offset) for name, port in BASE_PORTS.items()})
    base.update(
        {
            "RABBITMQ_URL": amqp_url,
            "DATABASE_URL": _with_path(postgres, f"/{database}"),
            "WALLET_FERNET_KEYS": Fernet.generate_key().decode(),
            "SIGNING_REQUEST_KEYS": secrets.token_urlsafe(32),
            "SANDBOX_LEDGER_CLOSE_SECONDS": f"{ledger_close_s:g}",
            "TELEGRAM_MODE": "webhook",
        }
    )
    # one simulated user confirms 10 payments at once (the same-account scenario): the per-user
    # command throttle (burst 5) would rightly stop a human doing that; the bench measures the
    # payment path, so it lifts the throttle (unless THROTTLE_BURST is set)
    base.setdefault("THROTTLE_BURST", "100")
    env, parts = stack_env(base, run_dir)
    system = BenchSystem(
        stack=Stack(env, parts, run_dir, local_service_env(env, run_dir, database)),
        amqp_url=amqp_url,
        database_url=env["DATABASE_URL"],
        admin_database_url=_with_path(postgres, "/postgres"),
        vhost=vhost,
        database=database,
    )
    try:
        system.stack.migrate()
        system.stack.start()
    except BaseException:
        system.stop()
        raise
    return system


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident set size (VmHWM) of a process, in MiB; None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def _first_line(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


async def _postgres_version(url: str) -> str:
    try:
        conn = await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError):
        return "unknown"
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


def machine_info(system: BenchSystem | None = None) -> dict[str, Any]:
    """The machine the numbers come from: CPUs, CPU model, RAM, Python, RabbitMQ, Postgres."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem = re.search(r"^MemTotal:\s+(\d+)\s+kB", meminfo, re.MULTILINE)
    rabbit = "unknown"
    if shutil.which("rabbitmqctl"):
        raw = _first_line(["rabbitmqctl", "-q", "version"])
        rabbit = raw if re.fullmatch(r"[\d.]+", raw) else "unknown"
    postgres = "unknown"
    if system is not None:
        postgres = asyncio.run(_postgres_version(system.admin_database_url))
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else platform.processor() or "unknown",
        "ram_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "python": sys.version.split()[0],
        "rabbitmq": rabbit,
        "postgres": postgres,
        "kernel": platform.release(),
        "services": list(SERVICES),
    }


def _reachable(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


@dataclass
class NoiseMonitor:
    """What else happened on the machine during the run: the 1-minute load average and whether
    RabbitMQ and Postgres were reachable (on a shared machine another test may stop them).

    Args:
        system: the running system (its servers' host and port are probed).
        every_s: seconds between samples.
    """

    system: BenchSystem
    every_s: float = 0.5
    samples: list[tuple[float, float, bool, bool]] = field(default_factory=list)
    """(unix time, load average, RabbitMQ reachable, Postgres reachable)."""
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start sampling."""
        self._task = asyncio.create_task(self._run(), name="noise-monitor")

    async def stop(self) -> dict[str, Any]:
        """Stop sampling; returns the summary (seconds unreachable, load averages)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        loads = [load for _, load, _, _ in self.samples]
        return {
            "rabbitmq_unreachable_s": round(
                sum(self.every_s for *_, mq, _ in self.samples if not mq), 1
            ),
            "postgres_unreachable_s": round(
                sum(self.every_s for *_, pg in self.samples if not pg), 1
            ),
            "loadavg_1m_max": round(max(loads), 2) if loads else None,
            "loadavg_1m_mean": round(sum(loads) / len(loads), 2) if loads else None,
        }

    async def _run(self) -> None:
        mq = urlsplit(self.system.amqp_url)
        pg = urlsplit(self.system.database_url)
        mq_at = (mq.hostname or "127.0.0.1", mq.port or 5672)
        pg_at = (pg.hostname or "127.0.0.1", pg.port or 5432)
        while True:
            mq_ok = await asyncio.to_thread(_reachable, *mq_at)
            pg_ok = await asyncio.to_thread(_reachable, *pg_at)
            self.samples.append((time.time(), os.getloadavg()[0], mq_ok, pg_ok))
            await asyncio.sleep(self.every_s)
