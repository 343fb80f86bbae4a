"""/settings: read and change a user's preferences (language, fiat currency, notifications)."""

from __future__ import annotations

from xrpbot.schemas import FIAT_CURRENCIES

from ..domain.preferences import LOCALES, Preferences
from ..ports import UnitOfWork

__all__ = ["change_preference", "preferences"]


async def preferences(telegram_id: int, *, uow: UnitOfWork) -> Preferences:
    """The user's preferences (defaults when they never changed any)."""
    return await uow.preferences.get(telegram_id)


async def change_preference(telegram_id: int, what: str, value: str, *, uow: UnitOfWork) -> bool:
    """Store one preference from a /settings button; False when nothing was stored.

    Args:
        telegram_id: the user.
        what: ``lang`` (value: a code of `LOCALES`), ``fiat`` (a code of `FIAT_CURRENCIES`)
            or ``notif`` (value "1" on, "0" off).
        value: the new value; anything else is ignored.
        uow: the update's unit of work.
    """
    if what == "lang" and value in LOCALES:
        await uow.preferences.set_language(telegram_id, value)
        return True
    if what == "fiat" and value in FIAT_CURRENCIES:
        await uow.fiat.set_currency(telegram_id, value)
        return True
    if what == "notif" and value in {"0", "1"}:
        await uow.preferences.set_notifications(telegram_id, value == "1")
        return True
    return False
