"""A service started while RabbitMQ and Postgres are unreachable serves /healthz, says 503 on
/readyz, and becomes ready by itself once they are reachable — without a restart; SIGTERM then
stops it cleanly (exit status 0)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from xrpbot.sandbox.tools.stack import ROOT, Stack

pytestmark = pytest.mark.integration


class TcpForwarder:
    """Listens on a free port only after `start()`, forwarding each connection to `target`."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.server: asyncio.Server | None = None

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def start(self) -> None:
        async def serve() -> asyncio.Server:
            return await asyncio.start_server(self._handle, "127.0.0.1", self.port)

        self.server = asyncio.run_coroutine_threadsafe(serve(), self.loop).result(10)

    def close(self) -> None:
        if self.server:
            self.server.close()
        self.loop.call_soon_threadsafe(self.loop.stop)


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


def _status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as r:
            return int(r.status)
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


@pytest.fixture
def forwarders(ready: Stack) -> Iterator[tuple[TcpForwarder, TcpForwarder]]:
    mq, pg = urlsplit(ready.env["RABBITMQ_URL"]), urlsplit(ready.env["DATABASE_URL"])
    pair = (
        TcpForwarder((mq.hostname or "127.0.0.1", mq.port or 5672)),
        TcpForwarder((pg.hostname or "127.0.0.1", pg.port or 5432)),
    )
    yield pair
    for f in pair:
        f.close()


def test_wallet_started_while_broker_and_database_are_down_becomes_ready(
    ready: Stack, forwarders: tuple[TcpForwarder, TcpForwarder], tmp_path: Path
) -> None:
    mq, pg = forwarders
    port = 18091
    env = {
        **ready.env,
        "HTTP_PORT": str(port),
        "RABBITMQ_URL": _through(ready.env["RABBITMQ_URL"], mq.port),
        "DATABASE_URL": _through(ready.env["DATABASE_URL"], pg.port),
        "LOG_FORMAT": "text",
    }
    log = tmp_path / "wallet.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "xrpbot.wallet"],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while _status(port, "/healthz") != 200:
            assert proc.poll() is None, "the service must not exit while its dependencies are down"
            assert time.monotonic() < deadline, "/healthz never answered"
            time.sleep(0.2)
        time.sleep(2)
        assert _status(port, "/readyz") == 503
        assert proc.poll() is None
        mq.start()
        pg.start()
        deadline = time.monotonic() + 90
        while _status(port, "/readyz") != 200:
            assert proc.poll() is None
            assert time.monotonic() < deadline, "not ready after the dependencies came back"
            time.sleep(0.5)
        proc.terminate()  # SIGTERM: stop consuming, finish in-flight work, close cleanly
        # uvicorn re-raises the signal after its graceful shutdown, so the status says SIGTERM
        assert proc.wait(30) in (0, -signal.SIGTERM)
        assert "wallet stopped" in log.read_text()
        assert "Traceback" not in log.read_text()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
