"""What the pricing use cases need from the outside world."""

from __future__ import annotations

from typing import Protocol

from xrpbot.schemas import Envelope

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


class UnitOfWork(Protocol):
    """One transaction: price store, inbox claim and outbox."""

    @property
    def prices(self) -> PriceStore:
        """Prices, on this transaction."""
        ...

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def claim(self, message: Envelope) -> bool:
        """Record the message as handled; False if it already was."""
        ...

    async def reply(self, message: Envelope) -> None:
        """Publish a reply once the transaction commits."""
        ...

    async def commit(self) -> None:
        """Commit the transaction."""
        ...
