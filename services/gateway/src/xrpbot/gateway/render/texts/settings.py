"""The words of /settings: the preferences screen, its choices and buttons, the daily limit."""

from __future__ import annotations

from html import escape

from ..i18n import gettext as _

__all__ = [
    "LANGUAGE_NAMES",
    "back_button",
    "notifications_state",
    "opening_settings",
    "settings",
    "settings_choose_currency",
    "settings_choose_language",
    "settings_choose_limit",
    "settings_currency_button",
    "settings_daily_limit",
    "settings_default_limit_button",
    "settings_language_button",
    "settings_limit_button",
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


def settings_daily_limit(
    *, limit_xrp: str, default_xrp: str, own: bool, remaining_xrp: str
) -> str:
    """/settings: the rolling 24-hour sending limit wallet keeps, and what is left of it.

    Args:
        limit_xrp: the limit in force; default_xrp: wallet's default (both formatted XRP).
        own: the user's own (lower) limit is in force.
        remaining_xrp: what may still be sent in the next 24 hours.
    """
    if own:
        text = _(
            "📉 Daily sending limit: {limit} XRP (yours; the default is {default} XRP)\n"
            "You can send up to {remaining} XRP more in the next 24 hours."
        )
    else:
        text = _(
            "📉 Daily sending limit: {limit} XRP (the default)\n"
            "You can send up to {remaining} XRP more in the next 24 hours."
        )
    return text.format(limit=limit_xrp, default=default_xrp, remaining=remaining_xrp)


def opening_settings() -> str:
    """/settings: the placeholder while wallet reports the daily limit."""
    return _("⚙️ Opening your settings…")


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


def settings_choose_limit(default_xrp: str) -> str:
    """/settings → Daily limit: what the limit is, and that it can only be lowered."""
    return _(
        "📉 Choose your daily sending limit. The wallet signs no more than this in any 24 "
        "hours, whoever asks. You can lower it below the default of {default} XRP, never "
        "raise it above."
    ).format(default=default_xrp)


def settings_limit_button(limit_xrp: str) -> str:
    """/settings: the Daily limit button, with the limit in force."""
    return _("📉 Daily limit: {limit} XRP").format(limit=limit_xrp)


def settings_default_limit_button(default_xrp: str) -> str:
    """/settings → Daily limit: back to wallet's default."""
    return _("Default ({default} XRP)").format(default=default_xrp)


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
