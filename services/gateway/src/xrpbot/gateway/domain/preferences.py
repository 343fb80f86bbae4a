"""A user's preferences (what /settings changes) and which language the bot writes to them in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["DEFAULT_CURRENCY", "DEFAULT_LOCALE", "LOCALES", "Preferences", "pick_locale"]

DEFAULT_CURRENCY: Final = "usd"
"""The fiat currency of a user who has not chosen one."""
DEFAULT_LOCALE: Final = "en"
"""The source language, and the language of everyone we know nothing about."""
LOCALES: Final = ("en", "es", "ru")
"""The bot's languages, as /settings offers them (`render.texts.settings.LANGUAGE_NAMES`)."""


@dataclass(frozen=True, slots=True)
class Preferences:
    """One user's preferences, as /settings shows and changes them.

    Attributes:
        language: "en", "es" or "ru" as chosen; None to follow Telegram's language_code.
        fiat_currency: lower-case ISO code (usd when never chosen).
        notifications: False silences "You received …" alerts (the payment stays in /history).
        telegram_language: the language_code Telegram last gave for the user's private chat
            (`chats`), for messages that carry none (an incoming payment's alert, admin alerts).
    """

    language: str | None
    fiat_currency: str
    notifications: bool
    telegram_language: str | None = None


def pick_locale(chosen: str | None, language_code: str | None) -> str:
    """The language to write to a user in.

    Args:
        chosen: the language stored from /settings, or None (follow Telegram).
        language_code: the user's Telegram ``language_code`` (an IETF tag such as ``es``,
            ``pt-br``, ``ru-RU``; https://core.telegram.org/bots/api#user), when known.

    Returns:
        `chosen` when it is one of `LOCALES`, else the language part of `language_code` when
        that is, else `DEFAULT_LOCALE`.
    """
    if chosen in LOCALES:
        return chosen
    language = (language_code or "").replace("_", "-").split("-", 1)[0].strip().lower()
    return language if language in LOCALES else DEFAULT_LOCALE
