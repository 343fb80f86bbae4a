"""Outer update middleware, the first of all: the command allowances of users and groups.

Each message or button press of a user spends one unit of a token bucket kept in Postgres
(`command_throttle`, `UnitOfWork.throttle`): `burst` at once, then `per_second`, timed by the
message's date (when the user sent it), or the database clock for a button press. In a group,
an update the user may send also spends one unit of the group's own bucket (keyed by the
group's negative chat id; `group_burst`, `group_per_second`), so many users flooding one group
cannot make the bot send more than Telegram lets it send there. Chatter in a group and commands
for other bots spend nothing: the groups middleware ignores them.

The decision is taken before anything else, in a short transaction of its own that commits at
once: the update's own transaction (`UpdateTransactionMiddleware`) has not begun, so an update
that fails and rolls back, or is retried, keeps what it spent, and an input that crashes is
throttled like any other. Each bucket is one upsert whose row lock serialises concurrent
updates, so replicas agree.

Over the user's limit, the first update of the burst gets one polite notice in the user's
language (a message in the chat it came from, or a toast for a button) and later ones nothing;
over the group's limit, nothing is said (the group's messages are what is scarce). A throttled
update runs no handler, publishes nothing and opens no other transaction; its notice is queued
on the decision's transaction and shown after it commits (`ports.UnitOfWork.outgoing`), so
waiting for the chat's send slot holds no update.
Other users and other chats are not affected: each has their own row.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Chat, TelegramObject, Update, User
from aiogram.utils.i18n import I18n

from ..domain.preferences import pick_locale
from ..domain.throttle import ThrottleLimits, Verdict
from ..ports import UnitOfWork
from ..render.i18n import locale_context
from ..render.message import Rendered
from ..render.texts import common
from .groups import addressed_to_bot

__all__ = ["ThrottleMiddleware"]

log = logging.getLogger(__name__)


class ThrottleMiddleware(BaseMiddleware):
    """Drops updates beyond the user's or the group's allowance (see the module's docstring).

    Args:
        new_uow: makes the short unit of work the decision is taken in.
        limits: the allowances.
        i18n: the catalogs the notice is written from (None: English).
        on_commit: called with the Bot after a decision that queued a notice committed (wakes
            the outgoing sender).
    """

    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        limits: ThrottleLimits,
        i18n: I18n | None,
        on_commit: Callable[[Bot], Awaitable[None]] | None = None,
    ) -> None:
        self.new_uow = new_uow
        self.limits = limits
        self.i18n = i18n
        self.on_commit = on_commit

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if (
            not isinstance(event, Update)
            or user is None
            or (event.message is None and event.callback_query is None)
        ):
            return await handler(event, data)
        chat: Chat | None = data.get("event_chat")
        group = chat.id if chat is not None and chat.type != ChatType.PRIVATE else None
        bot: Bot = data["bot"]
        if (
            group is not None
            and event.message is not None
            and not await addressed_to_bot(event.message, bot)
        ):
            return await handler(event, data)  # left unanswered by the groups middleware
        in_chat = chat.id if chat is not None and event.callback_query is None else None
        verdict, notice = await self._decide(event, user, group, in_chat)
        if verdict is Verdict.ALLOW:
            return await handler(event, data)
        log.info(
            "user %s in chat %s throttled (%s); update %s skipped",
            user.id,
            chat.id if chat is not None else user.id,
            verdict,
            event.update_id,
        )
        if event.callback_query is not None:
            try:  # always stop the button's spinner; a stale query id is no reason to retry
                await event.callback_query.answer(notice)
            except TelegramBadRequest as exc:
                log.info("callback query not answered: %s", exc.message)
        elif notice is not None and self.on_commit is not None:
            await self.on_commit(bot)
        return True

    async def _decide(
        self, event: Update, user: User, group: int | None, chat_id: int | None
    ) -> tuple[Verdict, str | None]:
        """The verdict for `event`, and the notice to answer with, in its own transaction; a
        message's notice is queued in `chat_id` on it."""
        # a message counts when the user sent it (its date, whole seconds), not when it is
        # handled: handling may lag behind a fast sender and would refill the allowance as
        # fast as it is spent
        sent_at = event.message.date if event.message is not None else None
        limits = self.limits
        notice = None
        async with self.new_uow() as uow:
            verdict = await uow.throttle(
                user.id, burst=limits.burst, per_second=limits.per_second, now=sent_at
            )
            if verdict is Verdict.ALLOW and group is not None:
                in_group = await uow.throttle(
                    group,
                    burst=limits.group_burst,
                    per_second=limits.group_per_second,
                    now=sent_at,
                )
                verdict = Verdict.ALLOW if in_group is Verdict.ALLOW else Verdict.DROP
            if verdict is Verdict.NOTICE:
                chosen = (await uow.preferences.get(user.id)).language
                with locale_context(self.i18n, pick_locale(chosen, user.language_code)):
                    notice = common.slow_down()
                if chat_id is not None:
                    await uow.outgoing.send(chat_id, Rendered(notice))
            await uow.commit()
        return verdict, notice
