"""The words of /wallet and /balance."""

from __future__ import annotations

from html import escape

from ..i18n import gettext as _
from .common import RESERVES_URL

__all__ = [
    "balance",
    "checking_balance",
    "creating_wallet",
    "explorer_button",
    "wallet_exists",
    "wallet_not_funded_yet",
    "wallet_ready",
]


def creating_wallet() -> str:
    """Placeholder while the wallet service creates and funds the account."""
    return _("Creating your wallet…")


def checking_balance() -> str:
    """Placeholder while the wallet service reads a validated ledger."""
    return _("Checking your balance…")


def wallet_ready(address: str, funded_xrp: str | None) -> str:
    """A new wallet, funded by the faucet.

    Args:
        address: classic address.
        funded_xrp: the balance the faucet paid, already formatted as XRP, when known.
    """
    if funded_xrp is None:
        funding = _("It has been funded from the Testnet faucet.")
    else:
        funding = _("It was funded with {xrp} XRP from the Testnet faucet.").format(xrp=funded_xrp)
    return _(
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
        else "\n"
        + _("It has now been funded with {xrp} XRP from the Testnet faucet.").format(
            xrp=funded_xrp
        )
    )
    return _(
        "You already have a wallet on the XRP Ledger Testnet.\n\n"
        "Address: <code>{address}</code>{funding}\n\n"
        "Send /balance to see your balance."
    ).format(address=escape(address), funding=funding)


def wallet_not_funded_yet(address: str) -> str:
    """The account exists but the faucet's payment is not in a validated ledger yet."""
    return _(
        "Your wallet address is <code>{address}</code>, but the faucet has not funded it "
        "yet; send /wallet again in a minute."
    ).format(address=escape(address))


def balance(
    *,
    address: str,
    balance_xrp: str,
    reserve_xrp: str,
    spendable_xrp: str,
    balance_fiat: str | None = None,
    spendable_fiat: str | None = None,
) -> str:
    """/balance: balance, the reserve in one sentence with a link, spendable, address.

    Args:
        address: classic address.
        balance_xrp, reserve_xrp, spendable_xrp: amounts already formatted as XRP.
        balance_fiat, spendable_fiat: fiat equivalents (`fiat_equivalent`), when a rate is known.
    """
    return _(
        "💰 <b>Balance:</b> {balance} XRP{balance_fiat}\n"
        "✅ <b>Spendable:</b> {spendable} XRP{spendable_fiat}\n\n"
        "The XRP Ledger keeps {reserve} XRP of every account as a reserve that can't be "
        'sent (<a href="{url}">why?</a>).\n\n'
        "Address: <code>{address}</code>"
    ).format(
        balance=balance_xrp,
        balance_fiat="" if balance_fiat is None else " " + balance_fiat,
        spendable=spendable_xrp,
        spendable_fiat="" if spendable_fiat is None else " " + spendable_fiat,
        reserve=reserve_xrp,
        url=RESERVES_URL,
        address=escape(address),
    )


def explorer_button() -> str:
    """Label of the button that opens the account in the Testnet explorer."""
    return _("View on the Testnet explorer")
