"""The floor: request/reply round trips through the same RabbitMQ with aio-pika, nothing else.

Both sides use what the services use: durable quorum queues, persistent messages, publisher
confirms, manual acks, prefetch 16. The responder runs in its own process (like a service):

    python -m xrpbot.bench.scenarios.bare_bus <amqp url> <request queue>

It answers each request to its `reply_to` queue (publish, wait for the confirm, then ack the
request). The requester keeps `concurrency` requests in flight, each one publishing (confirmed)
and waiting for its reply, for `duration_s` seconds after a warm-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from xrpbot.schemas import Actor, GetBalance

from ..stats import LatencySummary, summarize

__all__ = ["BusResult", "command_body", "measure_bus", "serve_echo"]

PREFETCH = 16
"""The services' default PREFETCH_COUNT."""
QUORUM: dict[str, Any] = {"x-queue-type": "quorum"}


def command_body() -> bytes:
    """A GetBalance command as the gateway publishes it (JSON): the size of the baseline's messages."""
    user = Actor(
        telegram_id=7_000_000_001,
        username="bench_user_0001",
        first_name="Bench",
        language_code="en",
    )
    return GetBalance.new(user=user, chat_id=user.telegram_id).model_dump_json().encode()


async def serve_echo(url: str, queue_name: str, ready: Any = None) -> None:
    """Answer every request on `queue_name` until cancelled (the responder process)."""
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=PREFETCH)
        queue = await channel.declare_queue(queue_name, durable=True, arguments=QUORUM)
        tasks: set[asyncio.Task[None]] = set()

        async def answer(message: AbstractIncomingMessage) -> None:
            await channel.default_exchange.publish(
                aio_pika.Message(
                    message.body,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    correlation_id=message.correlation_id,
                    content_type="application/json",
                ),
                routing_key=str(message.reply_to),
            )
            await message.ack()

        async def on_message(message: AbstractIncomingMessage) -> None:
            task = asyncio.create_task(answer(message))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        await queue.consume(on_message)
        if ready is not None:
            ready()
        await asyncio.Future()  # until cancelled


@dataclass(frozen=True)
class BusResult:
    """One baseline measurement.

    Attributes:
        concurrency: requests kept in flight.
        duration_s: measured seconds (after the warm-up).
        round_trips: completed round trips in that time.
        rate_per_s: round trips per second.
        latency: round-trip latency (publish → reply received), ms.
        message_bytes: size of each request and reply body, bytes.
    """

    concurrency: int
    duration_s: float
    round_trips: int
    rate_per_s: float
    latency: LatencySummary
    message_bytes: int

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {
            "concurrency": self.concurrency,
            "duration_s": round(self.duration_s, 2),
            "round_trips": self.round_trips,
            "rate_per_s": round(self.rate_per_s, 1),
            "latency": self.latency.as_dict(),
            "message_bytes": self.message_bytes,
        }


async def _requests(
    url: str, queue_name: str, concurrency: int, duration_s: float, warmup_s: float
) -> BusResult:
    body = command_body()
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=PREFETCH)
        replies = await channel.declare_queue(
            f"{queue_name}.replies", durable=True, arguments=QUORUM
        )
        waiting: dict[str, asyncio.Future[None]] = {}

        async def on_reply(message: AbstractIncomingMessage) -> None:
            future = waiting.pop(str(message.correlation_id), None)
            await message.ack()
            if future is not None and not future.done():
                future.set_result(None)

        tag = await replies.consume(on_reply)
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        measure_from = started + warmup_s
        end = measure_from + duration_s
        latencies: list[float] = []

        async def client() -> None:
            while (now := time.perf_counter()) < end:
                correlation_id = uuid.uuid4().hex
                future: asyncio.Future[None] = loop.create_future()
                waiting[correlation_id] = future
                await channel.default_exchange.publish(
                    aio_pika.Message(
                        body,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        correlation_id=correlation_id,
                        reply_to=replies.name,
                        content_type="application/json",
                    ),
                    routing_key=queue_name,
                )
                await asyncio.wait_for(future, 30)
                done = time.perf_counter()
                if now >= measure_from and done <= end:
                    latencies.append(done - now)

        await asyncio.gather(*(client() for _ in range(concurrency)))
        await replies.cancel(tag)
        await replies.delete(if_unused=False, if_empty=False)
    return BusResult(
        concurrency=concurrency,
        duration_s=duration_s,
        round_trips=len(latencies),
        rate_per_s=len(latencies) / duration_s,
        latency=summarize(latencies),
        message_bytes=len(body),
    )


async def measure_bus(
    url: str, concurrencies: list[int], duration_s: float, warmup_s: float = 1.0
) -> list[BusResult]:
    """Start the responder process, measure each concurrency in turn, stop it.

    Args:
        url: the AMQP URL (the bench's vhost).
        concurrencies: requests in flight, one measurement each (e.g. [1, 16]).
        duration_s: measured seconds per concurrency.
        warmup_s: seconds before measuring (connections, queue leaders, JIT-free warm caches).
    """
    queue_name = f"bench.bus.{uuid.uuid4().hex[:8]}"
    responder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "xrpbot.bench.scenarios.bare_bus",
        url,
        queue_name,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        assert responder.stdout is not None  # noqa: S101  piped
        line = await asyncio.wait_for(responder.stdout.readline(), 60)
        if b"ready" not in line:
            raise RuntimeError(f"bus responder did not start: {line.decode(errors='replace')}")
        return [await _requests(url, queue_name, c, duration_s, warmup_s) for c in concurrencies]
    finally:
        if responder.returncode is None:
            responder.terminate()
        try:
            await asyncio.wait_for(responder.wait(), 10)
        except TimeoutError:
            responder.kill()
            await responder.wait()
        with contextlib.suppress(Exception):
            connection = await aio_pika.connect(url)
            async with connection:
                channel = await connection.channel()
                await channel.queue_delete(queue_name)


def _main(argv: list[str]) -> int:
    url, queue_name = argv

    def ready() -> None:
        print("ready", flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_echo(url, queue_name, ready))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
