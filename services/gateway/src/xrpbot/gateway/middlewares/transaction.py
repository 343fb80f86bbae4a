"""Outer update middleware: each update_id is processed once, in one transaction.

It opens the unit of work, claims the update (`processed_updates`), notes the chat and reports
the user (`use_cases.users`), hands the unit of work to the handler as `uow`, and commits after
the handler returned; then `on_commit` wakes the outgoing sender, which shows the messages the
update queued (`ports.UnitOfWork.outgoing`). A duplicate update_id (Telegram
re-sends until it gets 2xx, https://core.telegram.org/bots/api#setwebhook) is skipped before
any handler runs. If the handler raises, the transaction rolls back, the claim with it (and any
FSM step, see `adapters.fsm`), and the update can be processed again when Telegram retries it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiogram import BaseMiddleware, Bot
from aiogram.types import Chat, TelegramObject, Update, User

from ..adapters.fsm import current_uow
from ..adapters.messenger import TelegramChat
from ..ports import UnitOfWork
from ..use_cases.users import report_user_seen

__all__ = ["DUPLICATE", "UpdateTransactionMiddleware"]

log = logging.getLogger(__name__)


class _Duplicate:
    def __repr__(self) -> str:
        return "DUPLICATE"


DUPLICATE: Final = _Duplicate()
"""What `Dispatcher.feed_update` returns for an update that was processed before."""


class UpdateTransactionMiddleware(BaseMiddleware):
    """Runs every update inside one transaction that claims its update_id.

    Args:
        new_uow: makes a unit of work (one transaction) per update.
        on_commit: called with the Bot after each commit (the outgoing sender's wake-up:
            `entrypoints.outgoing.OutgoingSender.wake`); None: nothing is called.
    """

    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        on_commit: Callable[[Bot], Awaitable[None]] | None = None,
    ) -> None:
        self.new_uow = new_uow
        self.on_commit = on_commit

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):  # registered on dp.update only
            return await handler(event, data)
        async with self.new_uow() as uow:
            if not await uow.claim_update(event.update_id):
                log.info("update %s was processed before; skipped", event.update_id)
                return DUPLICATE
            chat: Chat | None = data.get("event_chat")
            user: User | None = data.get("event_from_user")
            if chat is not None:
                await uow.chats.see(chat.id, user.language_code if user else None)
            if (origin := data.get("origin")) is not None:  # ActorMiddleware's
                await report_user_seen(origin, uow=uow)
            data["uow"] = uow
            # the FSM storage writes through this unit of work (adapters.fsm)
            token = current_uow.set(uow)
            try:
                result = await handler(event, data)
            finally:
                current_uow.reset(token)
            await uow.commit()
        if self.on_commit is not None:
            await self.on_commit(data["bot"])
        chat = data.get("chat")
        if isinstance(chat, TelegramChat) and chat.waiting:  # a placeholder waits: "typing…"
            task = asyncio.create_task(chat.show_typing())
            _typing.add(task)
            task.add_done_callback(_typing.discard)
        return result


_typing: set[asyncio.Task[None]] = set()
"""The "typing…" calls in flight (a reference keeps each task alive until it is done)."""
