"""Outer update middleware: a per-user limit on commands.

Each message or button press of a user spends one unit of a token bucket kept in Postgres
(`command_throttle`, `UnitOfWork.throttle`): `burst` at once, then `per_second`, timed by
the message's date (when the user sent it), or the database clock for a button press. The bucket
is updated inside the update's own transaction, so replicas agree and a rolled-back update
spends nothing. Over the limit, the first update of the burst is answered with one polite
notice (a message, or a toast for a button) and later ones with nothing; no handler runs and
no command is published, but the update is claimed, so Telegram does not re-send it. Other
users are not affected: each has their own row.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import TelegramObject, Update, User

from ..domain.throttle import ThrottleLimits, Verdict
from ..ports import UnitOfWork
from ..render.texts import common

__all__ = ["ThrottleMiddleware"]

log = logging.getLogger(__name__)


class ThrottleMiddleware(BaseMiddleware):
    """Drops a user's updates beyond `limits`; runs after `UpdateTransactionMiddleware` (needs `uow`)."""

    def __init__(self, limits: ThrottleLimits) -> None:
        self.limits = limits

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        uow: UnitOfWork | None = data.get("uow")
        if (
            not isinstance(event, Update)
            or user is None
            or uow is None
            or (event.message is None and event.callback_query is None)
        ):
            return await handler(event, data)
        # a message counts when the user sent it (its date, whole seconds), not when it is
        # handled: replies to one chat are paced at ~1 a second, so handling lags behind a
        # fast sender and would refill the allowance as fast as it is spent
        sent_at = event.message.date if event.message is not None else None
        verdict = await uow.throttle(
            user.id, burst=self.limits.burst, per_second=self.limits.per_second, now=sent_at
        )
        if verdict is Verdict.ALLOW:
            return await handler(event, data)
        log.info("user %s throttled (%s); update %s skipped", user.id, verdict, event.update_id)
        notice = common.slow_down() if verdict is Verdict.NOTICE else None
        if event.callback_query is not None:
            try:  # always stop the button's spinner; a stale query id is no reason to retry
                await event.callback_query.answer(notice)
            except TelegramBadRequest as exc:
                log.info("callback query not answered: %s", exc.message)
        elif notice is not None and event.message is not None:
            await event.message.answer(notice)
        return True
