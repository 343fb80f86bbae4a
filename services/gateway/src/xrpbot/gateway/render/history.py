"""/history's reply into a message: one page of payments with Previous/Next. Pure."""

from __future__ import annotations

import math
from datetime import UTC

from xrpbot.schemas import HistoryEntry, HistoryReported

from .keyboards import history_keyboard
from .links import counterparty_text, tx_link
from .message import Rendered
from .numbers import format_xrp
from .texts import history

__all__ = ["history_message"]


def _line(entry: HistoryEntry, explorer_tx_url: str) -> str:
    return history.history_line(
        outgoing=entry.direction == "out",
        amount_xrp=format_xrp(entry.amount_drops),
        counterparty=counterparty_text(entry.counterparty),
        when=entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        status=history.history_status(entry.status),
        tx_link=tx_link(entry.tx_hash, explorer_tx_url),
    )


def history_message(reply: HistoryReported, explorer_tx_url: str) -> Rendered:
    """One /history page (or that there are no payments yet), with its page buttons."""
    if reply.total == 0:
        return Rendered(history.history_empty())
    pages = max(1, math.ceil(reply.total / reply.page_size))
    if not reply.entries:  # a page past the end (the history shrank? never; be safe)
        lines = [history.history_empty()]
    else:
        lines = [_line(entry, explorer_tx_url) for entry in reply.entries]
    page = min(reply.page, pages - 1)
    text = history.history_page(lines=lines, page=page + 1, pages=pages, total=reply.total)
    return Rendered(text, history_keyboard(page, pages))
