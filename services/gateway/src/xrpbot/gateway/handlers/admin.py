"""/stats and /broadcast, for ADMIN_IDS only (issue 5); anyone else is refused. Private chats
only (in groups `middlewares.groups` points to the private chat).

- /stats answers "Collecting the stats…" and queues GetStats; the gateway's own numbers
  (users from `chats`, queue depths from RabbitMQ) are gathered now and stored as the reply's
  "stats" view, so StatsReported is shown with them (`views.render_view`).
- `/broadcast <text>` queues the text (HTML-escaped: it is shown as typed) for every active
  private chat and says how many that is; `admin.broadcast_step` sends it, paced, and reports.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from html import escape
from uuid import UUID, uuid5

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from xrpbot.schemas import Actor, GetStats

from .. import texts, use_cases
from ..admin import STATS_QUEUES
from ..ids import command_event_id
from ..ports import Placeholder, QueueDepths, ReplyView, UnitOfWork

__all__ = ["build_router", "on_broadcast", "on_stats"]

_private = (F.chat.type == ChatType.PRIVATE) & F.from_user
_MAX_BROADCAST = 3500  # characters: the escaped text must stay under sendMessage's 4096


async def on_stats(
    message: Message,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
    admin_ids: Collection[int] = frozenset(),
    queue_depths: QueueDepths | None = None,
) -> None:
    """/stats: users, wallets, today's payments and volume, queue depths."""
    if actor.telegram_id not in admin_ids:
        await message.answer(texts.admin_only())
        return
    now = datetime.now(UTC)
    counts = await uow.admin.user_counts(now.replace(hour=0, minute=0, second=0, microsecond=0))
    depths = await queue_depths.depths(STATS_QUEUES) if queue_depths is not None else {}
    sent = await message.answer(texts.collecting_stats())
    await uow.set_reply_view(
        correlation_id,
        ReplyView(
            "stats",
            {
                "users": counts.users,
                "active_today": counts.active_today,
                "inactive": counts.inactive,
                "queues": depths,
            },
        ),
    )
    command = GetStats.new(
        user=actor,
        chat_id=message.chat.id,
        correlation_id=correlation_id,
        event_id=command_event_id(correlation_id, GetStats.ROUTING_KEY),
    )
    await use_cases.request(
        command, placeholder=Placeholder(message.chat.id, sent.message_id), uow=uow
    )


async def on_broadcast(
    message: Message,
    command: CommandObject,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
    admin_ids: Collection[int] = frozenset(),
) -> None:
    """`/broadcast <text>`: queue the text for every user who has not blocked the bot."""
    if actor.telegram_id not in admin_ids:
        await message.answer(texts.admin_only())
        return
    text = (command.args or "").strip()
    if not text or len(text) > _MAX_BROADCAST:
        await message.answer(texts.broadcast_usage())
        return
    # the id comes from the update, so a retried update queues the same broadcast
    broadcast_id = uuid5(correlation_id, "broadcast")
    reach = await uow.admin.queue_broadcast(broadcast_id, actor.telegram_id, escape(text))
    await message.answer(texts.broadcast_queued(reach))


def build_router() -> Router:
    """/stats and /broadcast in private chats."""
    router = Router(name="admin")
    router.message.register(on_stats, Command("stats"), _private)
    router.message.register(on_broadcast, Command("broadcast"), _private)
    return router
