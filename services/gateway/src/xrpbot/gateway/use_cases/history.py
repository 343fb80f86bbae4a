"""/history: ask the transfer service for one page of the user's payments."""

from __future__ import annotations

from typing import Final

from xrpbot.schemas import GetHistory

from ..domain.delivery import Placeholder
from ..ports import Chat, UnitOfWork
from ..render.texts import history
from .ask import Origin, ask

__all__ = ["PAGE_SIZE", "show_history"]

PAGE_SIZE: Final = 5
"""Entries per /history page."""


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
