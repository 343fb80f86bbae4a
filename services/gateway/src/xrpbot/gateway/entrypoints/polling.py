"""Long polling (TELEGRAM_MODE=polling) and webhook registration at start-up.

Polling follows https://core.telegram.org/bots/api#getupdates: call getUpdates with
`offset` = last update_id + 1 and a long-poll `timeout`; an update counts as confirmed once
a later call passes a higher offset. Updates are processed one at a time, in order. A
transient failure (database or Telegram unreachable) retries the same update with back-off
until it succeeds, so nothing is lost during an outage; any other failure was answered by the
handlers (`middlewares.failures`), so one that still escapes is logged once and skipped: a
retry would fail the same way, and one poisonous update cannot stop the bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiogram import Bot
from aiogram.types import Update

from ..adapters.telegram import GetRawUpdates
from ..middlewares.failures import TRANSIENT_ERRORS
from .updates import UpdateProcessor

__all__ = ["Backoff", "Poller", "retry_forever"]

log = logging.getLogger(__name__)


class Backoff:
    """Exponential back-off: `first_s`, doubled per failure, at most `max_s`."""

    def __init__(self, first_s: float = 1.0, max_s: float = 30.0) -> None:
        self.first_s = first_s
        self.max_s = max_s
        self.delay_s = first_s

    def reset(self) -> None:
        """After a success: start from `first_s` again."""
        self.delay_s = self.first_s

    async def wait(self) -> None:
        """Sleep the current delay, then double it."""
        await asyncio.sleep(self.delay_s)
        self.delay_s = min(self.delay_s * 2, self.max_s)


async def retry_forever(
    what: str, call: Callable[[], Awaitable[object]], *, first_s: float = 1.0
) -> None:
    """Await `call()` until it succeeds, with back-off (start-up calls such as setWebhook)."""
    backoff = Backoff(first_s)
    while True:
        try:
            await call()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("%s failed (%s); retrying in %.0f s", what, exc, backoff.delay_s)
            await backoff.wait()
        else:
            return


class Poller:
    """Feeds getUpdates to the UpdateProcessor in a background task.

    Args:
        bot: the Bot (its session timeout is extended by `timeout_s` for getUpdates).
        processor: processes each update.
        allowed_updates: the update types the handlers use.
        timeout_s: getUpdates long-poll timeout.
        backoff_first_s: first wait after a failure (doubles up to 30 s).
    """

    def __init__(
        self,
        bot: Bot,
        processor: UpdateProcessor,
        *,
        allowed_updates: Sequence[str],
        timeout_s: int = 25,
        backoff_first_s: float = 1.0,
    ) -> None:
        self.bot = bot
        self.processor = processor
        self.allowed_updates = list(allowed_updates)
        self.timeout_s = timeout_s
        self.backoff_first_s = backoff_first_s
        self.offset: int | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start polling in a background task."""
        self._task = asyncio.create_task(self.run(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop polling; the update in progress rolls back and is fetched again next time."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run(self) -> None:
        """Delete any webhook (getUpdates is refused while one is set), then poll forever.

        Each update is parsed on its own: one that does not parse is logged and skipped.
        """
        await retry_forever(
            "deleteWebhook",
            lambda: self.bot.delete_webhook(drop_pending_updates=False),
            first_s=self.backoff_first_s,
        )
        log.info("polling Telegram for updates (%s)", ", ".join(self.allowed_updates))
        backoff = Backoff(self.backoff_first_s)
        while True:
            try:
                updates = await self.fetch()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc, backoff.delay_s)
                await backoff.wait()
                continue
            backoff.reset()
            for raw in updates:
                update = self.processor.parse(raw)
                if update is not None:
                    await self.handle(update)
                update_id = raw.get("update_id")
                if isinstance(update_id, int):
                    self.offset = max(self.offset or 0, update_id + 1)

    async def fetch(self) -> list[dict[str, Any]]:
        """One getUpdates call from the current offset; the updates as plain dicts."""
        session_timeout = float(self.bot.session.timeout or 0)
        return await self.bot(
            GetRawUpdates(
                offset=self.offset, timeout=self.timeout_s, allowed_updates=self.allowed_updates
            ),
            # wait longer than the long poll itself, or every quiet poll ends in a timeout
            request_timeout=int(session_timeout + self.timeout_s),
        )

    async def handle(self, update: Update) -> None:
        """Process one update: retry transient failures until they pass; skip any other."""
        backoff = Backoff(self.backoff_first_s)
        while True:
            try:
                await self.processor.process(update)
            except asyncio.CancelledError:
                raise
            except TRANSIENT_ERRORS as exc:
                log.warning(
                    "update %s: transient failure (%s); retrying in %.0f s",
                    update.update_id,
                    type(exc).__name__,
                    backoff.delay_s,
                )
            except Exception:
                log.exception("update %s failed; skipped", update.update_id)
                return
            else:
                return
            await backoff.wait()
