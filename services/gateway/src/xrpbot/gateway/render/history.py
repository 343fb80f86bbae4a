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
    """One /history page with its page buttons; that there are no payments yet; or, for a
    page after the last, that there is no such page, with a button to the last one."""
    if reply.total == 0:
        return Rendered(history.history_empty())
    pages = max(1, math.ceil(reply.total / reply.page_size))
    if reply.page >= pages or not reply.entries:  # /history 50 with fewer pages
        # its Previous button leads to the last page
        text = history.history_past_the_end(page=reply.page + 1, pages=pages)
        return Rendered(text, history_keyboard(pages, pages))
    lines = [_line(entry, explorer_tx_url) for entry in reply.entries]
    text = history.history_page(lines=lines, page=reply.page + 1, pages=pages, total=reply.total)
    return Rendered(text, history_keyboard(reply.page, pages))
