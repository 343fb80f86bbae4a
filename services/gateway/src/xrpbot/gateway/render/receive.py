"""/receive's answer (the address, destination-tag guidance and a QR code of a payment link) and
incoming payments ("You received …"). Pure.

/receive asks GetBalance with a "receive" view (`domain.delivery.ReplyView`); its
BalanceReported becomes `receive_message` instead of the balance.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final
from urllib.parse import quote, urlencode

from xrpbot.schemas import BalanceReported, PaymentReceived

from .links import counterparty_text, tx_link, with_tx_button
from .message import Rendered
from .numbers import format_decimal, format_xrp
from .texts import receive

__all__ = ["PAYMENT_REQUEST_PREFIX", "payment_link", "payment_received", "receive_message"]

PAYMENT_REQUEST_PREFIX: Final = "https://xaman.app/detect/request:"
"""Xaman's universal payment-request link: ``<prefix><address>?amount=<XRP>``.

Source: https://docs.xaman.dev/simple-link-qr/payment-request-link — Xaman opens a payment
to the address (with the amount when given, in the network's native asset: XRP); a phone
without Xaman gets a web page with the request instead. Parameters: `amount` (optional,
decimal XRP), `network` (XRPL by default), `dt` (a destination tag; never needed here: the
address is the user's own). Other XRPL wallets read the same parameters after an `xrpl://`
prefix; the https form is used because any phone camera can open it.
"""


def payment_link(address: str, amount_drops: int | None = None) -> str:
    """The payment-request link for `address` (see `PAYMENT_REQUEST_PREFIX`).

    Args:
        address: a classic XRPL address.
        amount_drops: the amount to ask for, in drops; None lets the payer choose.

    Returns:
        e.g. ``https://xaman.app/detect/request:rPEPP…?amount=25`` (amount in XRP, no
        thousands separators, no trailing zeros).
    """
    link = PAYMENT_REQUEST_PREFIX + quote(address, safe="")
    if amount_drops is not None:
        xrp = format_decimal(Decimal(amount_drops).scaleb(-6)).replace(",", "")
        link += "?" + urlencode({"amount": xrp})
    return link


def receive_message(reply: BalanceReported, args: dict[str, Any]) -> Rendered:
    """BalanceReported shown as the "receive" view: the caption and the QR code's link.

    Args:
        reply: the wallet service's answer (its address).
        args: the view's data: {"amount_drops": int | None}.
    """
    raw = args.get("amount_drops")
    amount_drops = int(raw) if isinstance(raw, int) else None
    text = receive.receive(
        address=reply.address,
        amount_xrp=None if amount_drops is None else format_xrp(amount_drops),
    )
    return Rendered(text, qr=payment_link(reply.address, amount_drops))


def payment_received(reply: PaymentReceived, explorer_tx_url: str) -> Rendered:
    """XRP arrived at the user's account: amount, sender, tag, and a link to the transaction."""
    text = receive.payment_received(
        amount_xrp=format_xrp(reply.delivered_drops),
        sender=counterparty_text(reply.source),
        tag=reply.destination_tag,
        tx_link=tx_link(reply.tx_hash, explorer_tx_url),
    )
    return with_tx_button(text, reply.tx_hash, explorer_tx_url)
