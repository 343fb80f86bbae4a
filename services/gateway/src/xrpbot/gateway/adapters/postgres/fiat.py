"""Postgres store of fiat preferences and rates (migrations/0004_fiat_currency.sql):
`user_settings` (each user's fiat currency) and `fiat_rates` (the latest XRP price per currency).
"""

from __future__ import annotations

from collections.abc import Sequence

from xrpbot.runtime.db import Conn

from ...domain.fiat import FiatQuote
from ...domain.preferences import DEFAULT_CURRENCY

__all__ = ["PgFiatStore"]


class PgFiatStore:
    """`ports.FiatStore` on one connection (the unit of work's transaction)."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def currency(self, telegram_id: int) -> str:
        code = await self.conn.fetchval(
            "SELECT fiat_currency FROM user_settings WHERE telegram_id = $1", telegram_id
        )
        return str(code) if code else DEFAULT_CURRENCY

    async def set_currency(self, telegram_id: int, currency: str) -> None:
        await self.conn.execute(
            "INSERT INTO user_settings (telegram_id, fiat_currency) VALUES ($1, $2) "
            "ON CONFLICT (telegram_id) DO UPDATE SET fiat_currency = EXCLUDED.fiat_currency, "
            "updated_at = now() WHERE user_settings.fiat_currency <> EXCLUDED.fiat_currency",
            telegram_id,
            currency,
        )

    async def quote(self, telegram_id: int) -> FiatQuote | None:
        row = await self.conn.fetchrow(
            "SELECT r.vs_currency, r.price, r.as_of FROM fiat_rates r "
            "WHERE r.vs_currency = coalesce("
            "(SELECT fiat_currency FROM user_settings WHERE telegram_id = $1), $2)",
            telegram_id,
            DEFAULT_CURRENCY,
        )
        return FiatQuote(row["vs_currency"], row["price"], row["as_of"]) if row else None

    async def rate(self, currency: str) -> FiatQuote | None:
        row = await self.conn.fetchrow(
            "SELECT vs_currency, price, as_of FROM fiat_rates WHERE vs_currency = $1", currency
        )
        return FiatQuote(row["vs_currency"], row["price"], row["as_of"]) if row else None

    async def save_rates(self, quotes: Sequence[FiatQuote]) -> int:
        changed = 0
        for quote in quotes:
            # a late or redelivered event never replaces a newer rate
            status = await self.conn.execute(
                "INSERT INTO fiat_rates (vs_currency, price, as_of) VALUES ($1, $2, $3) "
                "ON CONFLICT (vs_currency) DO UPDATE SET price = EXCLUDED.price, "
                "as_of = EXCLUDED.as_of, received_at = now() "
                "WHERE fiat_rates.as_of < EXCLUDED.as_of",
                quote.currency,
                quote.price,
                quote.as_of,
            )
            changed += int(status.rsplit(" ", 1)[-1])
        return changed
