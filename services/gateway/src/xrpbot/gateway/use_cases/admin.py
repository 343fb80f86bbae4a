"""Admin use cases: /stats, /broadcast, alerts to ADMIN_IDS, and sending broadcasts.

- Alerts: a dead-lettered message or a failed payment counts one event of its kind
  (`admin_alerts`); an alert goes to every admin at most once per `ALERT_PERIOD_S` per kind,
  summarising what happened since the last one. `flush_alerts` (every minute) sends what a
  quiet period left waiting. A dead-letter queue filling up (80 %) or full
  (`DeadLettersFilling`, once per crossing from the service that owns it) is told at once.
- Broadcasts: `broadcast_step` sends the oldest queued broadcast to its next active private
  chat, at most one message per `BROADCAST_INTERVAL_S` across every replica (the row's
  `last_sent_at`), besides the outbound limiter every message passes. A chat that answers 403
  is marked inactive. A crash between a send and its commit repeats that one message.
- /stats answers "Collecting the stats…" and queues GetStats; the gateway's own numbers
  (users from `chats`, queue depths from RabbitMQ) are gathered now and stored as the reply's
  "stats" view, so StatsReported is shown with them (`render.admin`).

Alerts and the broadcast report are worded in each admin's language (their /settings choice,
else the language_code Telegram last gave for their private chat), read in the same
transaction that decides to send them. The broadcast itself goes out as the admin typed it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime
from functools import partial
from html import escape
from typing import Final
from uuid import uuid5

from aiogram.utils.i18n import I18n

from xrpbot.schemas import (
    CancelTransfer,
    ConfirmTransfer,
    CreateWallet,
    DeadLettersFilling,
    GetBalance,
    GetHistory,
    GetPrices,
    GetStats,
    RequestTransfer,
)

from ..domain.admin import (
    ALERT_PERIOD_S,
    BROADCAST_INTERVAL_S,
    MAX_BROADCAST_CHARS,
    AlertSummary,
)
from ..domain.delivery import ChatUnavailable, ReplyView, TelegramUnavailable
from ..domain.preferences import DEFAULT_LOCALE, pick_locale
from ..ports import Chat, Messenger, QueueDepths, UnitOfWork
from ..render.admin import alert_text, dead_letters_filling_text
from ..render.i18n import locale_context
from ..render.message import Rendered
from ..render.texts import admin
from .ask import Origin, ask

__all__ = [
    "SERVICES",
    "STATS_QUEUES",
    "admin_locales",
    "alert_dead_letters_filling",
    "broadcast_step",
    "flush_alerts",
    "notify_admins",
    "queue_broadcast",
    "record_alert",
    "show_stats",
]

log = logging.getLogger(__name__)

SERVICES: Final = ("gateway", "wallet", "transfer", "pricing")
"""The services whose dead letters alert the admins (design.md's names)."""
STATS_QUEUES: Final = (
    "gateway.replies",
    *(
        command.ROUTING_KEY  # a command's queue is named after its routing key
        for command in (
            CreateWallet,
            GetBalance,
            RequestTransfer,
            ConfirmTransfer,
            CancelTransfer,
            GetHistory,
            GetStats,
            GetPrices,
        )
    ),
    *(f"{service}.dead-letter" for service in SERVICES),
)
"""The queues /stats shows (design.md's names)."""


async def admin_locales(uow: UnitOfWork, admin_ids: Collection[int]) -> dict[int, str]:
    """Each admin's language, read through `uow` (an open unit of work)."""
    locales: dict[int, str] = {}
    for admin_id in admin_ids:
        current = await uow.preferences.get(admin_id)
        locales[admin_id] = pick_locale(current.language, current.telegram_language)
    return locales


async def notify_admins(
    messenger: Messenger,
    admin_ids: Collection[int],
    text: Callable[[], str],
    *,
    i18n: I18n | None = None,
    locales: Mapping[int, str] | None = None,
) -> int:
    """Send `text()` to every admin, worded in their language; returns to how many it went.
    Failures are logged only: an alert must never make the work that raised it fail.

    Args:
        messenger: Telegram.
        admin_ids: who gets it.
        text: makes the message in the current language (called once per admin).
        i18n: the catalogs; None writes English.
        locales: each admin's language (`admin_locales`); English for those missing.
    """
    delivered = 0
    for admin_id in sorted(admin_ids):
        try:
            with locale_context(i18n, (locales or {}).get(admin_id, DEFAULT_LOCALE)):
                message = Rendered(text())
            await messenger.send(admin_id, message)
            delivered += 1
        except Exception as exc:
            log.warning("alert to admin %s not sent (%s)", admin_id, type(exc).__name__)
    return delivered


async def record_alert(
    kind: str,
    detail: str,
    *,
    uow: UnitOfWork,
    messenger: Messenger,
    admin_ids: Collection[int],
    period_s: float = ALERT_PERIOD_S,
    i18n: I18n | None = None,
) -> AlertSummary | None:
    """Count one event of `kind` ("dead_letter", "payment_failed"); alert the admins when the
    kind's last alert is `period_s` old. Returns the summary that was sent, if any.

    The count commits before the alert is sent: an alert lost to a Telegram outage is not
    repeated (the next one still counts from then on).
    """
    if not admin_ids:
        return None
    async with uow:
        summary = await uow.admin.note_alert(kind, detail, period_s=period_s)
        locales = await admin_locales(uow, admin_ids) if summary is not None else {}
        await uow.commit()
    if summary is not None:
        await notify_admins(
            messenger, admin_ids, partial(alert_text, summary), i18n=i18n, locales=locales
        )
    return summary


async def alert_dead_letters_filling(
    event: DeadLettersFilling,
    *,
    uow: UnitOfWork,
    messenger: Messenger,
    admin_ids: Collection[int],
    i18n: I18n | None = None,
) -> int:
    """Tell every admin that a service's dead-letter queue is filling or full, in their
    language. The service sends one event per crossing (`xrpbot.runtime.dead_letter_alerts`),
    so each is worth a message of its own, not a summary; the event is claimed in the inbox
    first, so a redelivery tells nobody twice.

    The claim commits before the messages are sent: an alert lost to a Telegram outage is not
    repeated (as `record_alert`'s).

    Returns:
        to how many admins it went (0 for a redelivery or without ADMIN_IDS).
    """
    if not admin_ids:
        return 0
    async with uow:
        if not await uow.claim(event):
            return 0
        locales = await admin_locales(uow, admin_ids)
        await uow.commit()
    return await notify_admins(
        messenger,
        admin_ids,
        partial(dead_letters_filling_text, event),
        i18n=i18n,
        locales=locales,
    )


async def flush_alerts(
    *,
    uow: UnitOfWork,
    messenger: Messenger,
    admin_ids: Collection[int],
    period_s: float = ALERT_PERIOD_S,
    i18n: I18n | None = None,
) -> list[AlertSummary]:
    """Send the summaries whose period passed with events still waiting."""
    if not admin_ids:
        return []
    async with uow:
        summaries = await uow.admin.due_alerts(period_s=period_s)
        locales = await admin_locales(uow, admin_ids) if summaries else {}
        await uow.commit()
    for summary in summaries:
        await notify_admins(
            messenger, admin_ids, partial(alert_text, summary), i18n=i18n, locales=locales
        )
    return summaries


async def broadcast_step(
    *,
    uow: UnitOfWork,
    messenger: Messenger,
    interval_s: float = BROADCAST_INTERVAL_S,
    sleep: Callable[[float], object] = asyncio.sleep,
    i18n: I18n | None = None,
) -> bool:
    """Send the oldest queued broadcast to its next chat (or finish it and report).

    Returns:
        True if there was something to do (call again at once), False when idle.

    Raises:
        TelegramUnavailable: Telegram failed transiently; nothing was recorded (retry later).
    """
    async with uow:
        job = await uow.admin.next_broadcast(interval_s=interval_s)
        if job is None:
            return False
        chat_id = await uow.admin.next_target(job)
        if chat_id is None:
            await uow.admin.finish_broadcast(job)
            locale = (await admin_locales(uow, [job.created_by]))[job.created_by]
            await uow.commit()
            log.info(
                "broadcast %s done: %d sent, %d unreachable", job.id, job.sent, job.unreachable
            )
            try:
                with locale_context(i18n, locale):
                    report = admin.broadcast_done(sent=job.sent, unreachable=job.unreachable)
                await messenger.send(job.created_by, Rendered(report))
            except Exception as exc:
                log.warning("broadcast report not sent (%s)", type(exc).__name__)
            return True
        if job.wait_s > 0:
            waited = sleep(job.wait_s)
            if asyncio.iscoroutine(waited):
                await waited
        sent = True
        try:
            await messenger.send(chat_id, Rendered(job.text))
        except ChatUnavailable as exc:
            sent = False
            await uow.chats.mark_inactive(chat_id, str(exc))
        except TelegramUnavailable:
            raise
        except Exception as exc:  # a refusal a retry cannot fix: skip this chat, not the rest
            sent = False
            log.warning("broadcast %s to chat %s failed (%s)", job.id, chat_id, type(exc).__name__)
        await uow.admin.advance_broadcast(job, chat_id, sent=sent)
        await uow.commit()
    return True


async def show_stats(
    origin: Origin,
    *,
    admin_ids: Collection[int],
    queue_depths: QueueDepths | None,
    chat: Chat,
    uow: UnitOfWork,
) -> None:
    """/stats for an admin: users, wallets, today's payments and volume, queue depths (GetStats,
    shown with the gateway's numbers); anyone else is refused."""
    if origin.actor.telegram_id not in admin_ids:
        await chat.say(Rendered(admin.admin_only()))
        return
    now = datetime.now(UTC)
    counts = await uow.admin.user_counts(now.replace(hour=0, minute=0, second=0, microsecond=0))
    depths = await queue_depths.depths(STATS_QUEUES) if queue_depths is not None else {}
    view = ReplyView(
        "stats",
        {
            "users": counts.users,
            "active_today": counts.active_today,
            "inactive": counts.inactive,
            "queues": depths,
        },
    )
    await ask(GetStats, origin, uow=uow, answer=chat, waiting=admin.collecting_stats(), view=view)


async def queue_broadcast(
    origin: Origin, text: str | None, *, admin_ids: Collection[int], chat: Chat, uow: UnitOfWork
) -> None:
    """`/broadcast <text>` from an admin: queue the text (HTML-escaped: it is shown as typed)
    for every user who has not blocked the bot, and say how many that is; `broadcast_step`
    sends it. Anyone else is refused; an empty or too long text gets the usage."""
    if origin.actor.telegram_id not in admin_ids:
        await chat.say(Rendered(admin.admin_only()))
        return
    text = (text or "").strip()
    if not text or len(text) > MAX_BROADCAST_CHARS:
        await chat.say(Rendered(admin.broadcast_usage()))
        return
    # the id comes from the update, so a retried update queues the same broadcast
    broadcast_id = uuid5(origin.correlation_id, "broadcast")
    reach = await uow.admin.queue_broadcast(broadcast_id, origin.actor.telegram_id, escape(text))
    await chat.say(Rendered(admin.broadcast_queued(reach)))
