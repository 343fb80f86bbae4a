"""CoinGecko adapter over httpx: XRP's spot prices and price history.

Endpoints (https://docs.coingecko.com/reference/introduction): `GET /simple/price` ("Coin Price
by IDs") for several vs_currencies in one call, `GET /coins/ripple/market_chart` ("Coin
Historical Chart Data by ID"). JSON numbers are parsed straight into `Decimal`, never float.

Failures: a timeout fails at once (the caller serves the last known data); 5xx and connection
errors are retried with exponential backoff; 429 is retried after its Retry-After when that is
short, otherwise reported with it, so the cache leaves CoinGecko alone for that long
(https://docs.coingecko.com/docs/common-errors-rate-limit). Anything else, and answers that do
not parse or hold no prices, raise `MarketDataUnavailable` with a short reason.

Values are checked as well as shapes (`domain.usable_price`, `usable_change`): a spot answer
with a price of 0, a negative or absurd one, or a time that is not a plausible Unix time (later
than a few minutes from now) is "malformed", so the caller serves the last known data instead;
an absurd 24-hour change is unknown (None); a history point with such a price or time is left
out (none left: "malformed").
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from ..domain import (
    PriceHistory,
    PricePoint,
    SpotPrice,
    SpotPrices,
    backoff_s,
    usable_change,
    usable_price,
)
from ..ports import MarketDataUnavailable

__all__ = ["COIN_ID", "CoinGecko", "parse_retry_after"]

log = logging.getLogger(__name__)

COIN_ID = "ripple"
"""CoinGecko's id for XRP."""


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).

    Returns:
        seconds to wait (0 or more), or None when the header is missing or unreadable.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValueError(f"not a number: {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


MAX_CLOCK_SKEW = timedelta(minutes=10)
"""A source time later than now by more than this is no data (it would outrank every later
price: the gateway keeps the newest rate per currency)."""

_MALFORMED = (KeyError, TypeError, ValueError, InvalidOperation, OverflowError, OSError)
"""What reading an answer of the wrong shape raises (OSError: a timestamp the platform refuses)."""


def _price(value: Any) -> Decimal:
    price = _decimal(value)
    if not usable_price(price):
        raise ValueError(f"not a usable price: {price}")
    return price


def _time(seconds: Any, now: datetime) -> datetime:
    """A Unix time in seconds (an int, or a JSON number parsed as Decimal) as UTC."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | Decimal):
        raise TypeError(f"not a time: {seconds!r}")
    at = datetime.fromtimestamp(int(seconds), UTC)
    if seconds <= 0 or at > now + MAX_CLOCK_SKEW:
        raise ValueError(f"not a plausible time: {at}")
    return at


class CoinGecko:
    """XRP prices from CoinGecko's API v3 (or the sandbox's stand-in).

    Args:
        api_base: root ending in /api/v3 (pro-api.coingecko.com for a Pro key).
        client: shared httpx client; its timeouts bound each attempt.
        api_key: optional key, sent as `x-cg-pro-api-key` to the Pro API and as
            `x-cg-demo-api-key` otherwise.
        attempts: tries per call (the first one included) on 5xx, 429 and connection errors.
        max_retry_wait_s: a 429 asking to wait longer than this is not retried here.
        sleep: waits between attempts (tests pass a recorder).
    """

    def __init__(
        self,
        api_base: str,
        client: httpx.AsyncClient,
        api_key: str | None = None,
        *,
        attempts: int = 3,
        max_retry_wait_s: float = 5.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.client = client
        header = "x-cg-pro-api-key" if "pro-api." in self.api_base else "x-cg-demo-api-key"
        self.headers = {header: api_key} if api_key else {}
        self.attempts = max(1, attempts)
        self.max_retry_wait_s = max_retry_wait_s
        self.sleep = sleep

    async def _get(self, path: str, params: dict[str, str]) -> Any:
        """GET `path` and parse its JSON (numbers as Decimal), retrying what may pass."""
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                response = await self.client.get(
                    f"{self.api_base}/{path}", params=params, headers=self.headers
                )
            except httpx.TimeoutException as exc:
                raise MarketDataUnavailable("timeout") from exc
            except httpx.HTTPError as exc:
                if last:
                    raise MarketDataUnavailable("unreachable") from exc
                await self._pause(path, "unreachable", attempt, None)
                continue
            status = response.status_code
            if status == httpx.codes.TOO_MANY_REQUESTS:
                retry_after = parse_retry_after(
                    response.headers.get("retry-after"), datetime.now(UTC)
                )
                if last or (retry_after or 0.0) > self.max_retry_wait_s:
                    raise MarketDataUnavailable("rate_limited", retry_after_s=retry_after)
                await self._pause(path, "rate_limited", attempt, retry_after)
                continue
            if status >= 500:
                if last:
                    raise MarketDataUnavailable(f"http_{status}")
                await self._pause(path, f"http_{status}", attempt, None)
                continue
            if status != httpx.codes.OK:
                raise MarketDataUnavailable(f"http_{status}")
            try:
                return json.loads(response.content, parse_float=Decimal)
            except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
                raise MarketDataUnavailable("malformed") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _pause(
        self, path: str, reason: str, attempt: int, retry_after: float | None
    ) -> None:
        wait = backoff_s(attempt, retry_after_s=retry_after)
        log.warning("CoinGecko %s: %s; retry %d in %.1f s", path, reason, attempt, wait)
        await self.sleep(wait)

    async def spot(self, vs_currencies: Sequence[str]) -> SpotPrices:
        body = await self._get(
            "simple/price",
            {
                "ids": COIN_ID,
                "vs_currencies": ",".join(vs_currencies),
                "include_24hr_change": "true",
                "include_last_updated_at": "true",
                "precision": "full",
            },
        )
        try:
            quote = body[COIN_ID]
            as_of = _time(quote["last_updated_at"], datetime.now(UTC))
            prices: dict[str, SpotPrice] = {}
            for code in vs_currencies:
                if code not in quote:
                    continue  # CoinGecko leaves out currencies it does not know
                raw_change = quote.get(f"{code}_24h_change")
                change = None if raw_change is None else _decimal(raw_change)
                prices[code] = SpotPrice(
                    vs_currency=code,
                    price=_price(quote[code]),
                    change_24h_pct=change
                    if change is not None and usable_change(change)
                    else None,
                    as_of=as_of,
                )
        except _MALFORMED as exc:
            raise MarketDataUnavailable(
                "empty" if isinstance(body, dict) and not body else "malformed"
            ) from exc
        if not prices:
            raise MarketDataUnavailable("empty")
        return SpotPrices(prices)

    async def history(self, vs_currency: str, days: int) -> PriceHistory:
        body = await self._get(
            f"coins/{COIN_ID}/market_chart",
            {"vs_currency": vs_currency, "days": str(days), "precision": "full"},
        )
        try:
            rows = body["prices"]
            if not isinstance(rows, list):
                raise TypeError("prices is not a list")
        except _MALFORMED as exc:
            raise MarketDataUnavailable("malformed") from exc
        if not rows:
            raise MarketDataUnavailable("empty")
        now = datetime.now(UTC)
        found: list[PricePoint] = []
        for row in rows:
            try:
                ms, price = row
                found.append(PricePoint(_time(_decimal(ms) / 1000, now), _price(price)))
            except _MALFORMED:
                continue  # one point that is no data does not spoil the chart
        if not found:
            raise MarketDataUnavailable("malformed")
        points = sorted(found, key=lambda p: p.at)
        return PriceHistory(vs_currency, days, tuple(points))
