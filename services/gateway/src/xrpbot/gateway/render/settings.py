"""/settings screens: the user's preferences and daily limit with their buttons, and the
choices. Pure."""

from __future__ import annotations

from xrpbot.schemas import DailyLimitReported, DailyLimitSet

from ..domain.daily_limit import offered_limits_drops
from ..domain.preferences import Preferences, pick_locale
from .keyboards import (
    KEYBOARD_CURRENCIES,
    settings_currency_keyboard,
    settings_keyboard,
    settings_language_keyboard,
    settings_limit_keyboard,
)
from .message import Rendered
from .numbers import format_xrp
from .texts import settings

__all__ = ["currency_choice", "language_choice", "limit_choice", "preferences_screen"]


def preferences_screen(
    current: Preferences, language_code: str | None, limit: DailyLimitReported | DailyLimitSet
) -> Rendered:
    """The settings message: `current` preferences and wallet's `limit`, with four buttons.

    Args:
        current: the user's preferences.
        language_code: the user's Telegram language_code (the language in effect when they
            chose none).
        limit: wallet's answer: the daily limit in force and what is left of it (drops).
    """
    language = settings.LANGUAGE_NAMES[pick_locale(current.language, language_code)]
    currency = current.fiat_currency.upper()
    limit_xrp = format_xrp(limit.limit_drops)
    text = "\n\n".join(
        (
            settings.settings(
                language=language, currency=currency, notifications=current.notifications
            ),
            settings.settings_daily_limit(
                limit_xrp=limit_xrp,
                default_xrp=format_xrp(limit.default_limit_drops),
                own=limit.own,
                remaining_xrp=format_xrp(limit.remaining_today_drops),
            ),
        )
    )
    keyboard = settings_keyboard(
        language=language,
        currency=currency,
        notifications=current.notifications,
        limit_xrp=limit_xrp,
    )
    return Rendered(text, keyboard)


def language_choice(current: Preferences, language_code: str | None) -> Rendered:
    """/settings → Language: one button per language, the one in effect marked."""
    return Rendered(
        settings.settings_choose_language(),
        settings_language_keyboard(pick_locale(current.language, language_code)),
    )


def currency_choice(current: Preferences) -> Rendered:
    """/settings → Currency: the currencies offered, the user's marked."""
    return Rendered(
        settings.settings_choose_currency(),
        settings_currency_keyboard(list(KEYBOARD_CURRENCIES), current.fiat_currency),
    )


def limit_choice(limit: DailyLimitReported) -> Rendered:
    """/settings → Daily limit: the limits not above wallet's default, the one in force
    marked, and Default."""
    default = limit.default_limit_drops
    return Rendered(
        settings.settings_choose_limit(format_xrp(default)),
        settings_limit_keyboard(
            offered_limits_drops(default),
            limit_drops=limit.limit_drops,
            own=limit.own,
            default_drops=default,
        ),
    )
