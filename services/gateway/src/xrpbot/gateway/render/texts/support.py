"""The words of /support: the contact, its button and line in /help, or that there is none."""

from __future__ import annotations

from html import escape

from ..i18n import gettext as _

__all__ = ["help_line", "no_support", "support_button", "support_contact"]


def support_button() -> str:
    """Menu: the button that opens the support contact (a URL button)."""
    return _("🆘 Support")


def support_contact(contact: str) -> str:
    """/support with a contact configured.

    Args:
        contact: ``@username`` or an https URL (plain text).
    """
    return _(
        "🆘 <b>Support</b>\n\nIf something doesn't work or you have a question, write to "
        "{contact}. Never share your wallet's secret with anyone: support will never ask for it."
    ).format(contact=escape(contact))


def no_support() -> str:
    """/support when the bot has no support contact configured."""
    return _("This bot has no support contact configured. Send /help to see what I can do.")


def help_line(contact: str) -> str:
    """The line /help ends with when a support contact is configured.

    Args:
        contact: ``@username`` or an https URL (plain text).
    """
    return _("🆘 Support: {contact} (or send /support)").format(contact=escape(contact))
