"""What the pricing use cases need from the outside world."""

from __future__ import annotations

from typing import Protocol

from xrpbot.runtime.ports import Transaction

from .domain import SpotPrice

__all__ = ["MarketData", "MarketDataUnavailable", "PriceStore", "UnitOfWork"]


class MarketDataUnavailable(Exception):
    """The market-data API failed, timed out, rate-limited us or answered nonsense."""


class MarketData(Protocol):
    """A source of XRP prices (CoinGecko)."""

    async def spot(self, vs_currency: str) -> SpotPrice:
        """XRP's current price in `vs_currency`.

        Raises:
            MarketDataUnavailable: on any failure of the source.
        """
        ...


class PriceStore(Protocol):
    """Last known prices in the pricing schema."""

    async def last(self, vs_currency: str) -> SpotPrice | None:
        """The last stored price for the currency, if any."""
        ...

    async def save(self, price: SpotPrice) -> None:
        """Remember a fresh price."""
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the pricing schema: prices + inbox + outbox."""

    @property
    def prices(self) -> PriceStore:
        """Prices, on this transaction."""
        ...
