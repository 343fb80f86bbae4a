"""Anything else: in a private chat (unknown commands, plain text, stickers) a hint to /help;
a button no other router took (old, or with forged data) "This button is no longer valid.".

Included last. Group messages that are not commands for this bot stay unanswered, so the bot
never chatters in groups; every button press is answered (https://core.telegram.org/bots/api#answercallbackquery:
the client shows a progress bar until it is), in groups too.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from ..adapters.messenger import answer_quietly
from ..filters import PRIVATE_CHAT
from ..ports import Chat
from ..render.message import Rendered
from ..render.texts import common

__all__ = ["build_router", "on_anything_else", "on_unknown_button"]


async def on_anything_else(message: Message, chat: Chat) -> None:
    """Unknown command or text: say how to find the commands."""
    await chat.say(Rendered(common.not_understood()))


async def on_unknown_button(query: CallbackQuery) -> None:
    """A button whose data no handler knows: stop its spinner, say it no longer works."""
    await answer_quietly(query, common.button_expired())


def build_router() -> Router:
    """Whatever no other router took: messages in private chats, every button."""
    router = Router(name="fallback")
    router.message.register(on_anything_else, PRIVATE_CHAT)
    router.callback_query.register(on_unknown_button)
    return router
