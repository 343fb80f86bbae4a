"""/start and /help: words only, no backend call (the update claim still commits).

/start's welcome carries the menu's buttons (`handlers.menu`).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message

from ..render.keyboards import menu_keyboard
from ..render.texts import common

__all__ = ["build_router", "on_help", "on_start"]


async def on_start(message: Message) -> None:
    """Welcome; `/start <payload>` deep links get the same welcome."""
    first_name = message.from_user.first_name if message.from_user else ""
    await message.answer(common.start(first_name), reply_markup=menu_keyboard())


async def on_help(message: Message) -> None:
    """The commands, one line each, and what custodial means."""
    await message.answer(common.help_text())


def build_router() -> Router:
    """/start (with or without a deep-link payload) and /help."""
    router = Router(name="start")
    router.message.register(on_start, CommandStart())
    router.message.register(on_help, Command("help"))
    return router
