"""Outer update middleware: in groups the bot answers only commands addressed to it, and never
shows anything private there.

In a group, supergroup or channel:
- a message that is not a command, or a command for another bot (``/balance@OtherBot``), gets
  no answer and runs no handler (Telegram sends a bot with privacy mode off, or an admin bot,
  every message; https://core.telegram.org/bots/features#privacy-mode);
- a public command (`domain.parsing.PUBLIC_COMMANDS`: /help, /prices) runs as in a private chat;
- any other command (/start, /menu, /wallet, /balance, /send, /receive, /history,
  /settings, /stats, …) is answered with a pointer to the private chat and a deep-link button
  ``https://t.me/<bot username>?start=menu``, and runs no handler; the pointer is queued on
  the update's transaction and shown after it commits, so the group's send slot holds no update;
- a button pressed under a group message runs its handler only when it is a /prices button;
  any other is answered with a toast pointing to the private chat.
Runs inside `UpdateTransactionMiddleware` (the update is claimed either way), after the
throttle, which has already spent the user's and the group's allowance for every command
addressed to the bot (`addressed_to_bot`) and for every button.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject, Update

from ..domain.parsing import PUBLIC_COMMANDS, parse_command
from ..ports import Chat
from ..render.keyboards import PricesButton, private_chat_keyboard
from ..render.message import Rendered
from ..render.texts import common

__all__ = ["GroupsMiddleware", "addressed_to_bot"]

log = logging.getLogger(__name__)


async def _bot_username(bot: Bot) -> str | None:
    # Bot.me() calls getMe once and caches it
    return (await bot.me()).username


async def addressed_to_bot(message: Message, bot: Bot) -> bool:
    """Whether a group message is a command for this bot (``/cmd`` or ``/cmd@<its username>``);
    anything else in a group is left unanswered."""
    command = parse_command(message.text or message.caption)
    if command is None:
        return False
    _, mention = command
    return mention is None or mention == ((await _bot_username(bot)) or "").lower()


class GroupsMiddleware(BaseMiddleware):
    """Keeps the bot quiet and private in groups (see the module's docstring)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):  # registered on dp.update only
            return await handler(event, data)
        if event.message is not None and event.message.chat.type != ChatType.PRIVATE:
            return await self._group_message(event.message, handler, event, data)
        query = event.callback_query
        if (
            query is not None
            and query.message is not None
            and query.message.chat.type != ChatType.PRIVATE
        ):
            return await self._group_press(query, handler, event, data)
        return await handler(event, data)

    async def _group_message(
        self,
        message: Message,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
    ) -> Any:
        bot: Bot = data["bot"]
        if not await addressed_to_bot(message, bot):
            return UNHANDLED  # chatter, or /cmd@OtherBot: never answered in a group
        command = parse_command(message.text or message.caption)
        if command is not None and command[0] in PUBLIC_COMMANDS:
            return await handler(event, data)
        text = common.private_chat_only()  # in the update's language, rendered now
        markup = private_chat_keyboard(await _bot_username(bot))

        chat: Chat = data["chat"]
        await chat.say(Rendered(text, markup))  # queued: the group's slot holds no update
        return True

    async def _group_press(
        self,
        query: CallbackQuery,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: Update,
        data: dict[str, Any],
    ) -> Any:
        if query.data and query.data.startswith(PricesButton.__prefix__ + ":"):
            return await handler(event, data)
        await query.answer(common.group_private_only_toast(), show_alert=True)
        return True
