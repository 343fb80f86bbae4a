"""Bot API methods that hand out updates: getUpdates and the webhook's set/delete/info."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from .args import Args, clamped_int, to_bool
from .constants import (
    DEFAULT_UPDATE_TYPES,
    GETUPDATES_CONFLICT,
    LONG_POLL_MAX_TIMEOUT,
    UPDATE_TYPES,
)
from .errors import ApiError, bad_request
from .state import BotState, Webhook


def _allowed_updates(raw: str) -> frozenset[str] | None:
    """Client::get_allowed_update_types: None keeps the previous setting."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    names = frozenset(v.lower() for v in value) & frozenset(UPDATE_TYPES)
    return names or DEFAULT_UPDATE_TYPES


def _set_allowed(bot: BotState, raw: str) -> None:
    allowed = _allowed_updates(raw)
    if allowed is not None:
        bot.allowed_updates = None if allowed == DEFAULT_UPDATE_TYPES else allowed


async def _get_updates(bot: BotState, args: Args) -> Any:
    """getUpdates: confirm below `offset`, return up to `limit`, long-poll for `timeout` s."""
    if bot.webhook is not None:
        raise ApiError(409, GETUPDATES_CONFLICT)
    offset = clamped_int(args("offset"), 0, -(2**31), 2**31 - 1)
    limit = clamped_int(args("limit"), 100, 1, 100)
    timeout = clamped_int(args("timeout"), 0, 0, LONG_POLL_MAX_TIMEOUT)
    _set_allowed(bot, args("allowed_updates"))

    def take() -> list[dict[str, Any]]:
        nonlocal offset
        if offset < 0:
            bot.pending = bot.pending[offset:] if -offset < len(bot.pending) else bot.pending
            offset = 0
        if offset > 0:
            bot.pending = [u for u in bot.pending if u.update_id >= offset]
        return [u.as_json() for u in bot.pending[:limit]]

    result = take()
    if result or timeout == 0 or bot.owner.closing:
        return result
    bot.abort_long_poll(
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )
    loop = asyncio.get_running_loop()
    aborted: asyncio.Future[str] = loop.create_future()
    arrived: asyncio.Future[None] = loop.create_future()
    bot.long_poll = aborted
    bot.update_waiters.append(arrived)
    waiting: set[asyncio.Future[Any]] = {aborted, arrived}
    try:
        await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if bot.long_poll is aborted:
            bot.long_poll = None
        if not arrived.done():
            arrived.cancel()
    if aborted.done() and aborted.result():
        raise ApiError(409, aborted.result())
    if bot.webhook is not None:
        return []
    return take()


def _valid_webhook_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


async def _set_webhook(bot: BotState, args: Args) -> Any:
    """setWebhook (Client::process_set_webhook_query / do_set_webhook / finish_set_webhook)."""
    url = args("url")
    drop = to_bool(args("drop_pending_updates"))
    if not url:
        return await _delete_webhook(bot, args)
    secret = args("secret_token")
    max_connections = clamped_int(args("max_connections"), 40, 1, 100)
    current = bot.webhook
    if (
        current is not None
        and current.url == url
        and current.secret_token == secret
        and current.max_connections == max_connections
        and not drop
    ):
        _set_allowed(bot, args("allowed_updates"))
        return Described(True, "Webhook is already set")
    if not _valid_webhook_url(url):
        raise bad_request("invalid webhook URL specified")
    if len(secret) > 256:
        raise bad_request("secret token is too long")
    if not re.fullmatch(r"[A-Za-z0-9_-]*", secret):
        raise bad_request("secret token contains unallowed characters")
    if drop:
        bot.pending.clear()
    bot.abort_long_poll("Conflict: terminated by setWebhook request")
    bot.webhook = Webhook(url, secret, max_connections, args("ip_address") or "127.0.0.1")
    _set_allowed(bot, args("allowed_updates"))
    for update in bot.pending:
        update.fail_count, update.delay, update.wakeup_at = 0, 1.0, 0.0
    bot.wake.set()
    return Described(True, "Webhook was set")


async def _delete_webhook(bot: BotState, args: Args) -> Any:
    """deleteWebhook: "Webhook was deleted" or "Webhook is already deleted"."""
    if to_bool(args("drop_pending_updates")):
        bot.pending.clear()
    if bot.webhook is None:
        return Described(True, "Webhook is already deleted")
    bot.webhook = None
    bot.wake.set()
    return Described(True, "Webhook was deleted")


async def _get_webhook_info(bot: BotState, args: Args) -> Any:
    """getWebhookInfo (Client::JsonWebhookInfo: fields appear only when set)."""
    hook = bot.webhook
    result: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.pending),
    }
    if hook is not None:
        if hook.last_error_date is not None:
            result["last_error_date"] = hook.last_error_date
            result["last_error_message"] = hook.last_error_message
        result["max_connections"] = hook.max_connections
        result["ip_address"] = hook.ip_address
    if bot.allowed_updates is not None:
        result["allowed_updates"] = [t for t in UPDATE_TYPES if t in bot.allowed_updates]
    return result


@dataclass
class Described:
    """A result with Telegram's optional human-readable `description` beside it."""

    result: Any
    description: str


METHODS: Final = {
    "getupdates": _get_updates,
    "setwebhook": _set_webhook,
    "deletewebhook": _delete_webhook,
    "getwebhookinfo": _get_webhook_info,
}
"""This module's methods, by lower-cased name (`methods.call_method` looks them up)."""
