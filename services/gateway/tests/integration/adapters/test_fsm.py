"""The /send flow's tables on a real Postgres: FSM state through aiogram's storage interface,
the first quote press, and the per-correlation lock of pending replies."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
from aiogram.fsm.storage.base import StorageKey

from xrpbot.gateway.adapters.fsm import UnitOfWorkStorage, current_uow
from xrpbot.gateway.adapters.postgres.uow import GatewayUnitOfWork
from xrpbot.gateway.domain.delivery import Placeholder
from xrpbot.gateway.states import SendFlow

pytestmark = pytest.mark.integration

KEY = StorageKey(bot_id=1, chat_id=42, user_id=42)


def _uow(pool: asyncpg.Pool[Any]) -> GatewayUnitOfWork:
    return GatewayUnitOfWork(pool, "gateway.updates", lambda: None)


async def test_flow_state_and_data_commit_with_the_update_and_survive_new_connections(
    pool: asyncpg.Pool[Any],
) -> None:
    storage = UnitOfWorkStorage()
    async with _uow(pool) as uow:
        token = current_uow.set(uow)
        try:
            await storage.set_state(KEY, SendFlow.destination)
            await storage.set_data(KEY, {"amount": "10 XRP"})
            await storage.update_data(KEY, {"destination": "@bob"})
        finally:
            current_uow.reset(token)
        await uow.commit()
    async with _uow(pool) as uow:  # another connection, as after a restart
        token = current_uow.set(uow)
        try:
            assert await storage.get_state(KEY) == "SendFlow:destination"
            assert await storage.get_data(KEY) == {"amount": "10 XRP", "destination": "@bob"}
            assert await storage.get_state(StorageKey(bot_id=1, chat_id=7, user_id=7)) is None
            await storage.set_state(KEY, None)
            await storage.set_data(KEY, {})
        finally:
            current_uow.reset(token)
        await uow.commit()
    assert await pool.fetchval("SELECT count(*) FROM fsm_states") == 0


async def test_a_rolled_back_update_leaves_the_flow_where_it_was(pool: asyncpg.Pool[Any]) -> None:
    storage = UnitOfWorkStorage()
    async with _uow(pool) as uow:
        token = current_uow.set(uow)
        await storage.set_state(KEY, SendFlow.amount)
        current_uow.reset(token)
        await uow.commit()
    async with _uow(pool) as uow:
        token = current_uow.set(uow)
        await storage.set_state(KEY, SendFlow.tag)
        current_uow.reset(token)
        # no commit: the update failed
    async with _uow(pool) as uow:
        token = current_uow.set(uow)
        assert await storage.get_state(KEY) == "SendFlow:amount"
        current_uow.reset(token)


def test_the_storage_refuses_to_work_outside_an_update() -> None:
    with pytest.raises(RuntimeError, match="outside an update"):
        asyncio.run(UnitOfWorkStorage().get_state(KEY))


async def test_one_conversation_is_handled_one_update_at_a_time(pool: asyncpg.Pool[Any]) -> None:
    key = "fsm:1:42:42:default"
    first = await _uow(pool).__aenter__()
    await first.fsm_state(key)
    second = _uow(pool)
    await second.__aenter__()
    waiting = asyncio.create_task(second.fsm_state(key))
    await asyncio.sleep(0.3)
    assert not waiting.done(), "the second update waits for the first one's transaction"
    await first.set_fsm_state(key, "SendFlow:amount")
    await first.commit()
    await first.__aexit__(None, None, None)
    assert await asyncio.wait_for(waiting, 10) == ("SendFlow:amount", {})
    await second.__aexit__(None, None, None)


async def test_only_the_first_press_of_a_quote_takes_its_message(pool: asyncpg.Pool[Any]) -> None:
    transfer_id, first, second = uuid4(), uuid4(), uuid4()
    a = await _uow(pool).__aenter__()
    assert await a.press_quote(transfer_id, first)
    b = await _uow(pool).__aenter__()
    pressing = asyncio.create_task(b.press_quote(transfer_id, second))
    await asyncio.sleep(0.3)
    assert not pressing.done(), "a press at the same instant waits for the first"
    await a.commit()
    await a.__aexit__(None, None, None)
    assert await asyncio.wait_for(pressing, 10) is False
    await b.__aexit__(None, None, None)
    assert (
        await pool.fetchval(
            "SELECT correlation_id FROM quote_presses WHERE transfer_id = $1", transfer_id
        )
        == first
    )


async def test_a_pending_reply_is_locked_while_one_reply_edits_it(
    pool: asyncpg.Pool[Any],
) -> None:
    correlation_id = uuid4()
    async with _uow(pool) as uow:
        await uow.expect_reply(correlation_id, Placeholder(1, 2))
        await uow.commit()
    validated = await _uow(pool).__aenter__()
    assert await validated.placeholder(correlation_id) == Placeholder(1, 2)
    submitted = await _uow(pool).__aenter__()
    looking = asyncio.create_task(submitted.placeholder(correlation_id))
    await asyncio.sleep(0.3)
    assert not looking.done()
    await validated.forget_placeholder(correlation_id)
    await validated.commit()
    await validated.__aexit__(None, None, None)
    assert await asyncio.wait_for(looking, 10) is None
    await submitted.__aexit__(None, None, None)
