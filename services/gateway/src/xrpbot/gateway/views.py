"""Replies shown another way than their default (issue 5), by the view stored with the command
(`ports.ReplyView`). Pure.

- "receive": /receive asks GetBalance; its BalanceReported becomes the address, the
  destination-tag guidance and a QR code of a payment link (`payment_link`).
- "stats": an admin's /stats asks GetStats; StatsReported is shown with the gateway's own
  numbers (users, queue depths) gathered when the command was sent.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, Final
from urllib.parse import quote, urlencode

from xrpbot.schemas import AnyReply, BalanceReported, StatsReported

from . import texts
from .formatting import DROPS_PER_XRP, format_decimal, format_xrp
from .ports import ReplyView
from .render import Rendered

__all__ = [
    "MAX_RECEIVE_DROPS",
    "PAYMENT_REQUEST_PREFIX",
    "ReceiveAmountError",
    "parse_receive_amount",
    "payment_link",
    "render_view",
]

PAYMENT_REQUEST_PREFIX: Final = "https://xaman.app/detect/request:"
"""Xaman's universal payment-request link: ``<prefix><address>?amount=<XRP>``.

Source: https://docs.xaman.dev/simple-link-qr/payment-request-link — Xaman opens a payment
to the address (with the amount when given, in the network's native asset: XRP); a phone
without Xaman gets a web page with the request instead. Parameters: `amount` (optional,
decimal XRP), `network` (XRPL by default), `dt` (a destination tag; never needed here: the
address is the user's own). Other XRPL wallets read the same parameters after an `xrpl://`
prefix; the https form is used because any phone camera can open it.
"""

MAX_RECEIVE_DROPS: Final = 100_000_000_000 * DROPS_PER_XRP
"""No amount above XRP's total supply (100 billion XRP) can be asked for."""

_AMOUNT: Final = re.compile(r"(?i)\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(?:xrp)?\s*")


class ReceiveAmountError(ValueError):
    """`/receive <words>`: the words are not a positive XRP amount with at most 6 decimals."""


def parse_receive_amount(args: str | None) -> int | None:
    """The amount of `/receive [amount]` in drops; None without one.

    Args:
        args: the words after /receive: ``25``, ``0.5``, ``25 XRP``.

    Raises:
        ReceiveAmountError: not a positive amount of XRP with at most 6 decimals.
    """
    if args is None or not args.strip():
        return None
    found = _AMOUNT.fullmatch(args)
    if found is None:
        raise ReceiveAmountError(args)
    try:
        drops = Decimal(found.group(1)) * DROPS_PER_XRP
    except InvalidOperation:
        raise ReceiveAmountError(args) from None
    if drops != drops.to_integral_value() or not 0 < drops <= MAX_RECEIVE_DROPS:
        raise ReceiveAmountError(args)
    return int(drops)


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


def _receive(reply: BalanceReported, args: dict[str, Any]) -> Rendered:
    raw = args.get("amount_drops")
    amount_drops = int(raw) if isinstance(raw, int) else None
    text = texts.receive(
        address=reply.address,
        amount_xrp=None if amount_drops is None else format_xrp(amount_drops),
    )
    return Rendered(text, qr=payment_link(reply.address, amount_drops))


def _count(value: int) -> str:
    return format_decimal(Decimal(value))


def _stats(reply: StatsReported, args: dict[str, Any]) -> Rendered:
    queues: dict[str, Any] = args.get("queues") or {}
    lines = [
        texts.stats_queue_line(name, depth if isinstance(depth, int) else None)
        for name, depth in queues.items()
    ]
    text = texts.stats(
        day=reply.since.strftime("%Y-%m-%d"),
        users=int(args.get("users", 0)),
        active_today=int(args.get("active_today", 0)),
        inactive=int(args.get("inactive", 0)),
        wallets=_count(reply.wallets),
        wallets_today=_count(reply.wallets_today),
        payments_today=_count(reply.payments_today),
        volume_today_xrp=format_xrp(reply.volume_today_drops),
        failed_today=_count(reply.failed_today),
        incoming_today=_count(reply.incoming_today),
        incoming_volume_today_xrp=format_xrp(reply.incoming_volume_today_drops),
        queues=lines,
    )
    return Rendered(text)


def render_view(reply: AnyReply, view: ReplyView | None) -> Rendered | None:
    """The message for `reply` shown as `view`; None when the default rendering applies.

    StatsReported is always rendered here (without a view: without the gateway's numbers).
    """
    if isinstance(reply, StatsReported):
        return _stats(reply, view.args if view is not None else {})
    if view is None:
        return None
    if view.view == "receive" and isinstance(reply, BalanceReported):
        return _receive(reply, view.args)
    return None
