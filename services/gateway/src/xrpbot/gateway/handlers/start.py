"""/start and /help: words only, no backend call (the update claim still commits).

/start's welcome carries the menu's buttons (`handlers.menu`).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message

from ..domain.support import SupportContact
from ..ports import Chat
from ..render.keyboards import menu_keyboard
from ..render.message import Rendered
from ..render.texts import common
from .support import help_line

__all__ = ["build_router", "on_help", "on_start"]


async def on_start(message: Message, chat: Chat, support: SupportContact | None = None) -> None:
    """Welcome; `/start <payload>` deep links get the same welcome."""
    first_name = message.from_user.first_name if message.from_user else ""
    url = support.url if support is not None else None
    await chat.say(Rendered(common.start(first_name), menu_keyboard(url)))


async def on_help(message: Message, chat: Chat, support: SupportContact | None = None) -> None:
    """The commands, one line each, what custodial means, and the support contact."""
    await chat.say(Rendered(common.help_text(help_line(support))))


def build_router() -> Router:
    """/start (with or without a deep-link payload) and /help."""
    router = Router(name="start")
    router.message.register(on_start, CommandStart())
    router.message.register(on_help, Command("help"))
    return router
