"""The one function both runners (webhook, polling) feed Telegram updates through.

An update (https://core.telegram.org/bots/api#update) is parsed with aiogram's `Update` model
and fed to the Dispatcher with `Dispatcher.feed_update`, the core of `feed_raw_update` and
`feed_webhook_update`. The latter is not used because after 55 s it answers and moves the work
to the background, while the gateway must not acknowledge an update before its effects commit.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import Update
from pydantic import ValidationError

from xrpbot.runtime.logs import correlation_id_var

from ..domain.ids import correlation_id_for
from ..middlewares.transaction import DUPLICATE

__all__ = ["UpdateProcessor"]

log = logging.getLogger(__name__)


class UpdateProcessor:
    """Parses and processes updates; shared by the webhook route and the poller.

    Args:
        dp: the Dispatcher with every handler.
        bot: the Bot the handlers answer with.
        timeout_s: give up on one update after this long (Telegram waits about 60 s for a
            webhook answer before it re-sends the update).
    """

    def __init__(self, dp: Dispatcher, bot: Bot, *, timeout_s: float = 50.0) -> None:
        self.dp = dp
        self.bot = bot
        self.timeout_s = timeout_s

    def parse(self, raw: Any) -> Update | None:
        """An `Update` bound to the bot, or None (logged) when `raw` is not one."""
        if not isinstance(raw, dict):
            log.warning("ignored an update that is not a JSON object")
            return None
        try:
            return Update.model_validate(raw, context={"bot": self.bot})
        except ValidationError as exc:
            log.warning(
                "ignored a malformed update (update_id=%r): %d validation errors",
                raw.get("update_id"),
                exc.error_count(),
            )
            return None

    async def process(self, update: Update) -> str:
        """Run the handlers for `update`; returns "handled", "unhandled" or "duplicate".

        Raises:
            Exception: whatever the handlers raised (their transaction rolled back): the
                update should be retried.
            TimeoutError: it took longer than `timeout_s`.
        """
        # every log line about this update carries its correlation id, aiogram's too
        token = correlation_id_var.set(str(correlation_id_for(self.bot.id, update.update_id)))
        try:
            async with asyncio.timeout(self.timeout_s):
                result = await self.dp.feed_update(self.bot, update)
        finally:
            correlation_id_var.reset(token)
        if result is DUPLICATE:
            return "duplicate"
        if result is UNHANDLED:
            log.info("update %s: no handler for it", update.update_id)
            return "unhandled"
        return "handled"
