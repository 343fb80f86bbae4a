"""/history: the user's payments, 5 per page, with Previous/Next buttons that edit the message.

/history [page] answers "Loading your payments…" and queues GetHistory(page=0, or the page
asked for); a page button queues GetHistory(page=n) whose reply edits the message the button
is under. A page that cannot exist is answered in words (a button's forged one: "This button
is no longer valid."). Private chats only.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from ..adapters.messenger import TelegramChat, answer_quietly
from ..domain.delivery import Placeholder
from ..domain.history import valid_page
from ..filters import PRIVATE
from ..ports import UnitOfWork
from ..render.keyboards import HistoryPage
from ..render.texts import common
from ..use_cases.ask import Origin
from ..use_cases.history import show_history, show_history_command

__all__ = ["build_router", "on_history", "on_history_page"]


async def on_history(
    message: Message, command: CommandObject, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """`/history [page]`: the newest page, or the one asked for."""
    await show_history_command(origin, command.args, chat=chat, uow=uow)


async def on_history_page(
    query: CallbackQuery, callback_data: HistoryPage, origin: Origin, uow: UnitOfWork
) -> None:
    """Previous / Next: that page, shown in the same message (a new one when it is gone)."""
    if not valid_page(callback_data.page):
        await answer_quietly(query, common.button_expired())
        return
    await answer_quietly(query)
    message = query.message
    in_place = message is not None and message.chat.id == query.from_user.id
    await show_history(
        origin.in_private_chat(),
        page=callback_data.page,
        answer=Placeholder(message.chat.id, message.message_id)
        if in_place and message is not None
        else None,
        uow=uow,
    )


def build_router() -> Router:
    """/history and its page buttons."""
    router = Router(name="history")
    router.message.register(on_history, Command("history"), PRIVATE)
    router.callback_query.register(on_history_page, HistoryPage.filter(), F.from_user)
    return router
