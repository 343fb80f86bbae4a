"""Webhook delivery: pending updates POSTed in order, retried with backoff (telegram-bot-api `WebhookActor.cpp`)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import secrets
from typing import Any
from urllib.parse import parse_qsl

import aiohttp

from .args import Args, Upload, json_values, parse_multipart, to_int
from .constants import WEBHOOK_MAX_RESEND_TIMEOUT
from .methods import call_method
from .state import BotState, Update, Webhook

log = logging.getLogger("xrpbot.sandbox.telegram")


def _next_deliverable(bot: BotState, now: float) -> tuple[Update | None, float | None]:
    """The oldest update that is first in its chat's queue and due; else when one will be."""
    seen: set[int] = set()
    soonest: float | None = None
    for update in bot.pending:
        if update.queue_key in seen:
            continue
        seen.add(update.queue_key)
        if update.wakeup_at <= now:
            return update, None
        soonest = update.wakeup_at if soonest is None else min(soonest, update.wakeup_at)
    return None, soonest


async def deliver_forever(bot: BotState, session: aiohttp.ClientSession) -> None:
    """POST pending updates to the webhook in order, retrying failures with backoff."""
    loop = asyncio.get_running_loop()
    while True:
        hook = bot.webhook
        wait: float | None = None
        update: Update | None = None
        if hook is not None and bot.pending:
            update, wait = _next_deliverable(bot, loop.time())
        if hook is None or update is None:
            bot.wake.clear()
            timeout = None if wait is None else max(0.0, wait - loop.time())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot.wake.wait(), timeout)
            continue
        await _deliver_one(bot, hook, update, session)


async def _deliver_one(
    bot: BotState, hook: Webhook, update: Update, session: aiohttp.ClientSession
) -> None:
    headers = {"Content-Type": "application/json"}
    if hook.secret_token:
        headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
    body = json.dumps(update.as_json(), ensure_ascii=False).encode()
    error: str | None = None
    retry_after = 0
    reply: tuple[str, bytes, Any] | None = None
    try:
        async with session.post(
            hook.url,
            data=body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=bot.owner.webhook_timeout_seconds),
        ) as response:
            content = await response.read()
            if 200 <= response.status <= 299:
                reply = (response.content_type, content, response.headers)
            else:
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
                retry_after = to_int(response.headers.get("Retry-After", ""))
    except TimeoutError:
        error = "Read timeout expired"
    except aiohttp.ClientConnectorError as err:
        os_error = err.os_error
        if os_error.errno == errno.ECONNREFUSED:
            error = "Connection refused"
        else:
            error = os_error.strerror or "Failed to connect"
    except aiohttp.ClientError as err:
        error = f"Webhook connection closed: {type(err).__name__}"
    if bot.webhook is not hook:
        return  # the webhook changed while this delivery was in flight
    if error is None:
        with contextlib.suppress(ValueError):
            bot.pending.remove(update)
        if reply is not None:
            await _webhook_reply(bot, *reply)
        return
    log.info("webhook delivery of update %d failed: %s", update.update_id, error)
    hook.last_error_date = bot.owner.now()
    hook.last_error_message = error
    # WebhookActor::on_update_error: retry at once after the first failure, then double the
    # delay up to a random 60..120 s; a Retry-After header from the receiver wins.
    retry_after = max(0, min(retry_after, 3600))
    delay = float(retry_after)
    if retry_after == 0 and update.fail_count > 0:
        cap = WEBHOOK_MAX_RESEND_TIMEOUT * (1 + secrets.randbelow(1000) / 1000)
        update.delay = min(cap, update.delay * 2)
        delay = update.delay
    update.fail_count += 1
    loop = asyncio.get_running_loop()
    update.wakeup_at = loop.time() + delay * bot.owner.webhook_retry_scale


async def _webhook_reply(bot: BotState, content_type: str, content: bytes, headers: Any) -> None:
    """ "If you're using webhooks, you can perform a request to the Bot API while sending an
    answer to the webhook" (Making requests when getting updates): run the method in the reply.
    """
    values: dict[str, str] = {}
    files: dict[str, Upload] = {}
    if content_type == "application/json":
        values = json_values(content)
    elif content_type == "application/x-www-form-urlencoded":
        values = dict(parse_qsl(content.decode("utf-8", "replace"), keep_blank_values=True))
    elif content_type == "multipart/form-data":
        values, files = parse_multipart(content, headers.get("Content-Type", ""))
    method = values.pop("method", "")
    name = method.lower()
    if not name or name in {"deletewebhook", "setwebhook", "close", "logout"}:
        return
    if name.startswith("get"):
        return
    await call_method(bot, method, Args(values, files))
