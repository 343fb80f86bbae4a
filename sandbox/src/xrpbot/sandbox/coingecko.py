"""An offline stand-in for CoinGecko's public API v3 (https://docs.coingecko.com/reference/introduction).

Endpoints, with the shapes of the documented example responses:

- `GET /api/v3/ping` ("Check API server status") → `{"gecko_says": "(V3) To the Moon!"}`.
- `GET /api/v3/simple/price` ("Coin Price by IDs") → `{"ripple": {"usd": 0.52,
  "usd_market_cap": ..., "usd_24h_vol": ..., "usd_24h_change": -1.2, "last_updated_at": ...}}`.
- `GET /api/v3/simple/supported_vs_currencies` → `["usd", "eur", ...]`.
- `GET /api/v3/coins/list` → `[{"id": "ripple", "symbol": "xrp", "name": "XRP"}, ...]`.
- `GET /api/v3/coins/{id}/market_chart` ("Coin Historical Chart Data by ID") →
  `{"prices": [[ms, price], ...], "market_caps": [...], "total_volumes": [...]}` with the
  documented automatic granularity: 1 day from now → 5-minutely, 2 to 90 days → hourly, above 90
  days → daily (00:00 UTC); the last point is "now" (refreshed every 30 seconds).

Prices are a deterministic function of time and currency: the same timestamp always has the same
price, so repeated requests agree and tests can pin values with a fixed clock. Errors follow
CoinGecko: an unknown coin in a path → 404 `{"error": "coin not found"}`; an unknown vs_currency
for a chart → 400 `{"error": "invalid vs_currency"}`; a missing required parameter → 422
`{"error": "Missing parameter vs_currencies"}`; unknown ids or currencies in /simple/price are left
out of the answer. 429 answers carry `Retry-After` and the `{"status": {"error_code": 429,
"error_message": "You've exceeded the Rate Limit..."}}` body the public API sends
("Common Errors & Rate Limit"). API keys (`x-cg-demo-api-key`, `x-cg-pro-api-key` headers or
`x_cg_demo_api_key`/`x_cg_pro_api_key` query parameters) are accepted and not checked.

Control API: `POST /sandbox/fail` {"mode": "500"|"429"|"timeout"|"malformed"|"empty"|null,
"retry_after": s, "count": n}, `GET /sandbox/stats`, `POST /sandbox/reset`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web
from aiohttp.typedefs import Handler

__all__ = [
    "FAIL_MODES",
    "RATE_LIMIT_MESSAGE",
    "CoinGeckoState",
    "create_coingecko_app",
    "price_at",
]

FAIL_MODES: Final = frozenset({"500", "429", "timeout", "malformed", "empty"})
"""Failure modes `POST /sandbox/fail` accepts (null switches failures off)."""

RATE_LIMIT_MESSAGE: Final = (
    "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing "
    "to subscribe to our API plans for higher rate limits."
)
"""The public API's 429 error_message, as CoinGecko sends it."""

DAY_SECONDS: Final = 86_400
FIVE_MINUTES: Final = 300
HOUR_SECONDS: Final = 3_600
LAST_POINT_REFRESH_SECONDS: Final = 30
"""market_chart: "Every 30 seconds for all the API plans (for last data point)"."""
PRICE_REFRESH_SECONDS: Final = 60
"""simple/price: "Cache/Update Frequency: every 60 seconds for Public API"."""


@dataclass(frozen=True)
class _Coin:
    id: str
    symbol: str
    name: str
    price_usd: float  # the level the price swings around
    swing: float  # how far it swings (log scale)
    supply: float  # circulating supply at 2024-01-01
    supply_growth_per_year: float
    volume_usd: float
    listed_at: int  # unix time of the first data point ("max")


_COINS: Final = {
    coin.id: coin
    for coin in (
        _Coin("ripple", "xrp", "XRP", 0.55, 1.0, 54.0e9, 1.0e9, 1.5e9, 1_375_574_400),
        _Coin("bitcoin", "btc", "Bitcoin", 42_000.0, 0.8, 19.6e6, 0.33e6, 25e9, 1_367_107_200),
        _Coin("ethereum", "eth", "Ethereum", 2_300.0, 0.9, 120.2e6, 0.1e6, 12e9, 1_438_905_600),
    )
}

