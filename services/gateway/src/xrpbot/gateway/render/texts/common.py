"""The bot's words shared by every feature: welcome, help, the menu, groups, throttling, ages."""

from __future__ import annotations

from html import escape

from ..i18n import gettext as _
from ..i18n import ngettext

__all__ = [
    "RESERVES_URL",
    "age_days",
    "age_hours",
    "age_just_now",
    "age_minutes",
    "bot_commands",
    "button_expired",
    "continue_in_private_button",
    "counterparty_tag",
    "group_private_only_toast",
    "help_text",
    "menu",
    "menu_balance_button",
    "menu_expired",
    "menu_help_button",
    "menu_history_button",
    "menu_prices_button",
    "menu_receive_button",
    "menu_send_button",
    "menu_settings_button",
    "not_understood",
    "private_chat_only",
    "slow_down",
    "something_went_wrong",
    "start",
]


RESERVES_URL = "https://xrpl.org/docs/concepts/accounts/reserves"
"""What the reserve is, for the balance message."""


def _commands() -> str:
    return _(
        "/menu — the menu with buttons\n"
        "/wallet — create your wallet, or show the one you have\n"
        "/balance — your balance, the reserve and what you can spend\n"
        "/send — send XRP to a bot user (@username) or an XRPL address\n"
        "/receive — your address and a QR code (try /receive 25)\n"
        "/history — your payments, sent and received\n"
        "/prices — the XRP price and its chart (try /prices eur 30d)\n"
        "/settings — language, currency and notifications\n"
        "/help — the commands and how this bot works"
    )


def start(first_name: str) -> str:
    """/start: welcome, what the bot does, how to begin, the commands."""
    greeting = (
        _("👋 Hi, {name}!").format(name=escape(first_name)) if first_name.strip() else _("👋 Hi!")
    )
    return _(
        "{greeting}\n\n"
        "I'm a wallet for the XRP Ledger that lives in this chat. I create an XRPL account for "
        "you and keep its keys safe, so you can check your balance with a message.\n\n"
        "I run on the XRPL <b>Testnet</b>: the XRP there is test money with no real value, "
        "made for trying things out.\n\n"
        "To begin, send /wallet — I'll create your wallet and fund it with test XRP from the "
        "Testnet faucet.\n\n"
        "<b>Commands</b>\n"
        "{commands}"
    ).format(greeting=greeting, commands=_commands())


def help_text(support_line: str | None = None) -> str:
    """/help: one line per command, what custodial means, and the support line when there is
    one (`texts.support.help_line`)."""
    text = _(
        "<b>Commands</b>\n"
        "{commands}\n"
        "/start — the welcome message\n"
        "/support — how to reach a person who can help\n\n"
        "<b>Custodial</b> means this bot holds your wallet's secret keys for you: you don't "
        "have to store them, but you trust the bot with them.\n\n"
        "Everything happens on the XRPL <b>Testnet</b>, where XRP has no real value."
    ).format(commands=_commands())
    return text if support_line is None else f"{text}\n\n{support_line}"


def not_understood() -> str:
    """Unknown commands and plain text."""
    return _("I didn't catch that. Send /help to see what I can do.")


def private_chat_only() -> str:
    """A private command (wallet, balance, send, …) sent in a group: continue in private."""
    return _(
        "🔒 I keep wallets private, so I don't show balances, addresses or payments in groups. "
        "Let's continue in a private chat."
    )


def counterparty_tag(who: str, tag: int) -> str:
    """The other side of a payment with its destination tag: ``rPEPP…6GDY (tag 12345)``.

    Args:
        who: escaped HTML (``@bob`` or a shortened address).
        tag: the destination tag.
    """
    return _("{who} (tag {tag})").format(who=who, tag=tag)


def age_just_now() -> str:
    """An age under a minute."""
    return _("just now")


def age_minutes(minutes: int) -> str:
    """An age in minutes (1-59)."""
    return _("{n} min ago").format(n=minutes)


def age_hours(hours: int) -> str:
    """An age in hours (1-47)."""
    return _("{n} h ago").format(n=hours)


def age_days(days: int) -> str:
    """An age in days (2 or more)."""
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def bot_commands() -> list[tuple[str, str]]:
    """The command list registered with setMyCommands: (command without /, description).

    Descriptions are 1-256 characters (https://core.telegram.org/bots/api#botcommand).
    """
    return [
        ("menu", _("Open the menu")),
        ("balance", _("Your balance and what you can spend")),
        ("send", _("Send XRP")),
        ("receive", _("Your address and QR code to receive XRP")),
        ("history", _("Your payments")),
        ("prices", _("The XRP price and its chart")),
        ("wallet", _("Create your wallet, or show it")),
        ("settings", _("Language, currency, notifications")),
        ("help", _("How this bot works")),
        ("support", _("Contact support")),
    ]


def menu() -> str:
    """/menu: the line above the menu buttons."""
    return _("What would you like to do?")


def menu_balance_button() -> str:
    """Menu: /balance."""
    return _("💰 Balance")


def menu_send_button() -> str:
    """Menu: /send."""
    return _("📤 Send")


def menu_receive_button() -> str:
    """Menu: /receive."""
    return _("📥 Receive")


def menu_history_button() -> str:
    """Menu: /history."""
    return _("🧾 History")


def menu_prices_button() -> str:
    """Menu: /prices."""
    return _("📈 Prices")


def menu_settings_button() -> str:
    """Menu: /settings."""
    return _("⚙️ Settings")


def menu_help_button() -> str:
    """Menu: /help."""
    return _("❓ Help")


def menu_expired() -> str:
    """A press on a menu too old to answer in place (callback toast)."""
    return _("This menu is too old — send /menu for a new one.")


def slow_down() -> str:
    """The one notice a user gets when they send commands faster than the bot takes them."""
    return _(
        "🐢 You're going a little fast — please slow down. I'll take your next command in a "
        "moment; the ones you just sent were skipped."
    )


def group_private_only_toast() -> str:
    """A button of a private feature pressed in a group (callback toast, at most 200 characters)."""
    return _("I keep wallets private — open a private chat with me to continue.")


def continue_in_private_button() -> str:
    """The deep-link button from a group to the private chat."""
    return _("🔒 Continue in private chat")


def something_went_wrong() -> str:
    """An update that failed for a reason of ours: its effects were undone (message or toast)."""
    return _("Sorry — that didn't work, and nothing changed. Please try again.")


def button_expired() -> str:
    """A button whose data the bot does not know (old, or forged): callback toast."""
    return _("This button is no longer valid.")
