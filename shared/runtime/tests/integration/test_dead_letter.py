"""A message that cannot be handled goes to the service's dead-letter queue; a transient failure
is retried and then succeeds — on the real RabbitMQ, through the runtime's middleware."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

import aio_pika
import pytest
from faststream.rabbit import RabbitBroker

from xrpbot.runtime.middleware import consume_middleware
from xrpbot.runtime.topology import COMMANDS, DEAD_LETTER, consumer_queue, dead_letter_queue
from xrpbot.schemas import Actor, GetBalance

pytestmark = pytest.mark.integration


async def test_poison_message_is_dead_lettered_and_transient_failure_retried(
    servers: dict[str, str],
) -> None:
    service = f"rt_{secrets.token_hex(3)}"
    key = f"{service}.get_balance"
    attempts: list[int] = []
    handled: list[int] = []
    done = asyncio.Event()
    broker = RabbitBroker(
        servers["rabbitmq"], logger=None, middlewares=[consume_middleware((ConnectionError,))]
    )

    @broker.subscriber(consumer_queue(service, key, key, delivery_limit=3), COMMANDS)
    async def handle(cmd: GetBalance) -> None:
        attempts.append(cmd.user.telegram_id)
        if cmd.user.telegram_id == 2 and attempts.count(2) == 1:
            raise ConnectionError("database went away")  # transient: retried
        handled.append(cmd.user.telegram_id)
        done.set()

    await broker.start()
    dlq = await broker.declare_queue(dead_letter_queue(service))
    await dlq.bind(await broker.declare_exchange(DEAD_LETTER), routing_key=service)
    conn = await aio_pika.connect(servers["rabbitmq"])
    try:
        await broker.publish(b'{"not": "a command"}', exchange=COMMANDS, routing_key=key)
        good = GetBalance.new(user=Actor(telegram_id=2), chat_id=2)
        await broker.publish(good.model_dump_json().encode(), exchange=COMMANDS, routing_key=key)
        await asyncio.wait_for(done.wait(), 20)
        assert handled == [2]
        channel = await conn.channel()
        queue = await channel.get_queue(f"{service}.dead-letter")
        dead: Any = None
        async with asyncio.timeout(10):
            while dead is None:
                dead = await queue.get(no_ack=True, fail=False)
                await asyncio.sleep(0.05)
        assert dead.body == b'{"not": "a command"}'
        assert attempts == [2, 2], "the transient failure was retried once, then handled"
    finally:
        await broker.stop()
        channel = await conn.channel()
        await channel.queue_delete(key)
        await channel.queue_delete(f"{service}.dead-letter")
        await conn.close()
