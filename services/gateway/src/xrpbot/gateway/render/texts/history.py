"""The words of /history: pages, entries, statuses and page buttons."""

# ruff: noqa: UP032  each message is one literal + str.format, so gettext can extract the literal

from __future__ import annotations

from html import escape

from ..i18n import gettext as _
from ..i18n import ngettext

__all__ = [
    "history_empty",
    "history_line",
    "history_no_such_page",
    "history_page",
    "history_past_the_end",
    "history_status",
    "loading_history",
    "next_button",
    "previous_button",
]


def previous_button() -> str:
    """History: the newer page."""
    return _("◀️ Previous")


def next_button() -> str:
    """History: the older page."""
    return _("Next ▶️")


def loading_history() -> str:
    """Placeholder while the transfer service reads the history."""
    return _("Loading your payments…")


def history_empty() -> str:
    """/history with no payments."""
    return _("No payments yet. Send XRP with /send; what you receive shows up here too.")


def history_no_such_page(token: str) -> str:
    """`/history <words>` that are not a page number.

    Args:
        token: the words as typed, shortened (`render.echo`).
    """
    return _(
        "There's no page “{token}” of your payments. Send /history for the newest ones, or a "
        "page number such as <code>/history 2</code>."
    ).format(token=escape(token))


def history_past_the_end(*, page: int, pages: int) -> str:
    """A page after the last one (``/history 50`` with 3 pages).

    Args:
        page: the 1-based page asked for.
        pages: how many pages there are (1 or more).
    """
    return ngettext(
        "There's no page {page}: your payments fit on {pages} page.",
        "There's no page {page}: your payments fit on {pages} pages.",
        pages,
    ).format(page=page, pages=pages)


def history_page(*, lines: list[str], page: int, pages: int, total: int) -> str:
    """One /history page.

    Args:
        lines: the entries, already rendered with `history_line`.
        page: 1-based page number.
    """
    return _("🧾 <b>Your payments</b> ({total}) — page {page} of {pages}\n\n{lines}").format(
        total=total, page=page, pages=pages, lines="\n\n".join(lines)
    )


def history_line(
    *,
    outgoing: bool,
    amount_xrp: str,
    counterparty: str,
    when: str,
    status: str,
    tx_link: str,
) -> str:
    """One /history entry.

    Args:
        outgoing: sent (True) or received.
        counterparty: escaped HTML.
        when: formatted time (UTC).
        status: the status in words.
        tx_link: HTML link to the transaction, or "".
    """
    tx = "" if not tx_link else " · {tx}".format(tx=tx_link)
    line = (_("⬆️ -{amount} XRP to {who}") if outgoing else _("⬇️ +{amount} XRP from {who}")).format(
        amount=amount_xrp, who=counterparty
    )
    return "{line}\n{when} · {status}{tx}".format(line=line, when=when, status=status, tx=tx)


def history_status(status: str) -> str:
    """A history status (HistoryStatus value) in words."""
    match status:
        case "sent":
            return _("✅ sent")
        case "received":
            return _("✅ received")
        case "pending":
            return _("⏳ pending")
        case "failed":
            return _("❌ failed")
        case "expired":
            return _("⌛ not sent (expired)")
        case _:
            return escape(status)
