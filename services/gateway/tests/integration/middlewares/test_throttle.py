"""The throttle on a real Postgres: what an update spends survives the update's rollback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from aiogram import Bot
from aiogram.filters import Command

from xrpbot.gateway.adapters.messenger import BotMessenger
from xrpbot.gateway.adapters.postgres.outgoing import PgOutgoingStore
from xrpbot.gateway.adapters.postgres.uow import GatewayUnitOfWork
from xrpbot.gateway.domain.throttle import ThrottleLimits
from xrpbot.gateway.entrypoints.outgoing import OutgoingSender
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.render.texts import common as common_texts

pytestmark = pytest.mark.integration


async def _crash(message: Any) -> None:
    raise ConnectionResetError("the database went away")  # transient: the update rolls back


async def test_rolled_back_updates_are_throttled_like_any_other(
    pool: asyncpg.Pool[Any],
    bot: Bot,
    telegram: Any,
    message_update: Callable[..., dict[str, Any]],
) -> None:
    sender = OutgoingSender(PgOutgoingStore(pool, "gateway-test"), BotMessenger(bot))

    async def show(_: Bot) -> None:
        await sender.show_due_now()

    dp = build_dispatcher(
        lambda: GatewayUnitOfWork(pool, "gateway.updates", lambda: None),
        throttle=ThrottleLimits(burst=2, per_second=0.001),
        on_commit=show,
    )
    dp.message.register(_crash, Command("crash"))  # the Dispatcher's own handlers come first
    for update_id in (1, 2):  # all the messages carry the same date: no refill between them
        with pytest.raises(ConnectionResetError):
            await dp.feed_raw_update(bot, message_update(update_id, "/crash"))
    # the two rolled back (nothing claimed), yet the allowance is spent: the third is throttled
    assert await dp.feed_raw_update(bot, message_update(3, "/crash")) is True
    assert [m.text for m in telegram.sent("sendMessage")] == [common_texts.slow_down()]
    assert await pool.fetchval("SELECT count(*) FROM gateway.processed_updates") == 0
    assert (
        await pool.fetchval(
            "SELECT verdict FROM gateway.command_throttle WHERE telegram_id = 4242"
        )
        == "notice"
    )
