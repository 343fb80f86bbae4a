"""Errors raised outside a handler's savepoint (in a middleware before it): answered, not retried.

`middlewares.failures` answers what a handler raises inside the update's transaction. What an
earlier middleware raises rolls the whole transaction back and reaches this router: a
transient error (`TRANSIENT_ERRORS`) is left unhandled, so the runner retries the update; any
other is logged once, the user is told that nothing changed, and Telegram gets its 200.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import ErrorEvent

from ..adapters.messenger import TelegramChat
from ..middlewares.failures import answer_failure, is_transient

__all__ = ["build_router", "on_failure"]


async def on_failure(event: ErrorEvent, chat: TelegramChat | None = None) -> bool:
    """A non-transient error outside the handler's savepoint: log it, tell the user."""
    await answer_failure(event.update, event.exception, chat)
    return True


def build_router() -> Router:
    """The error handler for every non-transient failure."""
    router = Router(name="errors")
    router.errors.register(on_failure, lambda event: not is_transient(event.exception))
    return router
