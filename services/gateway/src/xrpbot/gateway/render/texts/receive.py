"""The words of /receive and of incoming payments ("You received …")."""

from __future__ import annotations

from html import escape

from ..i18n import gettext as _

__all__ = [
    "getting_address",
    "payment_received",
    "receive",
    "receive_usage",
]


def payment_received(*, amount_xrp: str, sender: str, tag: int | None, tx_link: str) -> str:
    """PaymentReceived: XRP arrived at the user's account.

    Args:
        sender: escaped counterparty text (HTML).
        tag: the destination tag the payment carried.
    """
    tag_text = "" if tag is None else " " + _("(destination tag {tag})").format(tag=tag)
    return _("📥 You received <b>{amount} XRP</b> from {sender}{tag_text} · {tx}").format(
        amount=amount_xrp, sender=sender, tag_text=tag_text, tx=tx_link
    )


def getting_address() -> str:
    """Placeholder while /receive asks the wallet service for the address."""
    return _("Getting your address…")


def receive(*, address: str, amount_xrp: str | None) -> str:
    """/receive: the caption of the QR code (at most 1024 characters).

    Args:
        address: the user's classic address.
        amount_xrp: the requested amount (formatted XRP), when one was given.
    """
    ask = (
        ""
        if amount_xrp is None
        else _("The QR code asks for <b>{amount} XRP</b>.").format(amount=amount_xrp) + "\n\n"
    )
    return _(
        "📥 <b>Receive XRP</b>\n\n"
        "Your address:\n<code>{address}</code>\n\n"
        "{ask}"
        "<b>No destination tag is needed</b> for this wallet: it is yours alone. (Exchanges "
        "ask for their own tag when you send to them — not when they send to you.)\n\n"
        "Scan the QR code with an XRPL wallet such as Xaman, or copy the address. This is the "
        "XRPL Testnet: send only Testnet XRP."
    ).format(address=escape(address), ask=ask)


def receive_usage() -> str:
    """/receive with words that are not an amount."""
    return _(
        "To ask for an amount, write it in XRP: <code>/receive 25</code> or "
        "<code>/receive 0.5</code>. Send /receive alone for your address."
    )
