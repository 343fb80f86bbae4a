"""Telegram Bot API client (aiogram 3): the Bot, and every request paced, retried and counted.

Every request goes through `OutboundMiddleware` (an aiogram session middleware): messages wait
for a slot within Telegram's limits (`limiter`), 429s are honoured, 5xx and network
errors are retried a little, 403s mark the chat inactive, and each request is counted
(`metrics`). 429 (https://core.telegram.org/bots/api#making-requests): wait
`parameters.retry_after` and retry (aiogram does not). `messenger` maps what is left of the
errors to the ports' exceptions.
"""

from __future__ import annotations

import asyncio
import logging
import time
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
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from ..domain.limits import LIMITED_METHODS
from .limiter import Limiter, MemorySendWindows
from .metrics import record_telegram_rate_limited, record_telegram_request

__all__ = [
    "TRANSIENT_TELEGRAM_ERRORS",
    "GetRawUpdates",
    "OnForbidden",
    "OutboundMiddleware",
    "RedactSecrets",
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


OnForbidden = Callable[[int, str], Awaitable[None]]
"""Called with (chat_id, Telegram's description) when a message to the chat got 403."""


def _outcome(exc: BaseException | None) -> str:
    """The `outcome` label of `xrpbot_telegram_requests_total` for a request's result."""
    if exc is None:
        return "ok"
    if isinstance(exc, TelegramRetryAfter):
        return "rate_limited"
    if isinstance(exc, TelegramServerError | ClientDecodeError):
        return "server_error"
    if isinstance(exc, TelegramNetworkError):
        return "network_error"
    if isinstance(exc, TelegramAPIError):
        return "client_error"
    return "error"


class OutboundMiddleware(BaseRequestMiddleware):
    """Every Bot API request of the gateway: paced, retried, counted.

    - A message-sending method (`domain.limits.LIMITED_METHODS`) to a numeric chat_id waits
      for the chat's turn (FIFO in this process) and a slot within Telegram's limits shared by
      every replica (`Limiter`).
    - 429 (https://core.telegram.org/bots/api#responseparameters `retry_after`): the limiter
      blocks the chat (or the bot) for `retry_after` everywhere, and the request is retried
      after it, up to `attempts` tries and `max_retry_after_s`; then `TelegramRetryAfter`
      propagates (transient: the reply is requeued).
    - 5xx and network errors: retried after `backoff_s`, doubled, up to `attempts` tries.
    - 403 ("bot was blocked by the user", "user is deactivated"): `on_forbidden` marks the
      chat inactive, and the error propagates (the reply is dropped, never retried).
    - Each HTTP request is counted (`xrpbot_telegram_requests_total{method,outcome}`,
      `xrpbot_telegram_request_seconds`), each 429 too (`xrpbot_telegram_rate_limited_total`).

    Args:
        limiter: paces the messages.
        on_forbidden: marks a chat inactive after a 403.
        attempts: tries of one request.
        max_retry_after_s: a longer retry_after is not waited for here (the reply is requeued).
        backoff_s: first wait after a 5xx or network error.
        sleep: asyncio.sleep (tests pass a fake).
    """

    def __init__(
        self,
        limiter: Limiter,
        *,
        on_forbidden: OnForbidden | None = None,
        attempts: int = 3,
        max_retry_after_s: float = 30.0,
        backoff_s: float = 0.5,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limiter = limiter
        self.on_forbidden = on_forbidden
        self.attempts = attempts
        self.max_retry_after_s = max_retry_after_s
        self.backoff_s = backoff_s
        self.sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        chat_id = getattr(method, "chat_id", None)
        if name not in LIMITED_METHODS or not isinstance(chat_id, int):
            return await self._attempts(make_request, bot, method, None)
        async with self.limiter.turn(chat_id):
            return await self._attempts(make_request, bot, method, chat_id)

    async def _attempts(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        chat_id: int | None,
    ) -> Response[TelegramType]:
        name = method.__api_method__
        for attempt in range(1, self.attempts + 1):
            grant = await self.limiter.acquire(chat_id) if chat_id is not None else None
            started = time.perf_counter()
            error: BaseException | None = None
            try:
                with self.limiter.sending():
                    return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                error = exc
                record_telegram_rate_limited(name, exc.retry_after)
                if grant is not None:
                    await self.limiter.penalize(grant, exc.retry_after)
                if attempt == self.attempts or exc.retry_after > self.max_retry_after_s:
                    raise
                log.warning("Telegram 429 on %s; retrying in %s s", name, exc.retry_after)
                if grant is None:  # unpaced method: nothing else waits it out
                    await self.sleep(exc.retry_after)
            except TelegramForbiddenError as exc:
                error = exc
                if chat_id is not None and self.on_forbidden is not None:
                    await self.on_forbidden(chat_id, exc.message)
                raise
            except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as exc:
                error = exc
                if attempt == self.attempts or name == "getUpdates":
                    raise
                delay = self.backoff_s * 2 ** (attempt - 1)
                log.warning(
                    "Telegram %s on %s; retrying in %.1f s", type(exc).__name__, name, delay
                )
                await self.sleep(delay)
            except BaseException as exc:
                error = exc
                raise
            finally:
                record_telegram_request(name, _outcome(error), time.perf_counter() - started)
                if grant is not None:
                    await self.limiter.sent(grant)
        raise AssertionError("unreachable")  # pragma: no cover


def create_bot(
    token: str,
    api_base: str,
    *,
    timeout_s: float = 20.0,
    limiter: Limiter | None = None,
    on_forbidden: OnForbidden | None = None,
) -> Bot:
    """A Bot on `api_base` (`<base>/bot<token>/<method>`) that sends HTML within Telegram's limits.

    Args:
        token: the bot token (validated by aiogram; never logged).
        api_base: Bot API server, e.g. https://api.telegram.org or the sandbox.
        timeout_s: per-request timeout (getUpdates adds its long-poll timeout to it).
        limiter: paces messages (`OutboundMiddleware`); one on this process's memory by default.
        on_forbidden: marks a chat inactive after a 403.
    """
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base), timeout=timeout_s)
    limiter = limiter or Limiter(MemorySendWindows())
    session.middleware(OutboundMiddleware(limiter, on_forbidden=on_forbidden))
    return Bot(
        token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


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
