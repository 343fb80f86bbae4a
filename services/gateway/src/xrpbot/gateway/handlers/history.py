"""/history: the user's payments, 5 per page, with Previous/Next buttons that edit the message.

/history answers "Loading your payments…" and queues GetHistory(page=0); a page button queues
GetHistory(page=n) whose reply edits the message the button is under. Private chats only.
"""

from __future__ import annotations

from uuid import UUID

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from xrpbot.schemas import Actor, GetHistory

from .. import texts, use_cases
from ..ids import command_event_id
from ..keyboards import HistoryPage
from ..ports import Placeholder, UnitOfWork
from .send import answer_quietly

__all__ = ["PAGE_SIZE", "build_router", "on_history", "on_history_page"]

PAGE_SIZE = 5
"""Entries per /history page."""

_private = (F.chat.type == ChatType.PRIVATE) & F.from_user


def _command(actor: Actor, chat_id: int, correlation_id: UUID, page: int) -> GetHistory:
    return GetHistory.new(
        user=actor,
        chat_id=chat_id,
        correlation_id=correlation_id,
        event_id=command_event_id(correlation_id, GetHistory.ROUTING_KEY),
        page=page,
        page_size=PAGE_SIZE,
    )


async def on_history(
    message: Message, actor: Actor, correlation_id: UUID, uow: UnitOfWork
) -> None:
    """/history: the newest page."""
    sent = await message.answer(texts.loading_history())
    await use_cases.request(
        _command(actor, message.chat.id, correlation_id, 0),
        placeholder=Placeholder(message.chat.id, sent.message_id),
        uow=uow,
    )


async def on_history_page(
    query: CallbackQuery,
    callback_data: HistoryPage,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """Previous / Next: that page, shown in the same message."""
    await answer_quietly(query)
    chat_id = query.from_user.id
    command = _command(actor, chat_id, correlation_id, max(callback_data.page, 0))
    message = query.message
    if message is not None and message.chat.id == chat_id:
        await use_cases.request(
            command, placeholder=Placeholder(chat_id, message.message_id), uow=uow
        )
    else:
        await uow.send_command(command)  # the answer comes as a new message


async def on_outside_private_chat(message: Message) -> None:
    """/history in a group: point to a private chat."""
    await message.answer(texts.private_chat_only())


def build_router() -> Router:
    """/history and its page buttons."""
    router = Router(name="history")
    router.message.register(on_history, Command("history"), _private)
    router.message.register(on_outside_private_chat, Command("history"))
    router.callback_query.register(on_history_page, HistoryPage.filter(), F.from_user)
    return router
