"""The /history page a user asks for (`/history [page]`) and the pages a button may carry. Pure."""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_HISTORY_PAGES", "HistoryPageError", "parse_history_page", "valid_page"]

MAX_HISTORY_PAGES: Final = 10_000
"""The highest page number asked for (at 5 entries a page, 50,000 payments); beyond it a page
cannot exist, so it is refused before anything is asked of the transfer service."""


class HistoryPageError(ValueError):
    """`/history <words>`: the words are not a page number from 1 to `MAX_HISTORY_PAGES`.

    Attributes:
        token: the words as typed.
    """

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def parse_history_page(args: str | None) -> int:
    """The 0-based page of `/history [page]`: 0 (the newest) without an argument.

    Args:
        args: the words after /history: ``2`` is the second page. Only the ASCII digits 0-9
            count (superscripts, Arabic-Indic or full-width digits are not page numbers).

    Raises:
        HistoryPageError: not one whole number from 1 to `MAX_HISTORY_PAGES`.
    """
    if args is None or not args.strip():
        return 0
    token = args.strip()
    # the length check first: int() of a 5,000-digit string is slow, and refused anyway
    if len(token) > len(str(MAX_HISTORY_PAGES)) or not token.isascii() or not token.isdigit():
        raise HistoryPageError(token)
    page = int(token)
    if not 1 <= page <= MAX_HISTORY_PAGES:
        raise HistoryPageError(token)
    return page - 1


def valid_page(page: int) -> bool:
    """True when a page button's 0-based `page` may exist (forged data may carry any int)."""
    return 0 <= page < MAX_HISTORY_PAGES
