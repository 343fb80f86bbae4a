"""/settings: read and change a user's preferences (language, fiat currency, notifications),
and ask wallet for the daily sending limit it keeps and to lower or reset it."""

from __future__ import annotations

from xrpbot.schemas import FIAT_CURRENCIES, GetDailyLimit, SetDailyLimit

from ..domain.daily_limit import UnknownLimitChoice, chosen_limit_drops
from ..domain.delivery import Placeholder, ReplyView
from ..domain.preferences import LOCALES, Preferences
from ..ports import Chat, UnitOfWork
from ..render.texts import settings
from .ask import Origin, ask

__all__ = [
    "LIMIT_CHOICE",
    "change_daily_limit",
    "change_preference",
    "choose_daily_limit",
    "open_settings",
    "preferences",
]

LIMIT_CHOICE = ReplyView("limit_choice", {})
"""How DailyLimitReported is shown after the Daily limit button: the limits to choose from."""


async def preferences(telegram_id: int, *, uow: UnitOfWork) -> Preferences:
    """The user's preferences (defaults when they never changed any)."""
    return await uow.preferences.get(telegram_id)


async def open_settings(
    origin: Origin, *, answer: Chat | Placeholder | None, uow: UnitOfWork
) -> None:
    """The settings screen: GetDailyLimit, whose reply (DailyLimitReported) is shown as the
    user's preferences with the limit wallet applies (`render.settings.preferences_screen`).

    Args:
        origin: who asks.
        answer: the chat (/settings answers "Opening your settings…"), the message a settings
            button is under (the screen replaces it), or None (a new message).
        uow: the update's unit of work.
    """
    await ask(GetDailyLimit, origin, uow=uow, answer=answer, waiting=settings.opening_settings())


async def choose_daily_limit(
    origin: Origin, *, answer: Placeholder | None, uow: UnitOfWork
) -> None:
    """/settings → Daily limit: GetDailyLimit shown as the limits to choose from (only those
    not above wallet's default, the one in force marked)."""
    await ask(GetDailyLimit, origin, uow=uow, answer=answer, view=LIMIT_CHOICE)


async def change_daily_limit(
    origin: Origin, value: str, *, answer: Placeholder | None, uow: UnitOfWork
) -> bool:
    """A limit button: SetDailyLimit, whose reply (DailyLimitSet) is the settings screen with
    the new limit. False (nothing published) when `value` is none of the choices.

    Args:
        origin: who asks.
        value: the button's value (`domain.daily_limit.chosen_limit_drops`).
        answer: the message the button is under, or None.
        uow: the update's unit of work.
    """
    try:
        limit_drops = chosen_limit_drops(value)
    except UnknownLimitChoice:
        return False
    await ask(SetDailyLimit, origin, uow=uow, answer=answer, limit_drops=limit_drops)
    return True


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
