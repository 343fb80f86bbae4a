"""/history: ask the transfer service for one page of the user's payments."""

from __future__ import annotations

from typing import Final

from xrpbot.schemas import GetHistory

from ..domain.delivery import Placeholder
from ..domain.history import HistoryPageError, parse_history_page
from ..ports import Chat, UnitOfWork
from ..render.echo import echo
from ..render.message import Rendered
from ..render.texts import history
from .ask import Origin, ask

__all__ = ["PAGE_SIZE", "show_history", "show_history_command"]

PAGE_SIZE: Final = 5
"""Entries per /history page."""


async def show_history_command(
    origin: Origin, args: str | None, *, chat: Chat, uow: UnitOfWork
) -> None:
    """`/history [page]` (1-based: ``/history 2``); words that are not a page number from 1 to
    `domain.history.MAX_HISTORY_PAGES` are answered in words, and nothing is asked."""
    try:
        page = parse_history_page(args)
    except HistoryPageError as err:
        await chat.say(Rendered(history.history_no_such_page(echo(err.token))))
        return
    await show_history(origin, page=page, answer=chat, uow=uow)


async def show_history(
    origin: Origin, *, page: int = 0, answer: Chat | Placeholder | None, uow: UnitOfWork
) -> None:
    """GetHistory for page `page` (0: the newest).

    Args:
        origin: who asks.
        page: 0-based page; a negative one is the newest.
        answer: the chat (/history answers "Loading your payments…"), the message a page
            button is under (the page replaces it), or None (the page comes as a new message).
        uow: the update's unit of work.
    """
    await ask(
        GetHistory,
        origin,
        uow=uow,
        answer=answer,
        waiting=history.loading_history(),
        page=max(page, 0),
        page_size=PAGE_SIZE,
    )
