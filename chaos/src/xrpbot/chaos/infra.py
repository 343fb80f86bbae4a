"""The chaos run's own PostgreSQL cluster and RabbitMQ node, so that it may crash and restart them
without touching the machine's shared servers (127.0.0.1:5432 and :5672 are never signalled).

- PostgreSQL: `initdb` into `.chaos/pg` (run as the `postgres` user when we are root, as initdb
  refuses root), port 25432 + offset, started with `pg_ctl start`, crashed and restarted with
  `pg_ctl restart -m immediate` (https://www.postgresql.org/docs/15/app-pg-ctl.html: "immediate"
  aborts every server process without a clean shutdown, so the next start runs crash recovery).
- RabbitMQ: node `xrpbot-chaos-<offset>@localhost` with its own AMQP port (23672 + offset), its
  own distribution port, mnesia base, log directory, config and (empty) plugin list under
  `.chaos/rabbitmq`, started with `rabbitmq-server -detached`; its fault is `rabbitmqctl -n <node>
  stop_app` / `start_app` (https://www.rabbitmq.com/docs/man/rabbitmqctl.8: stop_app stops the
  RabbitMQ application, leaving the Erlang node running).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PrivateInfra", "PrivatePostgres", "PrivateRabbit"]

PG_BASE_PORT = 25432
AMQP_BASE_PORT = (
    23672  # not 25672: that is the machine node's Erlang distribution port (5672 + 20000)
)
DIST_BASE_PORT = 24672


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _free(port: int, what: str) -> None:
    if _port_open(port):
        raise RuntimeError(f"port {port} for {what} is in use (set XRPBOT_CHAOS_PORT_OFFSET)")


def _wait_port(port: int, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not _port_open(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not open port {port} within {timeout:.0f} s")
        time.sleep(0.3)


def _as_user(user: str, args: list[str]) -> list[str]:
    """`args` run as `user` when we are root (initdb, postgres and RabbitMQ refuse root or keep
    their files under their own user), as they are otherwise."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", user, "--", *args]


def _chown(path: Path, user: str) -> None:
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.chown(Path(root) / name, entry.pw_uid, entry.pw_gid)
    os.chown(path, entry.pw_uid, entry.pw_gid)


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if versions and (versions[-1] / name).exists():
        return str(versions[-1] / name)
    raise RuntimeError(f"{name} not found (PostgreSQL server binaries)")


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster in `data_dir` on 127.0.0.1:`port`, superuser `postgres`, trust auth
    (it listens on the loopback only and lives for one run)."""

    data_dir: Path
    port: int

    @property
    def admin_url(self) -> str:
        """The superuser's URL (used only to provision the services' roles)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/xrpbot"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            _as_user("postgres", list(args)), capture_output=True, check=check, timeout=120
        )

    def start(self) -> None:
        """initdb if needed, then start; returns when the port accepts connections.

        Raises:
            RuntimeError: the port did not open within 60 s.
        """
        _free(self.port, "the private PostgreSQL")
        if self.data_dir.exists():
            shutil.rmtree(self.data_dir)
        self.data_dir.mkdir(parents=True)
        _chown(self.data_dir, "postgres")
        self._run(_pg_bin("initdb"), "-D", str(self.data_dir), "-U", "postgres", "-A", "trust")
        self._pg_ctl("start")
        _wait_port(self.port, 60, "private PostgreSQL")

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir}"
        log = self.data_dir / "server.log"
        self._run(
            _pg_bin("pg_ctl"), "-D", str(self.data_dir), "-o", options, "-l", str(log), "-w",
            *args,
        )  # fmt: skip

    def crash_restart(self) -> None:
        """`pg_ctl restart -m immediate`: every connection is cut, the next start recovers."""
        self._pg_ctl("restart", "-m", "immediate")

    def stop(self) -> None:
        """Stop fast (idempotent; nothing raised if it is not running)."""
        if self.data_dir.exists():
            self._run(
                _pg_bin("pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop",
                check=False,
            )  # fmt: skip


@dataclass
class PrivateRabbit:
    """A RabbitMQ node `node` with its AMQP listener on 127.0.0.1:`port`, files under `base`."""

    node: str
    port: int
    dist_port: int
    base: Path

    @property
    def admin_url(self) -> str:
        """guest's URL (guest may log in from the loopback only, RabbitMQ's default)."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    def env(self) -> dict[str, str]:
        """The variables that make `rabbitmq-server` and `rabbitmqctl` this node.

        https://www.rabbitmq.com/docs/configure#supported-environment-variables
        """
        return {
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.base / "log"),
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(self.base / "node.pid"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.base / "advanced.config"),
        }

    def ctl(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """`rabbitmqctl -n <node> <args>` (never the machine's node)."""
        return subprocess.run(
            ["rabbitmqctl", "-q", "-n", self.node, *args],
            env={**os.environ, **self.env()},
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )

    def start(self) -> None:
        """Start the node detached; returns when its AMQP port accepts connections.

        Raises:
            RuntimeError: it did not open its port within 90 s.
        """
        _free(self.port, f"the private RabbitMQ {self.node}")
        _free(self.dist_port, f"the private RabbitMQ {self.node}'s distribution")
        if self.base.exists():
            shutil.rmtree(self.base)
        for sub in ("mnesia", "log"):
            (self.base / sub).mkdir(parents=True)
        (self.base / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\nloopback_users.guest = true\n"
        )
        (self.base / "enabled_plugins").write_text("[].\n")
        (self.base / "advanced.config").write_text("[].\n")
        _chown(self.base, "rabbitmq")
        subprocess.run(
            ["rabbitmq-server", "-detached"],
            env={**os.environ, **self.env()},
            capture_output=True,
            check=False,
            timeout=60,
        )
        _wait_port(self.port, 90, f"private RabbitMQ {self.node}")
        deadline = time.monotonic() + 90
        while self.ctl("await_startup", timeout=90).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError(f"private RabbitMQ {self.node} did not finish booting")
            time.sleep(1)

    def stop_app(self) -> None:
        """Stop the RabbitMQ application (every connection closed; the node stays up)."""
        self.ctl("stop_app")

    def start_app(self) -> None:
        """Start the RabbitMQ application again."""
        self.ctl("start_app", timeout=120)

    def stop(self) -> None:
        """Stop the whole node (idempotent)."""
        self.ctl("stop", timeout=60)


@dataclass
class PrivateInfra:
    """Both private servers of one chaos run."""

    postgres: PrivatePostgres
    rabbit: PrivateRabbit

    @classmethod
    def under(cls, root: Path, offset: int) -> PrivateInfra:
        """The servers for port offset `offset`, with their files under `root` (`.chaos/`)."""
        return cls(
            PrivatePostgres(root / "pg", PG_BASE_PORT + offset),
            PrivateRabbit(
                f"xrpbot-chaos-{offset}@localhost",
                AMQP_BASE_PORT + offset,
                DIST_BASE_PORT + offset,
                root / "rabbitmq",
            ),
        )

    @contextlib.contextmanager
    def running(self) -> Iterator[PrivateInfra]:
        """Start both (in parallel: RabbitMQ takes ~8 s), yield, stop both."""
        import threading

        errors: list[BaseException] = []

        def start_rabbit() -> None:
            try:
                self.rabbit.start()
            except BaseException as err:  # re-raised below, in the caller's thread
                errors.append(err)

        thread = threading.Thread(target=start_rabbit, name="rabbit-start")
        thread.start()
        try:
            self.postgres.start()
        finally:
            thread.join()
        try:
            if errors:
                raise errors[0]
            yield self
        finally:
            self.rabbit.stop()
            self.postgres.stop()
