"""Anything else in a private chat (unknown commands, plain text, stickers): a hint to /help.

Included last. Group messages that are not commands for this bot stay unanswered, so the bot
never chatters in groups.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import Message

from ..filters import PRIVATE_CHAT
from ..render.texts import common

__all__ = ["build_router", "on_anything_else"]


async def on_anything_else(message: Message) -> None:
    """Unknown command or text: say how to find the commands."""
    await message.answer(common.not_understood())


def build_router() -> Router:
    """Whatever no other router took, in private chats."""
    router = Router(name="fallback")
    router.message.register(on_anything_else, PRIVATE_CHAT)
    return router
