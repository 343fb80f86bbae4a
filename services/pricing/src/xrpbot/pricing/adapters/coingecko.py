"""CoinGecko adapter (https://docs.coingecko.com/reference/simple-price)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import httpx

from ..domain import SpotPrice
from ..ports import MarketDataUnavailable

__all__ = ["CoinGecko"]

COIN_ID = "ripple"
"""CoinGecko's id for XRP."""


class CoinGecko:
    """XRP prices from CoinGecko's public API v3 (or the sandbox's stand-in).

    Args:
        api_base: root ending in /api/v3.
        client: shared httpx client (timeouts are set there).
        api_key: optional demo key, sent as `x-cg-demo-api-key`.
    """

    def __init__(
        self, api_base: str, client: httpx.AsyncClient, api_key: str | None = None
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.client = client
        self.headers = {"x-cg-demo-api-key": api_key} if api_key else {}

    async def spot(self, vs_currency: str) -> SpotPrice:
        try:
            response = await self.client.get(
                f"{self.api_base}/simple/price",
                params={
                    "ids": COIN_ID,
                    "vs_currencies": vs_currency,
                    "include_24hr_change": "true",
                    "include_last_updated_at": "true",
                },
                headers=self.headers,
            )
            response.raise_for_status()
            quote = response.json()[COIN_ID]
            change = quote.get(f"{vs_currency}_24h_change")
            return SpotPrice(
                vs_currency=vs_currency,
                price=Decimal(str(quote[vs_currency])),
                change_24h_pct=Decimal(str(change)) if change is not None else None,
                as_of=datetime.fromtimestamp(int(quote["last_updated_at"]), UTC),
            )
        except (httpx.HTTPError, ValueError, KeyError, TypeError, InvalidOperation) as exc:
            raise MarketDataUnavailable(f"simple/price: {type(exc).__name__}") from exc
