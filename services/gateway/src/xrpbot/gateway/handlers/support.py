"""/support: who helps users (SUPPORT_URL or SUPPORT_USERNAME), or that nobody is configured.

Answered in any chat: nothing in it is private. The contact reaches handlers as `support`
(a `domain.support.SupportContact`, or None), set on the Dispatcher by `build_dispatcher`.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from ..domain.support import SupportContact
from ..ports import Chat
from ..render.message import Rendered
from ..render.texts import support as texts

__all__ = ["build_router", "help_line", "on_support"]


def help_line(support: SupportContact | None) -> str | None:
    """The support line /help ends with, or None without a contact."""
    return texts.help_line(support.shown) if support is not None else None


async def on_support(message: Message, chat: Chat, support: SupportContact | None = None) -> None:
    """/support: the contact, or that there is none."""
    if support is None:
        await chat.say(Rendered(texts.no_support()))
    else:
        await chat.say(Rendered(texts.support_contact(support.shown)))


def build_router() -> Router:
    """/support."""
    router = Router(name="support")
    router.message.register(on_support, Command("support"))
    return router
