"""/settings screens: the user's preferences with their buttons, and the choices. Pure."""

from __future__ import annotations

from ..domain.preferences import Preferences, pick_locale
from .keyboards import (
    KEYBOARD_CURRENCIES,
    settings_currency_keyboard,
    settings_keyboard,
    settings_language_keyboard,
)
from .message import Rendered
from .texts import settings

__all__ = ["currency_choice", "language_choice", "preferences_screen"]


def preferences_screen(current: Preferences, language_code: str | None) -> Rendered:
    """The settings message for `current`: its text and its three buttons.

    Args:
        current: the user's preferences.
        language_code: the user's Telegram language_code (the language in effect when they
            chose none).
    """
    language = settings.LANGUAGE_NAMES[pick_locale(current.language, language_code)]
    currency = current.fiat_currency.upper()
    text = settings.settings(
        language=language, currency=currency, notifications=current.notifications
    )
    keyboard = settings_keyboard(
        language=language, currency=currency, notifications=current.notifications
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