# Units of each currency per 1 USD: fixed, plausible rates (the stand-in needs stable numbers,
# not a live FX feed). Names follow /simple/supported_vs_currencies.
_USD_RATES: Final = {
    "usd": 1.0,
    "eur": 0.92,
    "gbp": 0.79,
    "jpy": 150.2,
    "rub": 92.5,
    "cny": 7.24,
    "inr": 83.3,
    "brl": 5.01,
    "cad": 1.36,
    "aud": 1.53,
    "chf": 0.88,
    "krw": 1_335.0,
    "try": 32.2,
    "uah": 39.1,
    "pln": 3.98,
    "sgd": 1.35,
    "hkd": 7.82,
    "mxn": 16.9,
    "idr": 15_900.0,
    "ars": 870.0,
    "nzd": 1.66,
    "sek": 10.6,
    "nok": 10.8,
    "czk": 23.4,
    "zar": 18.7,
    "aed": 3.67,
    "ils": 3.7,
    "thb": 36.1,
    "vnd": 24_800.0,
    "php": 56.2,
}
_CRYPTO_QUOTES: Final = {"btc": "bitcoin", "eth": "ethereum", "xrp": "ripple"}
SUPPORTED_VS_CURRENCIES: Final = (*_USD_RATES, *_CRYPTO_QUOTES)


def _unit_noise(*parts: object) -> float:
    """A deterministic pseudo-random number in [-1, 1) for the given key."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**63 - 1.0


def _smooth_noise(coin: str, t: float, step: float) -> float:
    """Noise that is random per `step`-second grid point and linear in between."""
    k = math.floor(t / step)
    frac = t / step - k
    return (1 - frac) * _unit_noise(coin, step, k) + frac * _unit_noise(coin, step, k + 1)


def _usd_price(coin: _Coin, t: float) -> float:
    days = t / DAY_SECONDS
    phase = _unit_noise(coin.id, "phase") * math.pi
    log_swing = (
        0.45 * math.sin(2 * math.pi * days / 365.0 + phase)
        + 0.18 * math.sin(2 * math.pi * days / 61.0 + 2 * phase)
        + 0.07 * math.sin(2 * math.pi * days / 9.3 + 3 * phase)
        + 0.025 * _smooth_noise(coin.id, t, DAY_SECONDS)
        + 0.008 * _smooth_noise(coin.id, t, HOUR_SECONDS)
        + 0.002 * _smooth_noise(coin.id, t, FIVE_MINUTES)
    )
    return coin.price_usd * math.exp(coin.swing * log_swing)


def _usd_rate(currency: str, t: float) -> float:
    if currency in _CRYPTO_QUOTES:
        return 1.0 / _usd_price(_COINS[_CRYPTO_QUOTES[currency]], t)
    # a small, slow wobble so the currencies do not move in lockstep with USD
    return _USD_RATES[currency] * (1 + 0.01 * _smooth_noise(currency, t, DAY_SECONDS))


def price_at(coin_id: str, currency: str, t: float) -> float:
    """The stand-in's price of one coin in `currency` at unix time `t` (deterministic)."""
    coin = _COINS[coin_id]
    return _usd_price(coin, t) * _usd_rate(currency, t)


def _market_cap(coin: _Coin, currency: str, t: float) -> float:
    years = (t - 1_704_067_200) / (365.25 * DAY_SECONDS)
    supply = max(coin.supply * 0.5, coin.supply + coin.supply_growth_per_year * years)
    return price_at(coin.id, currency, t) * supply


def _volume(coin: _Coin, currency: str, t: float) -> float:
    swing = 0.35 * _smooth_noise(coin.id + ":vol", t, DAY_SECONDS / 4)
    return coin.volume_usd * math.exp(swing) * _usd_rate(currency, t)


@dataclass
class CoinGeckoState:
    """The stand-in's switches and counters.

    Args:
        clock: wall clock (unix seconds); tests pass a fixed one for exact values.
        timeout_seconds: how long a request stalls in "timeout" mode (longer than any sane
            client timeout; a reset or shutdown releases it at once).
    """

    clock: Callable[[], float] = time.time
    timeout_seconds: float = 300.0
    mode: str | None = None
    retry_after: int = 60
    remaining: int | None = None  # failures left before the mode switches itself off
    stats: Counter[str] = field(default_factory=Counter)
    recent: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=1000))
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def reset(self) -> None:
        """Failures off, counters cleared, stalled requests released."""
        self.mode = None
        self.remaining = None
        self.retry_after = 60
        self.stats.clear()
        self.recent.clear()
        self.release.set()
        self.release = asyncio.Event()


STATE_KEY: Final = web.AppKey("coingecko_state", CoinGeckoState)
_EMPTY: Final = web.RequestKey("coingecko_empty", bool)


