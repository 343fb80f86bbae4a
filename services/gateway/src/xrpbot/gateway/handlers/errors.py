"""Errors that retrying an update cannot fix: log them and answer Telegram 200.

Everything else propagates, so the webhook answers 500 and Telegram re-sends the update
(the failed transaction rolled back its claim).
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

__all__ = ["build_router", "on_bad_request", "on_chat_unavailable"]

log = logging.getLogger(__name__)


async def on_chat_unavailable(event: ErrorEvent) -> bool:
    """The user blocked the bot (403) or the group moved: nobody to answer."""
    log.info(
        "update %s: the chat cannot be answered (%s)", event.update.update_id, event.exception
    )
    return True


async def on_bad_request(event: ErrorEvent) -> bool:
    """Telegram refused our request (400): a retry would be refused the same way."""
    log.error("update %s: Telegram refused a request: %s", event.update.update_id, event.exception)
    return True


def build_router() -> Router:
    """Error handlers for Telegram's permanent refusals."""
    router = Router(name="errors")
    router.errors.register(
        on_chat_unavailable, ExceptionTypeFilter(TelegramForbiddenError, TelegramMigrateToChat)
    )
    router.errors.register(on_bad_request, ExceptionTypeFilter(TelegramBadRequest))
    return router
