"""Inbox and outbox on the real Postgres and RabbitMQ: a message is published if and only if its
transaction committed; a redelivered message is claimed once; poison messages are dead-lettered."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import asyncpg
import pytest
import pytest_asyncio
from faststream.rabbit import RabbitBroker

from xrpbot.runtime.outbox import OutboxRelay, add_to_outbox, claim_inbox
from xrpbot.runtime.topology import REPLIES
from xrpbot.schemas import Actor, ErrorCode, WalletFailed

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def broker_and_queue(servers: dict[str, str]) -> AsyncIterator[tuple[RabbitBroker, Any]]:
    """A started broker, and a temporary queue bound to xrpbot.replies collecting everything."""
    broker = RabbitBroker(servers["rabbitmq"], logger=None)
    await broker.start()
    conn = await aio_pika.connect(servers["rabbitmq"])
    channel = await conn.channel()
    exchange = await channel.declare_exchange(
        REPLIES.name, aio_pika.ExchangeType.TOPIC, durable=True
    )
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key="#")
    try:
        yield broker, queue
    finally:
        await conn.close()
        await broker.stop()


def _reply(tag: str) -> WalletFailed:
    return WalletFailed(
        correlation_id="00000000-0000-0000-0000-000000000001",  # type: ignore[arg-type]
        user=Actor(telegram_id=1, username=tag),
        chat_id=1,
        code=ErrorCode.INTERNAL,
        command="wallet.get_balance",
    )


async def _drain(queue: Any, seconds: float = 1.5) -> list[bytes]:
    got: list[bytes] = []
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        msg = await queue.get(no_ack=True, fail=False)
        if msg is None:
            await asyncio.sleep(0.05)
            continue
        got.append(msg.body)
    return got


async def test_published_if_and_only_if_committed(
    pool: asyncpg.Pool[Any], broker_and_queue: tuple[RabbitBroker, Any]
) -> None:
    broker, queue = broker_and_queue
    tag = secrets.token_hex(4)
    committed, rolled_back = _reply(f"c{tag}"), _reply(f"r{tag}")
    async with pool.acquire() as conn:
        async with conn.transaction():
            await add_to_outbox(conn, REPLIES.name, committed)
        tx = conn.transaction()
        await tx.start()
        await add_to_outbox(conn, REPLIES.name, rolled_back)
        await tx.rollback()
    relay = OutboxRelay(pool, broker)
    assert await relay.relay_once() == 1
    assert await relay.relay_once() == 0, "a published row is not published again"
    bodies = await _drain(queue)
    assert [WalletFailed.model_validate_json(b).event_id for b in bodies] == [committed.event_id]


async def test_unpublished_rows_survive_a_broker_outage(
    pool: asyncpg.Pool[Any], servers: dict[str, str], broker_and_queue: tuple[RabbitBroker, Any]
) -> None:
    _, queue = broker_and_queue
    message = _reply("outage")
    async with pool.acquire() as conn:
        await add_to_outbox(conn, REPLIES.name, message)
    dead = RabbitBroker("amqp://guest:guest@127.0.0.1:1/", fail_fast=False, logger=None)
    assert await OutboxRelay(pool, dead).relay_once() == 0
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 1
    live = RabbitBroker(servers["rabbitmq"], logger=None)
    await live.start()
    try:
        assert await OutboxRelay(pool, live).relay_once() == 1
    finally:
        await live.stop()
    assert [WalletFailed.model_validate_json(b).event_id for b in await _drain(queue)] == [
        message.event_id
    ]


async def test_inbox_claims_each_message_once(pool: asyncpg.Pool[Any]) -> None:
    message = _reply("inbox")
    async with pool.acquire() as conn:
        assert await claim_inbox(conn, "consumer-a", message) is True
        assert await claim_inbox(conn, "consumer-a", message) is False
        assert await claim_inbox(conn, "consumer-b", message) is True
        tx = conn.transaction()
        await tx.start()
        other = _reply("rollback")
        assert await claim_inbox(conn, "consumer-a", other) is True
        await tx.rollback()
        assert await claim_inbox(conn, "consumer-a", other) is True, (
            "a rolled-back claim is no claim"
        )