def create_coingecko_app(state: CoinGeckoState | None = None) -> web.Application:
    """The CoinGecko stand-in as an aiohttp application (see the module docstring)."""
    app = web.Application(middlewares=[_failure_middleware])
    app[STATE_KEY] = state or CoinGeckoState()
    app.router.add_get("/api/v3/ping", _ping)
    app.router.add_get("/api/v3/simple/price", _simple_price)
    app.router.add_get("/api/v3/simple/supported_vs_currencies", _supported_vs_currencies)
    app.router.add_get("/api/v3/coins/list", _coins_list)
    app.router.add_get("/api/v3/coins/{id}/market_chart", _market_chart)
    app.router.add_post("/sandbox/fail", _control_fail)
    app.router.add_get("/sandbox/stats", _control_stats)
    app.router.add_post("/sandbox/reset", _control_reset)
    app.on_shutdown.append(_on_shutdown)
    return app


async def _on_shutdown(app: web.Application) -> None:
    app[STATE_KEY].release.set()


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def _failure_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count every API call and apply the switched-on failure mode."""
    if not request.path.startswith("/api/v3/"):
        return await handler(request)
    state = request.app[STATE_KEY]
    state.stats[request.path] += 1
    state.recent.append(
        {
            "path": request.path,
            "query": dict(request.query),
            "time": state.clock(),
            "api_key": bool(
                request.headers.get("x-cg-demo-api-key")
                or request.headers.get("x-cg-pro-api-key")
                or request.query.get("x_cg_demo_api_key")
                or request.query.get("x_cg_pro_api_key")
            ),
        }
    )
    mode = state.mode
    if mode is not None and state.remaining is not None:
        state.remaining -= 1
        if state.remaining <= 0:
            state.mode, state.remaining = None, None
    if mode == "500":
        return web.json_response(
            {"status": {"error_code": 500, "error_message": "Internal Server Error"}},
            status=500,
        )
    if mode == "429":
        return web.json_response(
            {"status": {"error_code": 429, "error_message": RATE_LIMIT_MESSAGE}},
            status=429,
            headers={"Retry-After": str(state.retry_after)},
        )
    if mode == "timeout":
        released = state.release
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(released.wait(), state.timeout_seconds)
    if mode == "malformed":
        return web.Response(
            text='{"ripple":{"usd":0.5123,"usd_24h_change":',
            content_type="application/json",
        )
    if mode == "empty":
        request[_EMPTY] = True
    return await handler(request)


async def _ping(request: web.Request) -> web.Response:
    """ "Check API server status"."""
    return web.json_response({"gecko_says": "(V3) To the Moon!"})


async def _supported_vs_currencies(request: web.Request) -> web.Response:
    """ "Supported Currencies List"."""
    return web.json_response(list(SUPPORTED_VS_CURRENCIES))


async def _coins_list(request: web.Request) -> web.Response:
    """ "Coins List (ID Map)"."""
    return web.json_response(
        [{"id": c.id, "symbol": c.symbol, "name": c.name} for c in _COINS.values()]
    )


def _flag(request: web.Request, name: str) -> bool:
    return request.query.get(name, "false").lower() == "true"


def _csv(raw: str) -> list[str]:
    return [item.strip().lower() for item in raw.split(",") if item.strip()]


def _rounder(request: web.Request) -> Callable[[float], float]:
    precision = request.query.get("precision", "full")
    if precision.isdigit() and int(precision) <= 18:
        digits = int(precision)
        return lambda value: round(value, digits)
    return lambda value: value


async def _simple_price(request: web.Request) -> web.Response:
    """ "Coin Price by IDs": unknown ids and currencies are left out, as CoinGecko does."""
    state = request.app[STATE_KEY]
    currencies_raw = request.query.get("vs_currencies", "")
    if not currencies_raw:
        return _error(422, "Missing parameter vs_currencies")
    ids = _csv(request.query.get("ids", ""))
    symbols = _csv(request.query.get("symbols", ""))
    if not ids and not symbols:
        return _error(422, "Missing parameter ids")
    if request.get(_EMPTY):
        return web.json_response({})
    by_symbol = {c.symbol: c.id for c in _COINS.values()}
    wanted: list[tuple[str, str]] = [(i, i) for i in ids if i in _COINS]
    if not ids:
        wanted = [(s, by_symbol[s]) for s in symbols if s in by_symbol]
    currencies = [c for c in _csv(currencies_raw) if c in SUPPORTED_VS_CURRENCIES]
    rounded = _rounder(request)
    now = state.clock()
    updated = math.floor(now / PRICE_REFRESH_SECONDS) * PRICE_REFRESH_SECONDS
    result: dict[str, dict[str, Any]] = {}
    for key, coin_id in wanted:
        coin = _COINS[coin_id]
        entry: dict[str, Any] = {}
        for currency in currencies:
            price = price_at(coin_id, currency, updated)
            entry[currency] = rounded(price)
            if _flag(request, "include_market_cap"):
                entry[f"{currency}_market_cap"] = _market_cap(coin, currency, updated)
            if _flag(request, "include_24hr_vol"):
                entry[f"{currency}_24h_vol"] = _volume(coin, currency, updated)
            if _flag(request, "include_24hr_change"):
                before = price_at(coin_id, currency, updated - DAY_SECONDS)
                entry[f"{currency}_24h_change"] = (price / before - 1) * 100
        if _flag(request, "include_last_updated_at"):
            entry["last_updated_at"] = int(updated)
        result[key] = entry
    return web.json_response(result)


def _chart_times(now: float, days: float, interval: str, listed_at: int) -> list[float]:
    """Point times for market_chart's automatic granularity, oldest first, "now" last."""
    start = max(now - days * DAY_SECONDS, listed_at)
    if interval == "daily" or days > 90:
        step = DAY_SECONDS
    elif days > 1:
        step = HOUR_SECONDS
    else:
        step = FIVE_MINUTES
    first = math.ceil(start / step) * step
    times = [float(t) for t in range(int(first), int(now), step)]
    times.append(now)
    return times


