"""/stats and /broadcast, for ADMIN_IDS only (`use_cases.admin`); anyone else is refused.
Private chats only (in groups `middlewares.groups` points to the private chat)."""

from __future__ import annotations

from collections.abc import Collection

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from ..adapters.messenger import TelegramChat
from ..filters import PRIVATE
from ..ports import QueueDepths, UnitOfWork
from ..use_cases import admin
from ..use_cases.ask import Origin

__all__ = ["build_router", "on_broadcast", "on_stats"]


async def on_stats(
    message: Message,
    origin: Origin,
    chat: TelegramChat,
    uow: UnitOfWork,
    admin_ids: Collection[int] = frozenset(),
    queue_depths: QueueDepths | None = None,
) -> None:
    """/stats: users, wallets, today's payments and volume, queue depths."""
    await admin.show_stats(
        origin, admin_ids=admin_ids, queue_depths=queue_depths, chat=chat, uow=uow
    )


async def on_broadcast(
    message: Message,
    command: CommandObject,
    origin: Origin,
    chat: TelegramChat,
    uow: UnitOfWork,
    admin_ids: Collection[int] = frozenset(),
) -> None:
    """`/broadcast <text>`: queue the text for every user who has not blocked the bot."""
    await admin.queue_broadcast(origin, command.args, admin_ids=admin_ids, chat=chat, uow=uow)


def build_router() -> Router:
    """/stats and /broadcast in private chats."""
    router = Router(name="admin")
    router.message.register(on_stats, Command("stats"), PRIVATE)
    router.message.register(on_broadcast, Command("broadcast"), PRIVATE)
    return router
