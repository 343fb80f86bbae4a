"""`python -m xrpbot.sandbox`: the offline stand-ins in one asyncio process.

Telegram Bot API (127.0.0.1:8081), XRPL JSON-RPC (:5005) and faucet (:5006), CoinGecko (:8082),
plus the ledger closer; settings in `config.SandboxSettings`. It logs one line per server with
its URL (never a token) and exits cleanly on SIGINT or SIGTERM.

Tests run the same thing in-process::

    sandbox = create_sandbox(SandboxSettings(telegram_port=0, coingecko_port=0, only=["telegram"]))
    await sandbox.start()
    sandbox.urls["telegram"]  # "http://127.0.0.1:<port>"
    await sandbox.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from types import TracebackType

from aiohttp import web

from .coingecko import CoinGeckoState, create_coingecko_app
from .config import SandboxSettings
from .telegram.app import create_telegram_app
from .telegram.state import TelegramState

__all__ = ["Sandbox", "create_sandbox", "main"]

log = logging.getLogger("xrpbot.sandbox")


class Sandbox:
    """The stand-ins chosen by the settings, started and stopped together.

    After `start()`, `urls` maps "telegram", "xrpl", "faucet" and "coingecko" (those started) to
    their base URLs with the real ports (useful with port 0). `telegram`, `coingecko` and
    `ledger` give tests direct access to the stand-ins' state.
    """

    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.urls: dict[str, str] = {}
        self.telegram: TelegramState | None = None
        self.coingecko: CoinGeckoState | None = None
        self.ledger: object | None = None  # xrpbot.sandbox.xrpl.engine.LedgerEngine when started
        self._runners: list[web.AppRunner] = []
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Open every chosen server; on failure, whatever was opened is closed again."""
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        settings = self.settings
        parts = settings.only
        if "telegram" in parts:
            self.telegram = TelegramState(
                settings.tokens(), bot_username=settings.telegram_bot_username
            )
            await self._serve(
                "telegram", create_telegram_app(self.telegram), settings.telegram_port
            )
            bots = ", ".join(f"@{b.username} (id {b.id})" for b in self.telegram.bots.values())
            log.info("Telegram Bot API stand-in on %s — bots: %s", self.urls["telegram"], bots)
        if "xrpl" in parts:
            from .xrpl.closer import ledger_closer
            from .xrpl.engine import LedgerEngine
            from .xrpl.faucet import create_faucet_app
            from .xrpl.rpc.app import create_rpc_app

            engine = LedgerEngine()
            self.ledger = engine
            await self._serve("xrpl", create_rpc_app(engine), settings.xrpl_port)
            log.info("XRPL JSON-RPC stand-in on %s/", self.urls["xrpl"])
            await self._serve("faucet", create_faucet_app(engine), settings.faucet_port)
            log.info("XRPL faucet stand-in on %s/accounts", self.urls["faucet"])
            self._tasks.append(
                asyncio.create_task(
                    ledger_closer(engine, settings.ledger_close_seconds), name="ledger-closer"
                )
            )
            every = (
                f"every {settings.ledger_close_seconds:g} s"
                if settings.ledger_close_seconds > 0
                else "only on ledger_accept"
            )
            log.info("ledgers close %s", every)
        if "coingecko" in parts:
            self.coingecko = CoinGeckoState()
            await self._serve(
                "coingecko", create_coingecko_app(self.coingecko), settings.coingecko_port
            )
            log.info("CoinGecko stand-in on %s/api/v3", self.urls["coingecko"])

    async def _serve(self, name: str, app: web.Application, port: int) -> None:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, self.settings.host, port)
        await site.start()
        address = runner.addresses[0]
        host = self.settings.host
        shown = f"[{host}]" if ":" in host else host
        self.urls[name] = f"http://{shown}:{address[1]}"

    async def stop(self) -> None:
        """Cancel the ledger closer and close every server (idempotent)."""
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        runners, self._runners = self._runners, []
        for runner in reversed(runners):
            await runner.cleanup()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


def create_sandbox(settings: SandboxSettings | None = None) -> Sandbox:
    """A sandbox for these settings (default: from the environment); call `start()` to serve."""
    return Sandbox(settings if settings is not None else SandboxSettings())


async def _serve_until_signalled(settings: SandboxSettings) -> None:
    sandbox = create_sandbox(settings)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await sandbox.start()
        log.info("sandbox ready (%s); Ctrl-C or SIGTERM stops it", ", ".join(settings.only))
        await stopping.wait()
        log.info("stopping the sandbox")
    finally:
        await sandbox.stop()


def main() -> int:
    """Run the sandbox until SIGINT/SIGTERM; returns the exit status."""
    settings = SandboxSettings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    try:
        asyncio.run(_serve_until_signalled(settings))
    except OSError as err:  # a port is taken, most often
        log.error("the sandbox could not start: %s", err)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
