"""`POST /telegram/webhook`: Telegram's webhook as a raw ASGI route of the Service.

Rules (https://core.telegram.org/bots/api#setwebhook):
- not POST -> 405;
- `X-Telegram-Bot-Api-Secret-Token` missing or wrong (compared in constant time) -> 401, and
  the body is not even read;
- body over 1 MiB -> 413;
- start-up not finished (no database yet) -> 503, Telegram re-sends later;
- not JSON (or nested deeper than the JSON parser recurses), or not an Update (an unknown
  update type, a malformed one) -> 200 and ignored (logged): re-sending it cannot help;
- otherwise the update is stored (one INSERT into `webhook_updates`; a repeated update_id
  changes nothing) and the answer is 200, in milliseconds; it is processed right after by
  `webhook_updates.WebhookUpdates` (handlers, the update claim + outbox transaction, answers paced
  within Telegram's limits). If it cannot be stored the answer is 500, so Telegram re-sends
  it ("In case of an unsuccessful request (a request with response HTTP status code different
  from 2XY), we will repeat the request").

Nothing before the 200 calls Telegram or waits for a send slot.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Collection

from xrpbot.runtime.service import ASGIApp, Receive, Scope, Send

from ..ports import UpdateInbox
from .updates import UpdateProcessor

__all__ = ["MAX_BODY_BYTES", "SECRET_HEADER", "WEBHOOK_PATH", "webhook_route"]

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
"""Where Telegram POSTs updates (design.md)."""
SECRET_HEADER = b"x-telegram-bot-api-secret-token"
"""The header Telegram sets to setWebhook's `secret_token` (ASGI headers are lower case)."""
MAX_BODY_BYTES = 1024 * 1024
"""Largest accepted body: 1 MiB (updates are a few KiB)."""


async def _respond(
    send: Send, status: int, body: bytes = b"{}", headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


async def _read_body(scope: Scope, receive: Receive) -> bytes | None:
    """The request body, or None when it exceeds MAX_BODY_BYTES."""
    declared = _header(scope, b"content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def webhook_route(
    *,
    secret: str,
    processor: UpdateProcessor,
    updates: UpdateInbox,
    ready: Callable[[], bool],
    update_types: Collection[str] | None = None,
) -> ASGIApp:
    """The ASGI app for `POST /telegram/webhook`.

    Args:
        secret: TELEGRAM_WEBHOOK_SECRET (never logged).
        processor: parses the update (`UpdateProcessor.parse`).
        updates: stores it for processing after the answer.
        ready: True once the service's start-up finished (database and broker up).
        update_types: the update types the handlers use (setWebhook's allowed_updates); an
            update of another type is answered 200 and ignored. None: any type.
    """
    known = frozenset(update_types) if update_types is not None else None
    expected = secret.encode()

    async def webhook(scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("method") != "POST":
            await _respond(send, 405, b'{"error":"method not allowed"}', [(b"allow", b"POST")])
            return
        given = _header(scope, SECRET_HEADER)
        if given is None or not secrets.compare_digest(given, expected):
            log.warning("webhook: request with a missing or wrong secret token rejected")
            await _respond(send, 401, b'{"error":"unauthorized"}')
            return
        body = await _read_body(scope, receive)
        if body is None:
            log.warning("webhook: body over %d bytes rejected", MAX_BODY_BYTES)
            await _respond(send, 413, b'{"error":"payload too large"}')
            return
        if not ready():
            await _respond(send, 503, b'{"error":"starting"}', [(b"retry-after", b"5")])
            return
        try:
            raw = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than json recurses
            log.warning("webhook: ignored a body that is not JSON (%d bytes)", len(body))
            await _respond(send, 200)
            return
        update = processor.parse(raw)
        if update is None:
            await _respond(send, 200)
            return
        kinds = sorted(k for k, v in raw.items() if k != "update_id" and v is not None)
        if known is not None and not known.intersection(kinds):
            log.warning(
                "webhook: ignored update %s of a type the bot does not handle (%s)",
                update.update_id,
                ",".join(kinds)[:100] or "none",
            )
            await _respond(send, 200)
            return
        try:
            fresh = await updates.accept(update.update_id, raw)
        except Exception as exc:
            log.warning(
                "webhook: update %s not stored (%s); Telegram will re-send it",
                update.update_id,
                type(exc).__name__,
            )
            await _respond(send, 500, b'{"error":"not stored"}')
            return
        if not fresh:
            log.info("webhook: update %s was received before; ignored", update.update_id)
        await _respond(send, 200)

    return webhook
