"""The words of /settings: the preferences screen, its choices and buttons."""

from __future__ import annotations

from html import escape

from ..i18n import gettext as _

__all__ = [
    "LANGUAGE_NAMES",
    "back_button",
    "notifications_state",
    "settings",
    "settings_choose_currency",
    "settings_choose_language",
    "settings_currency_button",
    "settings_language_button",
    "settings_notifications_button",
    "settings_saved",
]


LANGUAGE_NAMES: dict[str, str] = {"en": "English", "es": "Español", "ru": "Русский"}
"""The languages /settings offers, each named in itself (never translated)."""


def settings(*, language: str, currency: str, notifications: bool) -> str:
    """/settings: the user's settings.

    Args:
        language: the language's own name (`LANGUAGE_NAMES`).
        currency: fiat code, upper case.
        notifications: incoming-payment alerts on.
    """
    return _(
        "⚙️ <b>Settings</b>\n\n"
        "🌐 Language: {language}\n"
        "💱 Currency: {currency}\n"
        "🔔 Payment notifications: {notifications}\n\n"
        "Notifications tell you when XRP arrives; payments always show in /history."
    ).format(
        language=escape(language),
        currency=escape(currency),
        notifications=notifications_state(notifications),
    )


def notifications_state(enabled: bool) -> str:
    """On or off, in words."""
    # TRANSLATORS: the state of payment notifications in /settings ("Payment notifications: on")
    return _("on") if enabled else _("off")


def settings_choose_language() -> str:
    """/settings → Language."""
    return _("🌐 Choose your language:")


def settings_choose_currency() -> str:
    """/settings → Currency."""
    return _("💱 Choose the currency prices and balances are shown in:")


def settings_language_button(language: str) -> str:
    """/settings: the Language button, with the current one."""
    return _("🌐 Language: {language}").format(language=language)


def settings_currency_button(currency: str) -> str:
    """/settings: the Currency button, with the current one."""
    return _("💱 Currency: {currency}").format(currency=currency)


def settings_notifications_button(enabled: bool) -> str:
    """/settings: the toggle, saying what pressing it does."""
    return _("🔕 Turn notifications off") if enabled else _("🔔 Turn notifications on")


def settings_saved() -> str:
    """Callback toast after a setting changed."""
    return _("Saved.")


def back_button() -> str:
    """Back to the previous screen."""
    return _("◀️ Back")
