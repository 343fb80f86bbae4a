"""Postgres store of users' preferences (`user_settings`, migrations/0004_fiat_currency.sql and
0005_settings_throttle_admin.sql): language and notifications; the fiat currency is
`fiat.PgFiatStore`'s."""

from __future__ import annotations

from xrpbot.runtime.db import Conn

from ...domain.preferences import DEFAULT_CURRENCY, Preferences

__all__ = ["PgPreferencesStore"]


class PgPreferencesStore:
    """`ports.PreferencesStore` on one connection (the unit of work's transaction)."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get(self, telegram_id: int) -> Preferences:
        # one row even for a user who never changed a setting (the LEFT JOIN's NULLs); the
        # private chat's id is the user's id
        row = await self.conn.fetchrow(
            "SELECT s.language, s.fiat_currency, s.notifications, "
            "(SELECT c.language_code FROM chats c WHERE c.chat_id = $1) AS telegram_language "
            "FROM (SELECT $1::bigint AS telegram_id) AS u "
            "LEFT JOIN user_settings s ON s.telegram_id = u.telegram_id",
            telegram_id,
        )
        assert row is not None  # noqa: S101  a SELECT without WHERE on one row returns it
        return Preferences(
            language=row["language"],
            fiat_currency=row["fiat_currency"] or DEFAULT_CURRENCY,
            notifications=True if row["notifications"] is None else row["notifications"],
            telegram_language=row["telegram_language"],
        )

    async def set_language(self, telegram_id: int, language: str) -> None:
        await self.conn.execute(
            "INSERT INTO user_settings (telegram_id, language) VALUES ($1, $2) "
            "ON CONFLICT (telegram_id) DO UPDATE SET language = EXCLUDED.language, "
            "updated_at = now()",
            telegram_id,
            language,
        )

    async def set_notifications(self, telegram_id: int, enabled: bool) -> None:
        await self.conn.execute(
            "INSERT INTO user_settings (telegram_id, notifications) VALUES ($1, $2) "
            "ON CONFLICT (telegram_id) DO UPDATE SET notifications = EXCLUDED.notifications, "
            "updated_at = now()",
            telegram_id,
            enabled,
        )
