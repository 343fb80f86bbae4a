"""RabbitMQ queue depths for /stats: a passive queue declare on a connection of its own.

A passive declare (https://www.rabbitmq.com/docs/queues#declaration) reports a queue's ready
messages without creating or changing it; for a queue that does not exist the broker closes
the channel (404), so each queue gets a fresh channel and the broker's consuming channels are
never touched.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import aio_pika

__all__ = ["RabbitQueueDepths"]

log = logging.getLogger(__name__)


class RabbitQueueDepths:
    """`ports.QueueDepths` over RABBITMQ_URL.

    Args:
        url: the AMQP URL (with the vhost); never logged (it holds a password).
        timeout_s: the whole reading's time limit.
    """

    def __init__(self, url: str, *, timeout_s: float = 5.0) -> None:
        self.url = url
        self.timeout_s = timeout_s

    async def depths(self, queues: Sequence[str]) -> dict[str, int | None]:
        found: dict[str, int | None] = dict.fromkeys(queues)
        try:
            async with asyncio.timeout(self.timeout_s):
                connection = await aio_pika.connect(self.url)
                async with connection:
                    for name in queues:
                        channel = await connection.channel()
                        try:
                            queue = await channel.declare_queue(name, passive=True)
                            found[name] = queue.declaration_result.message_count
                        except aio_pika.exceptions.ChannelClosed:
                            found[name] = None  # no such queue (yet)
                        finally:
                            if not channel.is_closed:
                                await channel.close()
        except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
            log.warning("queue depths unknown (%s)", type(exc).__name__)
        return found
