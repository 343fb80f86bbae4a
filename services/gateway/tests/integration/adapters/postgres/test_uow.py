"""GatewayUnitOfWork on a real Postgres: migrations, claims, savepoints, concurrent duplicates."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from xrpbot.gateway.adapters.postgres.uow import GatewayUnitOfWork
from xrpbot.gateway.domain.delivery import Placeholder
from xrpbot.schemas import Actor, CreateWallet

pytestmark = pytest.mark.integration


def _uow(pool: asyncpg.Pool[Any], kicks: list[int] | None = None) -> GatewayUnitOfWork:
    sink = kicks if kicks is not None else []
    return GatewayUnitOfWork(pool, "gateway.updates", lambda: sink.append(1))


async def test_claim_command_and_placeholder_commit_together(pool: asyncpg.Pool[Any]) -> None:
    kicks: list[int] = []
    command = CreateWallet.new(user=Actor(telegram_id=1), chat_id=1)
    async with _uow(pool, kicks) as uow:
        assert await uow.claim_update(100)
        await uow.chats.see(1, "en")
        await uow.expect_reply(command.correlation_id, Placeholder(1, 55))
        await uow.send_command(command)
        await uow.commit()
    assert kicks == [1]
    row = await pool.fetchrow("SELECT exchange, routing_key, body FROM outbox")
    assert row is not None
    assert (row["exchange"], row["routing_key"]) == ("xrpbot.commands", "wallet.create_wallet")
    assert CreateWallet.model_validate_json(row["body"]) == command
    async with _uow(pool) as uow:
        assert await uow.placeholder(command.correlation_id) == Placeholder(1, 55)
        assert not await uow.claim_update(100)


async def test_rollback_leaves_nothing(pool: asyncpg.Pool[Any]) -> None:
    command = CreateWallet.new(user=Actor(telegram_id=2), chat_id=2)
    async with _uow(pool) as uow:
        await uow.claim_update(101)
        await uow.expect_reply(command.correlation_id, Placeholder(2, 1))
        await uow.send_command(command)
    for table in ("processed_updates", "pending_replies", "outbox"):
        assert await pool.fetchval(f"SELECT count(*) FROM {table}") == 0  # noqa: S608


async def test_a_failed_savepoint_undoes_its_writes_and_keeps_the_rest(
    pool: asyncpg.Pool[Any],
) -> None:
    command = CreateWallet.new(user=Actor(telegram_id=3), chat_id=3)
    async with _uow(pool) as uow:

        async def handler() -> None:
            async with uow.savepoint():
                await uow.expect_reply(command.correlation_id, Placeholder(3, 1))
                await uow.send_command(command)
                await uow.conn.execute(  # what a price of 0 did to fiat_rates
                    "INSERT INTO fiat_rates (vs_currency, price, as_of) VALUES ('usd', 0, now())"
                )

        assert await uow.claim_update(103)
        verdict = await uow.throttle(3, burst=5, per_second=1.0)
        with pytest.raises(asyncpg.CheckViolationError):
            await handler()
        await uow.commit()  # the transaction is usable again after the savepoint's rollback
    assert verdict.value == "allow"
    assert await pool.fetchval("SELECT count(*) FROM processed_updates") == 1
    assert await pool.fetchval("SELECT count(*) FROM command_throttle") == 1
    for table in ("pending_replies", "outbox", "fiat_rates"):
        assert await pool.fetchval(f"SELECT count(*) FROM {table}") == 0  # noqa: S608


async def test_a_concurrent_duplicate_waits_and_then_sees_the_claim(
    pool: asyncpg.Pool[Any],
) -> None:
    async with _uow(pool) as first:
        assert await first.claim_update(102)
        async with _uow(pool) as second:
            waiting = asyncio.create_task(second.claim_update(102))
            await asyncio.sleep(0.3)
            assert not waiting.done(), "the duplicate must wait for the first transaction"
            await first.commit()
            assert await waiting is False


async def test_a_concurrent_duplicate_proceeds_when_the_first_fails(
    pool: asyncpg.Pool[Any],
) -> None:
    async with _uow(pool) as second:
        async with _uow(pool) as first:
            assert await first.claim_update(103)
            waiting = asyncio.create_task(second.claim_update(103))
            await asyncio.sleep(0.3)
            assert not waiting.done()
        # `first` left without commit: rolled back
        assert await waiting is True


async def test_inbox_claim_and_forgetting_the_placeholder(pool: asyncpg.Pool[Any]) -> None:
    command = CreateWallet.new(user=Actor(telegram_id=3), chat_id=3)
    async with _uow(pool) as uow:
        await uow.expect_reply(command.correlation_id, Placeholder(3, 9))
        await uow.commit()
    async with GatewayUnitOfWork(pool, "gateway.replies", lambda: None) as uow:
        assert await uow.claim(command)
        await uow.forget_placeholder(command.correlation_id)
        await uow.commit()
    async with GatewayUnitOfWork(pool, "gateway.replies", lambda: None) as uow:
        assert not await uow.claim(command)
        assert await uow.placeholder(command.correlation_id) is None


async def test_the_quote_message_is_found_by_its_transfer_through_the_owning_press(
    pool: asyncpg.Pool[Any],
) -> None:
    from uuid import uuid4

    transfer_id, owner, other = uuid4(), uuid4(), uuid4()
    async with _uow(pool) as uow:
        assert await uow.press_quote(transfer_id, owner)
        assert not await uow.press_quote(transfer_id, other)
        await uow.expect_reply(owner, Placeholder(1, 300))
        await uow.commit()
    async with _uow(pool) as uow:
        assert await uow.quote_message(transfer_id) == (owner, Placeholder(1, 300))
        assert await uow.quote_message(uuid4()) is None
        await uow.forget_placeholder(owner)
        assert await uow.quote_message(transfer_id) is None, "answered: it waits no more"
