"""Outer update middleware, innermost: nothing a user sends raises out of a handler.

The handler (with its filters and FSM steps) runs in a savepoint of the update's transaction.
When it raises:
- a transient error (`TRANSIENT_ERRORS`: Postgres or Telegram unreachable, a timeout)
  propagates; the whole transaction rolls back and the runner retries the update later;
- any other error (a bug, Telegram refusing a request, a value no rule foresaw) rolls back to
  the savepoint, so whatever the handler did is undone, and is logged once (with the update's
  correlation id, set by `entrypoints.updates`). The user is told "Sorry — that didn't work, and
  nothing changed": as a new message where the handler had said a placeholder (the savepoint
  undid the queued placeholder, so it is never shown), else as a message or the button's
  toast. The rest of the transaction commits: the update's claim (it is never
  retried) and its throttle count (an input that keeps crashing is throttled like any other).

`answer_failure` is also what `handlers.errors` does with an error raised outside the savepoint
(in an earlier middleware), after the whole transaction rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import CancelHandler, SkipHandler
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat
from aiogram.types import CallbackQuery, TelegramObject, Update

from xrpbot.runtime.db import TRANSIENT_DB_ERRORS

from ..adapters.messenger import TelegramChat
from ..adapters.telegram import TRANSIENT_TELEGRAM_ERRORS
from ..domain.delivery import ChatUnavailable, TelegramUnavailable
from ..ports import UnitOfWork
from ..render.message import Rendered
from ..render.texts import common

__all__ = ["TRANSIENT_ERRORS", "HandlerFailureMiddleware", "answer_failure", "is_transient"]

log = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    *TRANSIENT_DB_ERRORS,
    *TRANSIENT_TELEGRAM_ERRORS,
    TelegramUnavailable,
    TimeoutError,
)
"""Errors after which the same update may succeed: the runners retry it with back-off."""

_UNREACHABLE = (TelegramForbiddenError, TelegramMigrateToChat, ChatUnavailable)
"""The chat cannot be answered (the user blocked the bot, the group moved): nobody to tell."""


def is_transient(exc: BaseException) -> bool:
    """True for an error after which the same update may succeed (`TRANSIENT_ERRORS`)."""
    return isinstance(exc, TRANSIENT_ERRORS)


async def answer_failure(update: Update, exc: Exception, chat: TelegramChat | None) -> None:
    """Log a non-transient failure of `update` once and tell its user that nothing changed.

    Args:
        update: the update that failed.
        exc: what it raised (not transient).
        chat: the update's chat (`middlewares.actor`); its last placeholder said during the
            update gets the apology instead of a new message.

    Raises:
        a transient error: the apology could not be sent (the update is then retried).
    """
    if isinstance(exc, _UNREACHABLE):
        log.info("update %s: the chat cannot be answered (%s)", update.update_id, exc)
        return
    log.error(
        "update %s failed (%s); its effects were undone and the user told so",
        update.update_id,
        type(exc).__name__,
        exc_info=exc,
    )
    text = common.something_went_wrong()
    said = chat.said[-1] if chat is not None and chat.said else None
    try:
        if said is not None and chat is not None:  # in place of the (undone) placeholder
            await chat.show(said, Rendered(text))
        toasted = update.callback_query is not None and await _toast(update.callback_query, text)
        answerable = update.message is not None or update.callback_query is not None
        if said is None and not toasted and chat is not None and answerable:
            await chat.say(Rendered(text))
    except _UNREACHABLE as unreachable:
        log.info("update %s: the apology cannot be delivered (%s)", update.update_id, unreachable)
    except TelegramBadRequest as refused:
        log.warning("update %s: the apology was refused (%s)", update.update_id, refused.message)


async def _toast(query: CallbackQuery, text: str) -> bool:
    """Answer the button with `text`; False when Telegram refuses (it was answered before)."""
    try:
        await query.answer(text)
    except TelegramBadRequest as exc:
        log.info("callback query %s not answered: %s", query.id, exc.message)
        return False
    return True


class HandlerFailureMiddleware(BaseMiddleware):
    """Runs the handler in a savepoint; answers its non-transient failures (see the module).

    Registered last on `dp.update`, after `UpdateTransactionMiddleware` (it needs `uow`) and the
    throttle.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        uow: UnitOfWork | None = data.get("uow")
        if not isinstance(event, Update) or uow is None:
            return await handler(event, data)
        try:
            async with uow.savepoint():
                return await handler(event, data)
        except (SkipHandler, CancelHandler):  # aiogram's own control flow
            raise
        except TRANSIENT_ERRORS:
            raise
        except Exception as exc:
            await answer_failure(event, exc, data.get("chat"))
            return True
