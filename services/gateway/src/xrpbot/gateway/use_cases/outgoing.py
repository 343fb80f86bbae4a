"""Show one queued bot message on Telegram, after the commit that decided it.

The sender (`entrypoints.outgoing`) leases due messages (`ports.OutgoingStore`) and calls
`show_queued` for each. A message never sent is sent; one Telegram shows already is edited
into its newest body. What Telegram answers decides what happens to the row:

| Telegram                              | the row                                          |
| ------------------------------------- | ------------------------------------------------ |
| accepted                              | shown (its version), with the message's id       |
| the message to edit is gone           | sent as a new message, shown                     |
| the chat cannot receive (403, gone)   | dropped                                          |
| refused for good (another 400)        | dropped, logged as an error                      |
| unreachable, 5xx, 429, no send slot   | due again after a back-off (`retry_delay_s`)     |

What Telegram did is recorded with patience (`record`): Postgres unreachable for a while (a
restart) delays the record, never repeats the send. The Bot API has no idempotency key: only if
the process dies after Telegram accepted a message and before `shown` is recorded is the
message sent again by another replica (the one case of a second copy; docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiogram.exceptions import TelegramBadRequest

from xrpbot.runtime.db import TRANSIENT_DB_ERRORS

from ..domain.delivery import (
    ChatUnavailable,
    MessageGone,
    Placeholder,
    QueuedMessage,
    TelegramUnavailable,
)
from ..ports import Messenger, OutgoingStore
from ..render.message import rendered_from_json

__all__ = ["MAX_RETRY_DELAY_S", "RECORD_PATIENCE_S", "record", "retry_delay_s", "show_queued"]

log = logging.getLogger(__name__)

MAX_RETRY_DELAY_S = 20.0
"""The longest back-off between two tries of one message."""


RECORD_PATIENCE_S = 60.0
"""How long recording an outcome is retried while Postgres is unreachable (a restart takes
seconds); the lease (the limiter's longest wait + 120 s) outlasts it."""


async def record(
    call: Callable[[], Awaitable[None]], *, patience_s: float = RECORD_PATIENCE_S
) -> None:
    """Run `call` (a store write), retrying transient database errors for up to `patience_s`
    seconds (0.5 s, doubled, at most 5 s apart).

    Raises:
        the last transient error, once `patience_s` is spent; any other error at once.
    """
    loop = asyncio.get_running_loop()
    deadline, delay = loop.time() + patience_s, 0.5
    while True:
        try:
            await call()
            return
        except TRANSIENT_DB_ERRORS:
            if loop.time() + delay > deadline:
                raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


def retry_delay_s(attempts: int) -> float:
    """Seconds before the next try of a message tried `attempts` times (1 s, doubled, at most
    `MAX_RETRY_DELAY_S`)."""
    return float(min(MAX_RETRY_DELAY_S, 2.0 ** max(0, attempts - 1)))


async def show_queued(message: QueuedMessage, *, store: OutgoingStore, telegram: Messenger) -> str:
    """Send or edit `message` on Telegram and record the outcome (see the module's table).

    Args:
        message: a leased due message.
        store: where the outcome is recorded.
        telegram: the Bot API (`adapters.messenger.BotMessenger`, paced by the limiter).

    Returns:
        the outcome: "sent", "edited", "dropped" or "retry" (the metric's label).

    Raises:
        asyncpg errors: the outcome could not be recorded within `RECORD_PATIENCE_S` (the
            lease runs out; it is tried again).
    """
    try:
        rendered = rendered_from_json(message.body)
    except (KeyError, TypeError, ValueError):
        log.exception("queued message %s has a body that cannot be read", message.slot_id)
        await record(lambda: store.drop(message, "unreadable body"))
        return "dropped"
    try:
        if message.message_id is None:
            shown, outcome = await telegram.send(message.chat_id, rendered), "sent"
        else:
            placeholder = Placeholder(message.chat_id, message.message_id)
            try:
                shown, outcome = await telegram.edit(placeholder, rendered), "edited"
            except MessageGone:
                shown, outcome = await telegram.send(message.chat_id, rendered), "sent"
    except ChatUnavailable as exc:
        log.info("chat %s cannot receive messages; message %s dropped", message.chat_id, exc)
        await record(lambda: store.drop(message, "chat unavailable"))
        return "dropped"
    except TelegramBadRequest as exc:
        log.error("Telegram refused message %s: %s", message.slot_id, exc.message)
        reason = exc.message
        await record(lambda: store.drop(message, reason))
        return "dropped"
    except TelegramUnavailable as exc:
        delay = retry_delay_s(message.attempts)
        log.info("message %s not shown (%s); again in %.0f s", message.slot_id, exc, delay)
        await record(lambda: store.retry(message, delay))
        return "retry"
    await record(lambda: store.shown(message, shown))
    return outcome
