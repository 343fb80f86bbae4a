"""Pytest fixtures that start the stand-ins in-process, each on a free port of 127.0.0.1.

The rootdir conftest loads this module as a plugin (`pytest_plugins`, honoured only there), so
every test can ask for these fixtures by name:

- `coingecko` → `CoinGeckoStandIn`: the CoinGecko stand-in on a fixed clock (`COINGECKO_NOW`).
- `ledger_engine` → a new `LedgerEngine`; `rippled` → `RippledStandIn` (its JSON-RPC API) and
  `faucet` → the faucet's `POST /accounts` URL, both over that engine. Override `ledger_engine`
  in a conftest for other engine settings.
- `telegram_state` → a `TelegramState` with the default token; `telegram_stand_in` →
  `TelegramStandIn`
  (Bot API and control API) over it. Override `telegram_state` for other settings.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final

import httpx
import pytest
from aiohttp import web

from .coingecko import CoinGeckoState, create_coingecko_app
from .telegram.app import create_telegram_app
from .telegram.constants import DEFAULT_TOKEN
from .telegram.state import TelegramState
from .xrpl.engine import LedgerEngine
from .xrpl.faucet import create_faucet_app
from .xrpl.rpc.app import create_rpc_app

__all__ = [
    "COINGECKO_NOW",
    "CoinGeckoStandIn",
    "RippledStandIn",
    "TelegramStandIn",
    "coingecko",
    "faucet",
    "ledger_engine",
    "rippled",
    "serve",
    "telegram_stand_in",
    "telegram_state",
]

COINGECKO_NOW: Final = 1_700_000_017.0
"""The `coingecko` fixture's fixed clock, unix seconds: 2023-11-14T22:13:37Z."""


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at a free port; yields its base URL, `http://127.0.0.1:<port>`."""
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@dataclass
class CoinGeckoStandIn:
    """The CoinGecko stand-in: its state, base URL, and an httpx client whose base URL it is."""

    state: CoinGeckoState
    url: str
    http: httpx.AsyncClient

    async def get(self, path: str, **params: str) -> httpx.Response:
        """`GET /api/v3/<path>` with these query parameters."""
        return await self.http.get(f"/api/v3/{path}", params=params)

    async def fail(self, **body: Any) -> None:
        """Script failures (`POST /sandbox/fail`); raises `httpx.HTTPStatusError` if refused."""
        (await self.http.post("/sandbox/fail", json=body)).raise_for_status()

    async def calls(self) -> int:
        """How many API calls the stand-in answered (`GET /sandbox/stats` → `total`)."""
        stats = (await self.http.get("/sandbox/stats")).json()
        return int(stats["total"])


@pytest.fixture
async def coingecko() -> AsyncIterator[CoinGeckoStandIn]:
    """The CoinGecko stand-in on the fixed clock `COINGECKO_NOW`, requests time out after 30 s."""
    state = CoinGeckoState(clock=lambda: COINGECKO_NOW, timeout_seconds=30)
    async with (
        serve(create_coingecko_app(state)) as url,
        httpx.AsyncClient(base_url=url, timeout=httpx.Timeout(5.0)) as http,
    ):
        yield CoinGeckoStandIn(state, url, http)


@dataclass(frozen=True)
class RippledStandIn:
    """rippled's JSON-RPC API over `engine`; `url` is the endpoint (ends with "/")."""

    engine: LedgerEngine
    url: str


@pytest.fixture
def ledger_engine() -> LedgerEngine:
    """A new stand-alone ledger (ledgers close only when the test closes them)."""
    return LedgerEngine()


@pytest.fixture
async def rippled(ledger_engine: LedgerEngine) -> AsyncIterator[RippledStandIn]:
    """The rippled stand-in's JSON-RPC API over `ledger_engine`."""
    async with serve(create_rpc_app(ledger_engine)) as url:
        yield RippledStandIn(ledger_engine, f"{url}/")


@pytest.fixture
async def faucet(ledger_engine: LedgerEngine) -> AsyncIterator[str]:
    """The faucet over `ledger_engine`: the URL of its `POST /accounts`."""
    async with serve(create_faucet_app(ledger_engine)) as url:
        yield f"{url}/accounts"


@dataclass(frozen=True)
class TelegramStandIn:
    """The Telegram stand-in: its state and base URL (Bot API `/bot<token>/`, control `/sandbox/`)."""

    state: TelegramState
    url: str


@pytest.fixture
def telegram_state() -> TelegramState:
    """One bot with the default token; webhook retries 50 times faster than Telegram's."""
    return TelegramState([DEFAULT_TOKEN], webhook_retry_scale=0.02)


@pytest.fixture
async def telegram_stand_in(telegram_state: TelegramState) -> AsyncIterator[TelegramStandIn]:
    """The Telegram stand-in over `telegram_state`."""
    async with serve(create_telegram_app(telegram_state)) as url:
        yield TelegramStandIn(telegram_state, url)
