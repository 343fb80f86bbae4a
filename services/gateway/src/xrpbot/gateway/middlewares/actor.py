"""Outer update middleware: who acts, in which chat, for which update (`Origin`), and the chat
the use cases answer in.

Handlers receive `origin: Origin | None` (None for updates without a user, e.g. channel posts;
its correlation id comes from the update, `domain.ids.correlation_id_for`) and
`chat: TelegramChat | None` (the update's chat; for a button whose message is gone, the user's
private chat).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import Chat, TelegramObject, Update, User

from xrpbot.schemas import Actor

from ..adapters.messenger import TelegramChat
from ..domain.ids import correlation_id_for
from ..use_cases.ask import Origin

__all__ = ["ActorMiddleware", "actor_from"]


def actor_from(user: User) -> Actor:
    """The schema's `Actor` for a Telegram `User` (https://core.telegram.org/bots/api#user)."""
    return Actor(
        telegram_id=user.id,
        username=user.username,
        first_name=user.first_name,
        language_code=user.language_code,
    )


class ActorMiddleware(BaseMiddleware):
    """Puts `origin` and `chat` into the handler data of every update.

    Args:
        placeholder_delay_s: how long the chat's placeholders wait unsent for their answer.
    """

    def __init__(self, placeholder_delay_s: float = 0.0) -> None:
        self.placeholder_delay_s = placeholder_delay_s

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):  # registered on dp.update only
            return await handler(event, data)
        bot: Bot = data["bot"]
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        correlation_id = correlation_id_for(bot.id, event.update_id)
        origin = None
        chat_id = chat.id if chat is not None else user.id if user is not None else None
        if user is not None and chat_id is not None:
            origin = Origin(actor_from(user), chat_id, correlation_id)
        data["origin"] = origin
        data["chat"] = (
            TelegramChat(bot, chat_id, placeholder_delay_s=self.placeholder_delay_s)
            if chat_id is not None
            else None
        )
        return await handler(event, data)
