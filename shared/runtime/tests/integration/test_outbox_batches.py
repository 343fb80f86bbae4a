"""The outbox relay publishes a batch and awaits its confirms together, on the real Postgres and
RabbitMQ: every row arrives, in id order; a row whose confirm fails stays unpublished."""

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

from xrpbot.runtime.outbox import OutboxRelay, add_to_outbox
from xrpbot.runtime.topology import REPLIES
from xrpbot.schemas import Actor, ErrorCode, WalletFailed

pytestmark = pytest.mark.integration


@pytest_asyncio.fixture
async def replies(servers: dict[str, str]) -> AsyncIterator[Any]:
    """A channel on which the test declares its own queues on xrpbot.replies."""
    conn = await aio_pika.connect(servers["rabbitmq"])
    channel = await conn.channel()
    exchange = await channel.declare_exchange(
        REPLIES.name, aio_pika.ExchangeType.TOPIC, durable=True
    )
    try:
        yield channel, exchange
    finally:
        await conn.close()


@pytest_asyncio.fixture
async def broker(servers: dict[str, str]) -> AsyncIterator[RabbitBroker]:
    """A started broker with publisher confirms (FastStream's default)."""
    started = RabbitBroker(servers["rabbitmq"], logger=None)
    await started.start()
    try:
        yield started
    finally:
        await started.stop()


def _reply(n: int) -> WalletFailed:
    return WalletFailed(
        correlation_id="00000000-0000-0000-0000-000000000002",  # type: ignore[arg-type]
        user=Actor(telegram_id=n, username=f"u{n}"),
        chat_id=n,
        code=ErrorCode.INTERNAL,
        command="wallet.get_balance",
    )


async def _queue_rows(pool: asyncpg.Pool[Any], routing_keys: list[str]) -> list[WalletFailed]:
    """Queue one message per routing key, in this order. The rows get routing keys of this
    test's own, so its queues take (or refuse) them without touching other users of the
    shared exchange."""
    messages = [_reply(n) for n in range(len(routing_keys))]
    async with pool.acquire() as conn, conn.transaction():
        for message, key in zip(messages, routing_keys, strict=True):
            await add_to_outbox(conn, REPLIES.name, message)
            await conn.execute(
                "UPDATE outbox SET routing_key = $1 WHERE message_id = $2", key, message.event_id
            )
    return messages


async def _receive(queue: Any, count: int) -> list[str]:
    """The event_ids of the first `count` distinct messages in `queue`, in arrival order."""
    seen: list[str] = []
    async with asyncio.timeout(30), queue.iterator() as messages:
        async for msg in messages:
            await msg.ack()
            event_id = str(WalletFailed.model_validate_json(msg.body).event_id)
            if event_id not in seen:
                seen.append(event_id)
            if len(seen) == count:
                break
    return seen


async def test_every_row_of_several_batches_arrives_in_order(
    pool: asyncpg.Pool[Any], broker: RabbitBroker, replies: Any
) -> None:
    channel, exchange = replies
    key = f"test.outbox-batches.{secrets.token_hex(4)}"
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key=key)
    messages = await _queue_rows(pool, [key] * 250)
    relay = OutboxRelay(pool, broker)
    published = [await relay.relay_once() for _ in range(4)]
    assert published == [100, 100, 50, 0]
    assert await _receive(queue, 250) == [str(m.event_id) for m in messages]
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_a_row_whose_confirm_fails_stays_unpublished(
    pool: asyncpg.Pool[Any], broker: RabbitBroker, replies: Any
) -> None:
    channel, exchange = replies
    tag = secrets.token_hex(4)
    taken, refused = f"test.outbox-taken.{tag}", f"test.outbox-refused.{tag}"
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key=taken)
    # a full queue that refuses new messages: RabbitMQ nacks their publish
    # (https://www.rabbitmq.com/docs/maxlength#overflow-behaviour)
    full = await channel.declare_queue(
        exclusive=True,
        auto_delete=True,
        arguments={"x-max-length": 0, "x-overflow": "reject-publish"},
    )
    await full.bind(exchange, routing_key=refused)
    first, nacked, last = await _queue_rows(pool, [taken, refused, taken])
    assert await OutboxRelay(pool, broker).relay_once() == 2
    unpublished = await pool.fetch("SELECT message_id FROM outbox WHERE published_at IS NULL")
    assert [row["message_id"] for row in unpublished] == [nacked.event_id]
    assert await _receive(queue, 2) == [str(first.event_id), str(last.event_id)]
