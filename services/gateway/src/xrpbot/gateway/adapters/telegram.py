"""Telegram Bot API adapter (aiogram 3): the Bot, 429 handling, and the `Messenger` port.

Error mapping (https://core.telegram.org/bots/api#making-requests, aiogram's exceptions):
429 -> wait `retry_after` and retry (aiogram does not); network, 5xx, a body that is not the
Bot API's JSON, 401 -> `TelegramUnavailable` (transient); 403, "chat not found" ->
`ChatUnavailable`; 400 on editMessageText -> "not modified" is success, "message to edit not
found" / "can't be edited" -> `MessageGone`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile

from ..market import PriceChart
from ..ports import ChartDrawer, ChatUnavailable, MessageGone, Placeholder, TelegramUnavailable
from ..render import Rendered

__all__ = [
    "TRANSIENT_TELEGRAM_ERRORS",
    "BotMessenger",
    "GetRawUpdates",
    "RedactSecrets",
    "RetryAfterMiddleware",
    "create_bot",
]

log = logging.getLogger(__name__)

TRANSIENT_TELEGRAM_ERRORS: tuple[type[BaseException], ...] = (
    TelegramNetworkError,  # includes timeouts
    TelegramServerError,
    TelegramRetryAfter,  # still limited after the middleware's retries
    TelegramUnauthorizedError,  # a revoked token: keep the work until the config is fixed
    ClientDecodeError,  # a proxy's error page instead of the Bot API's JSON
)
"""aiogram errors after which the same request may succeed later."""


class GetRawUpdates(TelegramMethod[list[dict[str, Any]]]):
    """getUpdates returning each update as a plain dict (https://core.telegram.org/bots/api#getupdates).

    aiogram's own GetUpdates validates the whole batch at once, so one update its models cannot
    parse (an older or newer Bot API shape) would fail every poll from then on. With raw dicts
    each update is parsed on its own, and one that does not parse is skipped.
    """

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    """First update_id to return: last seen + 1 confirms everything before it."""
    limit: int | None = None
    """1-100 updates per call (Telegram's default 100)."""
    timeout: int | None = None
    """Long-poll timeout in seconds."""
    allowed_updates: list[str] | None = None
    """Update types to receive."""


class RetryAfterMiddleware(BaseRequestMiddleware):
    """Retry a request that got 429 after the `retry_after` Telegram asked for.

    Gives up (re-raises `TelegramRetryAfter`) after `attempts` tries or when Telegram asks to
    wait longer than `max_wait_s` (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
    """

    def __init__(
        self,
        *,
        attempts: int = 3,
        max_wait_s: float = 30.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.attempts = attempts
        self.max_wait_s = max_wait_s
        self.sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > self.max_wait_s:
                    raise
                log.warning(
                    "Telegram 429 on %s; retrying in %s s", method.__api_method__, exc.retry_after
                )
                await self.sleep(exc.retry_after)
        raise AssertionError("unreachable")  # pragma: no cover


def create_bot(token: str, api_base: str, *, timeout_s: float = 20.0) -> Bot:
    """A Bot on `api_base` (`<base>/bot<token>/<method>`) that sends HTML and retries 429s.

    Args:
        token: the bot token (validated by aiogram; never logged).
        api_base: Bot API server, e.g. https://api.telegram.org or the sandbox.
        timeout_s: per-request timeout (getUpdates adds its long-poll timeout to it).
    """
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base), timeout=timeout_s)
    session.middleware(RetryAfterMiddleware())
    return Bot(
        token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def _says(exc: TelegramBadRequest, *fragments: str) -> bool:
    description = exc.message.lower()
    return any(fragment in description for fragment in fragments)


class BotMessenger:
    """`ports.Messenger` on an aiogram Bot.

    Args:
        bot: the Bot.
        charts: draws a message's chart; without it a chart message goes out as its text.
    """

    def __init__(self, bot: Bot, charts: ChartDrawer | None = None) -> None:
        self.bot = bot
        self.charts = charts

    async def send(self, chat_id: int, message: Rendered) -> int:
        if message.chart is not None and self.charts is not None:
            return await self._send_photo(chat_id, message, message.chart, self.charts)
        try:
            sent = await self.bot.send_message(
                chat_id, message.text, reply_markup=message.keyboard
            )
        except (TelegramForbiddenError, TelegramMigrateToChat) as exc:
            raise ChatUnavailable(str(exc)) from exc
        except TelegramBadRequest as exc:
            if _says(exc, "chat not found", "user is deactivated", "peer_id_invalid"):
                raise ChatUnavailable(str(exc)) from exc
            raise
        except TRANSIENT_TELEGRAM_ERRORS as exc:
            raise TelegramUnavailable(f"sendMessage: {type(exc).__name__}") from exc
        return sent.message_id

    async def edit(self, placeholder: Placeholder, message: Rendered) -> None:
        if message.chart is not None and self.charts is not None:
            # a text message cannot become a photo: send the chart, then drop the placeholder
            await self._send_photo(placeholder.chat_id, message, message.chart, self.charts)
            await self._delete(placeholder)
            return
        try:
            await self.bot.edit_message_text(
                text=message.text,
                chat_id=placeholder.chat_id,
                message_id=placeholder.message_id,
                reply_markup=message.keyboard,
            )
        except (TelegramForbiddenError, TelegramMigrateToChat) as exc:
            raise ChatUnavailable(str(exc)) from exc
        except TelegramBadRequest as exc:
            if _says(exc, "message is not modified"):
                return  # already shows this answer: a redelivery after a crash
            if _says(exc, "chat not found", "user is deactivated", "peer_id_invalid"):
                raise ChatUnavailable(str(exc)) from exc
            if _says(exc, "message to edit not found", "can't be edited", "message_id_invalid"):
                raise MessageGone(str(exc)) from exc
            if _says(exc, "there is no text in the message to edit"):
                raise MessageGone(str(exc)) from exc  # a chart (photo) placeholder: answer anew
            raise
        except TRANSIENT_TELEGRAM_ERRORS as exc:
            raise TelegramUnavailable(f"editMessageText: {type(exc).__name__}") from exc

    # ---- prices (issue 4): charts go out as photos (https://core.telegram.org/bots/api#sendphoto)

    async def _send_photo(
        self, chat_id: int, message: Rendered, chart: PriceChart, charts: ChartDrawer
    ) -> int:
        png = await charts.draw(chart)
        try:
            sent = await self.bot.send_photo(
                chat_id,
                BufferedInputFile(png, filename=chart.filename),
                caption=message.text,
                reply_markup=message.keyboard,
            )
        except (TelegramForbiddenError, TelegramMigrateToChat) as exc:
            raise ChatUnavailable(str(exc)) from exc
        except TelegramBadRequest as exc:
            if _says(exc, "chat not found", "user is deactivated", "peer_id_invalid"):
                raise ChatUnavailable(str(exc)) from exc
            raise
        except TRANSIENT_TELEGRAM_ERRORS as exc:
            raise TelegramUnavailable(f"sendPhoto: {type(exc).__name__}") from exc
        return sent.message_id

    async def _delete(self, placeholder: Placeholder) -> None:
        """Delete the bot's placeholder; one already gone (a redelivery) or too old to delete
        stays as it is."""
        try:
            await self.bot.delete_message(placeholder.chat_id, placeholder.message_id)
        except (TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat) as exc:
            log.info("placeholder %s not deleted: %s", placeholder.message_id, exc)
        except TRANSIENT_TELEGRAM_ERRORS as exc:
            raise TelegramUnavailable(f"deleteMessage: {type(exc).__name__}") from exc


class RedactSecrets(logging.Filter):
    """Replace secrets (the bot token, the webhook secret) in log records with `***`.

    Attach it to the root logger's handlers: it then sees every record, including
    propagated ones, and also scrubs formatted tracebacks (an aiohttp error can carry the
    request URL, which contains the token).
    """

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        scrubbed = self._scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        if record.exc_info:
            record.exc_text = self._scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        return True