async def _market_chart(request: web.Request) -> web.Response:
    """ "Coin Historical Chart Data by ID"."""
    state = request.app[STATE_KEY]
    coin = _COINS.get(request.match_info["id"].lower())
    if coin is None:
        return _error(404, "coin not found")
    currency = request.query.get("vs_currency", "").lower()
    if not currency:
        return _error(422, "Missing parameter vs_currency")
    days_raw = request.query.get("days", "").lower()
    if not days_raw:
        return _error(422, "Missing parameter days")
    if currency not in SUPPORTED_VS_CURRENCIES:
        return _error(400, "invalid vs_currency")
    if days_raw == "max":
        days = (state.clock() - coin.listed_at) / DAY_SECONDS + 1
    else:
        try:
            days = float(days_raw)
        except ValueError:
            return _error(400, "invalid days")
        if not math.isfinite(days) or days <= 0:
            return _error(400, "invalid days")
    if request.get(_EMPTY):
        return web.json_response({"prices": [], "market_caps": [], "total_volumes": []})
    rounded = _rounder(request)
    now = math.floor(state.clock() / LAST_POINT_REFRESH_SECONDS) * LAST_POINT_REFRESH_SECONDS
    times = _chart_times(now, days, request.query.get("interval", ""), coin.listed_at)
    prices, caps, volumes = [], [], []
    for t in times:
        ms = int(t * 1000)
        prices.append([ms, rounded(price_at(coin.id, currency, t))])
        caps.append([ms, _market_cap(coin, currency, t)])
        volumes.append([ms, _volume(coin, currency, t)])
    return web.json_response({"prices": prices, "market_caps": caps, "total_volumes": volumes})


async def _control_fail(request: web.Request) -> web.Response:
    """Switch a failure mode on (or off with null)."""
    state = request.app[STATE_KEY]
    try:
        body = await request.json()
    except ValueError:
        return _error(400, "the body must be a JSON object")
    if not isinstance(body, dict):
        return _error(400, "the body must be a JSON object")
    mode = body.get("mode")
    if mode is not None:
        mode = str(mode)
        if mode not in FAIL_MODES:
            return _error(400, f"mode must be one of {sorted(FAIL_MODES)} or null")
    if body.get("retry_after") is not None:
        state.retry_after = int(body["retry_after"])
    count = body.get("count")
    state.remaining = int(count) if count is not None and mode is not None else None
    state.mode = mode
    if mode != "timeout":
        state.release.set()
        state.release = asyncio.Event()
    return web.json_response(
        {"mode": state.mode, "retry_after": state.retry_after, "count": state.remaining}
    )


async def _control_stats(request: web.Request) -> web.Response:
    """Upstream calls per path (every API request counts, failed ones too)."""
    state = request.app[STATE_KEY]
    return web.json_response(
        {
            "total": sum(state.stats.values()),
            "paths": dict(state.stats),
            "recent": list(state.recent),
            "mode": state.mode,
        }
    )


async def _control_reset(request: web.Request) -> web.Response:
    """Failures off, counters to zero."""
    request.app[STATE_KEY].reset()
    return web.json_response({"ok": True})
