"""Every word the bot says to people, in one place (English for now).

Texts are HTML for Telegram's `parse_mode=HTML` (https://core.telegram.org/bots/api#html-style):
only <b>, <i>, <code>, <a href> are used, and every value that comes from outside (names,
addresses) is escaped here with `html.escape`. Each text is a function whose message is one
string literal filled with `str.format`, so a later gettext pass can wrap the literal in `_()`
(and `ngettext`) without changing any caller.
"""

# ruff: noqa: UP032  each message is one literal + str.format, so gettext can wrap the literal

from __future__ import annotations

from html import escape

__all__ = [
    "RESERVES_URL",
    "account_not_funded",
    "balance",
    "checking_balance",
    "creating_wallet",
    "explorer_button",
    "faucet_unavailable",
    "fetching_prices",
    "help_text",
    "internal_error",
    "ledger_unavailable",
    "not_understood",
    "price",
    "prices_unavailable",
    "private_chat_only",
    "start",
    "wallet_exists",
    "wallet_not_found",
    "wallet_not_funded_yet",
    "wallet_ready",
]

RESERVES_URL = "https://xrpl.org/docs/concepts/accounts/reserves"
"""What the reserve is, for the balance message."""


def _commands() -> str:
    return (
        "/wallet — create your wallet, or show the one you have\n"
        "/balance — your balance, the reserve and what you can spend\n"
        "/prices — the XRP price in US dollars\n"
        "/help — the commands and how this bot works"
    )


# ---- conversation ---------------------------------------------------------------------------


def start(first_name: str) -> str:
    """/start: welcome, what the bot does, how to begin, the commands."""
    greeting = "👋 Hi, {name}!".format(name=escape(first_name)) if first_name.strip() else "👋 Hi!"
    return (
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


def help_text() -> str:
    """/help: one line per command and what custodial means."""
    return (
        "<b>Commands</b>\n"
        "{commands}\n"
        "/start — the welcome message\n\n"
        "<b>Custodial</b> means this bot holds your wallet's secret keys for you: you don't "
        "have to store them, but you trust the bot with them.\n\n"
        "Everything happens on the XRPL <b>Testnet</b>, where XRP has no real value."
    ).format(commands=_commands())


def not_understood() -> str:
    """Unknown commands and plain text."""
    return "I didn't catch that. Send /help to see what I can do."


def private_chat_only() -> str:
    """Wallet commands sent in a group: wallets are private."""
    return "For your privacy, I handle wallets only in a private chat with me."


# ---- placeholders (answered at once, edited into the result) --------------------------------


def creating_wallet() -> str:
    """Placeholder while the wallet service creates and funds the account."""
    return "Creating your wallet…"


def fetching_prices() -> str:
    """Placeholder while the pricing service asks the market-data source."""
    return "Fetching the XRP price…"


def checking_balance() -> str:
    """Placeholder while the wallet service reads a validated ledger."""
    return "Checking your balance…"


# ---- results ---------------------------------------------------------------------------------


def wallet_ready(address: str, funded_xrp: str | None) -> str:
    """A new wallet, funded by the faucet.

    Args:
        address: classic address.
        funded_xrp: the balance the faucet paid, already formatted as XRP, when known.
    """
    if funded_xrp is None:
        funding = "It has been funded from the Testnet faucet."
    else:
        funding = "It was funded with {xrp} XRP from the Testnet faucet.".format(xrp=funded_xrp)
    return (
        "✅ <b>Your wallet is ready!</b>\n\n"
        "Address: <code>{address}</code>\n"
        "{funding} Testnet XRP has no real value.\n\n"
        "Next: send /balance to see your balance and how much you can spend."
    ).format(address=escape(address), funding=funding)


def wallet_exists(address: str, funded_xrp: str | None) -> str:
    """/wallet again: the wallet the user already has.

    Args:
        address: classic address.
        funded_xrp: when the faucet funded it just now, the balance it paid (formatted XRP).
    """
    funding = (
        ""
        if funded_xrp is None
        else "\nIt has now been funded with {xrp} XRP from the Testnet faucet.".format(
            xrp=funded_xrp
        )
    )
    return (
        "You already have a wallet on the XRP Ledger Testnet.\n\n"
        "Address: <code>{address}</code>{funding}\n\n"
        "Send /balance to see your balance."
    ).format(address=escape(address), funding=funding)


def wallet_not_funded_yet(address: str) -> str:
    """The account exists but the faucet's payment is not in a validated ledger yet."""
    return (
        "Your wallet address is <code>{address}</code>, but the faucet has not funded it "
        "yet; send /wallet again in a minute."
    ).format(address=escape(address))


def balance(*, address: str, balance_xrp: str, reserve_xrp: str, spendable_xrp: str) -> str:
    """/balance: balance, the reserve in one sentence with a link, spendable, address.

    Args:
        address: classic address.
        balance_xrp, reserve_xrp, spendable_xrp: amounts already formatted as XRP.
    """
    return (
        "💰 <b>Balance:</b> {balance} XRP\n"
        "✅ <b>Spendable:</b> {spendable} XRP\n\n"
        "The XRP Ledger keeps {reserve} XRP of every account as a reserve that can't be "
        'sent (<a href="{url}">why?</a>).\n\n'
        "Address: <code>{address}</code>"
    ).format(
        balance=balance_xrp,
        spendable=spendable_xrp,
        reserve=reserve_xrp,
        url=RESERVES_URL,
        address=escape(address),
    )


def price(*, currency: str, price_text: str, change_text: str | None, as_of: str) -> str:
    """XRP's spot price.

    Args:
        currency: fiat code, upper case (USD).
        price_text: price of 1 XRP, formatted.
        change_text: 24 h change, formatted with its sign and %, when known.
        as_of: when the source updated it, formatted (UTC).
    """
    change = "" if change_text is None else " ({change} in 24 h)".format(change=change_text)
    return ("📈 <b>1 XRP = {price} {currency}</b>{change}\nAs of {as_of}.").format(
        price=price_text, currency=escape(currency), change=change, as_of=as_of
    )


def explorer_button() -> str:
    """Label of the button that opens the account in the Testnet explorer."""
    return "View on the Testnet explorer"


# ---- errors, by code -------------------------------------------------------------------------


def wallet_not_found() -> str:
    """ErrorCode.WALLET_NOT_FOUND."""
    return "You don't have a wallet yet — send /wallet to create one."


def account_not_funded() -> str:
    """ErrorCode.ACCOUNT_NOT_FOUND: the account is not in a validated ledger yet."""
    return (
        "Your wallet isn't funded yet: the Testnet faucet hasn't paid into it. "
        "Send /wallet again in a minute."
    )


def ledger_unavailable() -> str:
    """ErrorCode.LEDGER_UNAVAILABLE."""
    return "The XRP Ledger isn't answering right now. Your funds are safe; try again in a minute."


def faucet_unavailable() -> str:
    """ErrorCode.FAUCET_UNAVAILABLE."""
    return "The Testnet faucet isn't answering right now. Send /wallet again in a minute."


def prices_unavailable() -> str:
    """ErrorCode.PRICES_UNAVAILABLE."""
    return "Prices aren't available right now. Please try again in a minute."


def internal_error() -> str:
    """ErrorCode.INTERNAL, or a code this gateway does not know yet."""
    return "Sorry — something went wrong on our side. Please try again in a minute."
