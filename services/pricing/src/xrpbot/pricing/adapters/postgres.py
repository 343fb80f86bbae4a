"""Postgres adapters of the pricing service."""

from __future__ import annotations

from xrpbot.runtime.db import Conn
from xrpbot.runtime.uow import PgUnitOfWork

from ..domain import SpotPrice

__all__ = ["PgPriceStore", "PricingUnitOfWork"]


class PgPriceStore:
    """Last known spot prices in `pricing.spot_prices`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def last(self, vs_currency: str) -> SpotPrice | None:
        row = await self.conn.fetchrow(
            "SELECT vs_currency, price, change_24h_pct, as_of FROM spot_prices "
            "WHERE vs_currency = $1",
            vs_currency,
        )
        return SpotPrice(**dict(row)) if row else None

    async def save(self, price: SpotPrice) -> None:
        await self.conn.execute(
            "INSERT INTO spot_prices (vs_currency, price, change_24h_pct, as_of) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (vs_currency) DO UPDATE SET "
            "price = EXCLUDED.price, change_24h_pct = EXCLUDED.change_24h_pct, "
            "as_of = EXCLUDED.as_of, fetched_at = now()",
            price.vs_currency,
            price.price,
            price.change_24h_pct,
            price.as_of,
        )


class PricingUnitOfWork(PgUnitOfWork):
    """The pricing unit of work: prices + inbox + outbox in one transaction."""

    prices: PgPriceStore

    def bind(self) -> None:
        self.prices = PgPriceStore(self.conn)
