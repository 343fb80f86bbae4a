"""Outer update middleware: the acting user as an `Actor`, and the update's correlation id.

Handlers receive `actor: Actor | None` (None for updates without a user, e.g. channel posts)
and `correlation_id: UUID` (see `ids.correlation_id_for`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, Update, User

from xrpbot.schemas import Actor

from ..ids import correlation_id_for

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
    """Puts `actor` and `correlation_id` into the handler data of every update."""

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
        correlation_id = correlation_id_for(bot.id, event.update_id)
        data["actor"] = actor_from(user) if user is not None else None
        data["correlation_id"] = correlation_id
        return await handler(event, data)
