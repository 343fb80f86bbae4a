"""Run the whole system on this machine: the sandbox (unless real outside services are
configured) and the four services, on the local RabbitMQ and Postgres.

    python -m xrpbot.sandbox.tools.stack run     # foreground until Ctrl-C   (make run)
    python -m xrpbot.sandbox.tools.stack up      # background; logs and pids under .run/ (make up)
    python -m xrpbot.sandbox.tools.stack down    # stop what `up` started (make down)
    python -m xrpbot.sandbox.tools.stack status  # each service's /readyz

Every setting given in the environment wins; only unset ones get local defaults. Written here
rather than with a process manager (honcho, supervisord) because it must also wait for readiness,
pick defaults from what is configured, and be importable by the integration tests.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from xrpbot.access.local import local_service_env

__all__ = ["SERVICES", "Stack", "ensure_local_infra", "stack_env"]

ROOT = Path(__file__).resolve().parents[5]
SERVICES: dict[str, int] = {"wallet": 8001, "transfer": 8002, "pricing": 8003, "gateway": 8080}
"""Service name → default HTTP port (design.md); the gateway starts last."""
SANDBOX_TOKEN = "123456789:sandbox-local-token"  # noqa: S105  the stand-in's public test token


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _secret_file(path: Path, make: str) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make)
        path.chmod(0o600)
    return path.read_text().strip()


def stack_env(base: Mapping[str, str], run_dir: Path) -> tuple[dict[str, str], list[str]]:
    """The environment for every process, and which stand-ins the sandbox must serve.

    A stand-in is used for each outside service that is not configured: Telegram unless
    TELEGRAM_BOT_TOKEN is set, the ledger unless XRPL_RPC_URL and XRPL_FAUCET_URL are, CoinGecko
    unless COINGECKO_API_BASE is. Secrets that are not given are generated into `run_dir`.
    """
    from cryptography.fernet import Fernet

    env = dict(base)
    host = env.setdefault("SANDBOX_HOST", "127.0.0.1")
    parts: list[str] = []
    if not env.get("TELEGRAM_BOT_TOKEN"):
        parts.append("telegram")
        env["TELEGRAM_BOT_TOKEN"] = SANDBOX_TOKEN
        port = env.setdefault("SANDBOX_TELEGRAM_PORT", "8081")
        env.setdefault("TELEGRAM_API_BASE", f"http://{host}:{port}")
        env.setdefault("TELEGRAM_MODE", "webhook")
        gw = env.get("GATEWAY_HTTP_PORT", str(SERVICES["gateway"]))
        env.setdefault("TELEGRAM_WEBHOOK_URL", f"http://127.0.0.1:{gw}/telegram/webhook")
    if not (env.get("XRPL_RPC_URL") and env.get("XRPL_FAUCET_URL")):
        parts.append("xrpl")
        env.setdefault(
            "XRPL_RPC_URL", f"http://{host}:{env.setdefault('SANDBOX_XRPL_PORT', '5005')}/"
        )
        faucet = env.setdefault("SANDBOX_FAUCET_PORT", "5006")
        env.setdefault("XRPL_FAUCET_URL", f"http://{host}:{faucet}/accounts")
    if not env.get("COINGECKO_API_BASE"):
        parts.append("coingecko")
        port = env.setdefault("SANDBOX_COINGECKO_PORT", "8082")
        env["COINGECKO_API_BASE"] = f"http://{host}:{port}/api/v3"
    if env.get("TELEGRAM_MODE", "polling") == "webhook" and not env.get("TELEGRAM_WEBHOOK_SECRET"):
        env["TELEGRAM_WEBHOOK_SECRET"] = _secret_file(
            run_dir / "webhook-secret", secrets.token_urlsafe(32)
        )
    if not env.get("WALLET_FERNET_KEYS"):
        # kept across runs: the seeds in the database stay readable
        env["WALLET_FERNET_KEYS"] = _secret_file(
            run_dir / "wallet-fernet.key", Fernet.generate_key().decode()
        )
    if not env.get("SIGNING_REQUEST_KEYS"):  # transfer's HMAC key for its signing requests
        env["SIGNING_REQUEST_KEYS"] = _secret_file(
            run_dir / "signing-request.key", secrets.token_urlsafe(32)
        )
    env["SANDBOX_ONLY"] = ",".join(parts)
    env.setdefault("LOG_FORMAT", "json")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env, parts


def ensure_local_infra(env: Mapping[str, str]) -> None:
    """Start the local PostgreSQL and RabbitMQ if they are down and the URLs point here."""
    pg = urlsplit(env.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/xrpbot"))
    mq = urlsplit(env.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/"))
    local = {"127.0.0.1", "localhost"}
    if pg.hostname in local and not _port_open("127.0.0.1", pg.port or 5432):
        versions = (
            sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").exists() else []
        )
        if versions:
            print("starting PostgreSQL ...", flush=True)
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
                check=False,
            )
    if mq.hostname in local and not _port_open("127.0.0.1", mq.port or 5672):
        print("starting RabbitMQ ...", flush=True)
        subprocess.run(["rabbitmq-server", "-detached"], check=False)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _port_open("127.0.0.1", mq.port or 5672):
            time.sleep(1)


@dataclass
class Stack:
    """The processes of one running system.

    Args:
        env: environment of every child (see `stack_env`).
        sandbox_parts: stand-ins to start ("telegram", "xrpl", "coingecko"); empty = no sandbox.
        run_dir: where logs (`<name>.log`) and pids (`<name>.pid`) go.
        service_env: per service, what differs from `env`: its own RABBITMQ_URL and
            DATABASE_URL (`xrpbot.access.local.local_service_env`), so none runs as an admin.
        replicas: per service, how many processes run it (default 1). With more than one they
            are named `<service>-1`, `<service>-2`, … and each listens on
            `<SERVICE>_<k>_HTTP_PORT` (else the service's port + 10·(k - 1)).
    """

    env: dict[str, str]
    sandbox_parts: list[str]
    run_dir: Path
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    replicas: dict[str, int] = field(default_factory=dict)

    def instances(self) -> list[str]:
        """Every service process's name, in start order ("wallet", …, or "gateway-1", …)."""
        names = []
        for service in SERVICES:
            count = self.replicas.get(service, 1)
            names += [service] if count <= 1 else [f"{service}-{k}" for k in range(1, count + 1)]
        return names

    @staticmethod
    def service_of(name: str) -> str:
        """The service an instance runs: "gateway-2" → "gateway"; a service name → itself."""
        return name.rsplit("-", 1)[0] if name not in SERVICES and "-" in name else name

    def port(self, service: str) -> int:
        """The HTTP port of a service or instance (`<SERVICE>_HTTP_PORT`, else the design's
        default; an instance `<service>-<k>`: `<SERVICE>_<k>_HTTP_PORT`, else that + 10·(k - 1))."""
        base = self.service_of(service)
        port = int(self.env.get(f"{base.upper()}_HTTP_PORT", SERVICES[base]))
        if service == base:
            return port
        k = int(service.rsplit("-", 1)[1])
        return int(
            self.env.get(f"{service.upper().replace('-', '_')}_HTTP_PORT", port + 10 * (k - 1))
        )

    def _spawn(self, name: str, args: list[str], extra: dict[str, str] | None = None) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        log = (self.run_dir / f"{name}.log").open("ab")
        service_env = self.service_env.get(self.service_of(name), {})
        proc = subprocess.Popen(
            [sys.executable, *args],
            env={**self.env, **service_env, **(extra or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,  # Ctrl-C in the terminal reaches only us; we stop them in order
        )
        self.procs[name] = proc
        (self.run_dir / f"{name}.pid").write_text(str(proc.pid))

    def migrate(self) -> None:
        """Apply every service's migrations (`python -m xrpbot.<svc> migrate`).

        Raises:
            RuntimeError: a migration failed (its output is included).
        """
        for name in SERVICES:
            done = subprocess.run(
                [sys.executable, "-m", f"xrpbot.{name}", "migrate"],
                env={**self.env, **self.service_env.get(name, {})},
                capture_output=True,
                check=False,
                cwd=ROOT,
            )
            if done.returncode:
                raise RuntimeError(f"{name} migrate failed:\n{done.stderr.decode()[-2000:]}")

    def start(self, timeout: float = 90.0) -> None:
        """Start the sandbox and the services; return when every /readyz says 200.

        Raises:
            RuntimeError: something exited or did not become ready in time (see its log).
        """
        if self.sandbox_parts:
            self._spawn("sandbox", ["-m", "xrpbot.sandbox"])
            self._wait_ports(self._sandbox_ports(), timeout)
        for name in self.instances():
            self.spawn(name)
        self.wait_ready(timeout)

    def spawn(self, name: str) -> None:
        """Start service instance `name` (a new process; its log is appended to); no wait."""
        service = self.service_of(name)
        self._spawn(name, ["-m", f"xrpbot.{service}"], {"HTTP_PORT": str(self.port(name))})

    def _sandbox_ports(self) -> list[int]:
        ports = {
            "telegram": ["SANDBOX_TELEGRAM_PORT"],
            "xrpl": ["SANDBOX_XRPL_PORT", "SANDBOX_FAUCET_PORT"],
            "coingecko": ["SANDBOX_COINGECKO_PORT"],
        }
        return [int(self.env[v]) for part in self.sandbox_parts for v in ports[part]]

    def _wait_ports(self, ports: list[int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not all(_port_open(self.env["SANDBOX_HOST"], p) for p in ports):
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"sandbox ports {ports} did not open; see {self.run_dir}/sandbox.log"
                )
            time.sleep(0.2)

    def readiness(self) -> dict[str, int]:
        """HTTP status of each service's /readyz (0 when it does not answer)."""
        status = {}
        for name in self.instances():
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port(name)}/readyz", timeout=3
                ) as r:
                    status[name] = r.status
            except urllib.error.HTTPError as e:
                status[name] = e.code
            except OSError:
                status[name] = 0
        return status

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Wait until every service's /readyz answers 200."""
        deadline = time.monotonic() + timeout
        while True:
            self._check_alive()
            status = self.readiness()
            if all(code == 200 for code in status.values()):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"not ready in {timeout:.0f} s: {status}; logs in {self.run_dir}"
                )
            time.sleep(0.3)

    def _check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                tail = (self.run_dir / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{tail}")

    def restart(self, name: str, *, crash: bool = False, timeout: float = 90.0) -> None:
        """Stop one service and start it again; return when every service is ready.

        Args:
            name: a service ("gateway", "wallet", "transfer", "pricing") or an instance of one.
            crash: SIGKILL (no shutdown at all, as a crash or an OOM kill) instead of SIGTERM.
        Raises:
            RuntimeError: it did not come back ready in time.
        """
        proc = self.procs[name]
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL if crash else signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.spawn(name)
        self.wait_ready(timeout)

    def stop(self, timeout: float = 25.0) -> None:
        """SIGTERM the gateway first and the sandbox last; SIGKILL what outlives `timeout`."""
        # a second Ctrl-C (uv forwards the terminal's SIGINT too) must not cut the shutdown short
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self._stop(timeout)
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    def _stop(self, timeout: float) -> None:
        rank = ["gateway", "transfer", "pricing", "wallet"]
        order = [
            *sorted(self.instances(), key=lambda n: rank.index(self.service_of(n))),
            "sandbox",
        ]
        for name in order:
            proc = self.procs.get(name)
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name in order:
            proc = self.procs.get(name)
            if proc is None:
                continue
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            (self.run_dir / f"{name}.pid").unlink(missing_ok=True)


def down(run_dir: Path, timeout: float = 25.0) -> None:
    """Stop the processes whose pids `up` left in `run_dir`."""
    pids = {p.stem: int(p.read_text()) for p in run_dir.glob("*.pid")}
    for pid in pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for name, pid in pids.items():
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        (run_dir / f"{name}.pid").unlink(missing_ok=True)
        print(f"stopped {name}")


def from_environment(run_dir: Path | None = None) -> Stack:
    """A Stack configured from os.environ, with infra started and migrations applied."""
    run_dir = run_dir or Path(os.environ.get("XRPBOT_RUN_DIR", ROOT / ".run"))
    env, parts = stack_env(os.environ, run_dir)
    ensure_local_infra(env)
    stack = Stack(env, parts, run_dir, local_service_env(env, run_dir))
    stack.migrate()
    return stack


def _print_status(stack: Stack) -> None:
    print("xrpbot is running:")
    for name in SERVICES:
        print(f"  {name:9} http://127.0.0.1:{stack.port(name)}/readyz")
    if stack.sandbox_parts:
        env = stack.env
        print(f"  sandbox   {', '.join(stack.sandbox_parts)} (logs: {stack.run_dir}/sandbox.log)")
        if "telegram" in stack.sandbox_parts:
            print(
                f"  Telegram stand-in: http://{env['SANDBOX_HOST']}:{env['SANDBOX_TELEGRAM_PORT']} — try `make chat`"
            )
    print(f"  logs and pids: {stack.run_dir}/")


def main(argv: list[str] | None = None) -> int:
    """Command line: run | up | down | status."""
    parser = argparse.ArgumentParser(prog="python -m xrpbot.sandbox.tools.stack")
    parser.add_argument("command", choices=["run", "up", "down", "status"])
    args = parser.parse_args(argv)
    run_dir = Path(os.environ.get("XRPBOT_RUN_DIR", ROOT / ".run"))
    if args.command == "down":
        down(run_dir)
        return 0
    if args.command == "status":
        env, parts = stack_env(os.environ, run_dir)
        status = Stack(env, parts, run_dir).readiness()
        for name, code in status.items():
            state = "ready" if code == 200 else f"not ready ({code or 'down'})"
            print(f"{name:9} {state}")
        return 0 if all(c == 200 for c in status.values()) else 1
    for pid_file in run_dir.glob("*.pid"):  # left by a crash or a kill: remove if nobody runs
        try:
            os.kill(int(pid_file.read_text()), 0)
        except (ProcessLookupError, ValueError):
            pid_file.unlink()
    if any(run_dir.glob("*.pid")):
        print(f"xrpbot seems to be running already (pids in {run_dir}); `make down` first")
        return 1
    stack = from_environment(run_dir)
    try:
        stack.start()
    except (RuntimeError, KeyboardInterrupt) as err:
        stack.stop()
        print(err, file=sys.stderr)
        return 1
    _print_status(stack)
    if args.command == "up":
        return 0
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    print("Press Ctrl-C to stop.", flush=True)
    while not stopping:
        time.sleep(0.5)
        if any(p.poll() is not None for p in stack.procs.values()):
            dead = [n for n, p in stack.procs.items() if p.poll() is not None]
            print(f"stopped unexpectedly: {', '.join(dead)}; see {run_dir}/", file=sys.stderr)
            break
    print("stopping ...", flush=True)
    stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
