"""Every consumer fed random and mutated bodies on the real RabbitMQ: each message ends once —
handled (a typed refusal) or dead-lettered — and none is retried as if it were transient, so a
hostile body can never make a service loop. The services stay ready throughout."""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.request
import uuid
from typing import Any

import aio_pika
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xrpbot.sandbox.tools.stack import SERVICES, Stack

pytestmark = pytest.mark.integration

QUEUES = {
    "wallet": [
        "wallet.create_wallet",
        "wallet.get_balance",
        "wallet.sign_payment",
        "wallet.resolve_user",
    ],
    "transfer": [
        "transfer.request_transfer",
        "transfer.confirm_transfer",
        "transfer.cancel_transfer",
        "transfer.get_history",
    ],
    "pricing": ["pricing.get_prices"],
}
"""Command queues by owner; each queue's name is its routing key on xrpbot.commands."""

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | st.text(max_size=300),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def bodies(draw: st.DrawFn, kind: str) -> bytes:
    """A body for `kind`: garbage bytes, any JSON, or a valid-looking envelope with one field
    broken or a random payload."""
    shape = draw(st.sampled_from(["bytes", "json", "envelope"]))
    if shape == "bytes":
        return draw(st.binary(max_size=200))
    if shape == "json":
        return json.dumps(draw(json_values)).encode()
    envelope: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "correlation_id": str(uuid.uuid4()),
        "occurred_at": "2026-12-04T12:00:00+00:00",
        "schema_version": 1,
        "user": {
            "telegram_id": draw(st.integers(min_value=1, max_value=2**40)),
            "username": "fuzz",
        },
        "chat_id": draw(st.integers(min_value=-(2**40), max_value=2**40)),
        "kind": kind,
    }
    envelope.update(draw(st.dictionaries(st.text(max_size=20), json_values, max_size=4)))
    if draw(st.booleans()):
        victim = draw(st.sampled_from(sorted(envelope)))
        envelope[victim] = draw(json_values)
    return json.dumps(envelope).encode()


def _metric_sum(stack: Stack, service: str, outcome: str) -> float:
    port = stack.port(service)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()
    pattern = re.compile(r"^xrpbot_messages_total\{([^}]*)\} ([0-9.e+]+)$", re.MULTILINE)
    return sum(
        float(value) for labels, value in pattern.findall(text) if f'outcome="{outcome}"' in labels
    )


async def _depth(channel: aio_pika.abc.AbstractChannel, queue: str) -> int:
    declared = await channel.declare_queue(queue, passive=True)
    return int(declared.declaration_result.message_count or 0)


async def _publish_and_drain(stack: Stack, batch: list[tuple[str, bytes]]) -> dict[str, int]:
    connection = await aio_pika.connect(stack.env["RABBITMQ_URL"])  # the test's admin
    async with connection:
        channel = await connection.channel()
        dead_before = {s: await _depth(channel, f"{s}.dead-letter") for s in QUEUES}
        commands = await channel.get_exchange("xrpbot.commands")
        for key, body in batch:
            await commands.publish(
                aio_pika.Message(
                    body, content_type="application/json", message_id=str(uuid.uuid4())
                ),
                routing_key=key,
            )
        deadline = time.monotonic() + 60
        while True:
            depths = [await _depth(channel, q) for qs in QUEUES.values() for q in qs]
            if not any(depths):
                break
            assert time.monotonic() < deadline, f"queues not drained: {depths}"
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # what was taken last has finished
        return {s: await _depth(channel, f"{s}.dead-letter") - dead_before[s] for s in QUEUES}


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_bodies_end_once_and_never_loop(ready: Stack, data: st.DataObject) -> None:
    keys = [q for qs in QUEUES.values() for q in qs]
    batch = [(key, data.draw(bodies(key))) for key in keys for _ in range(3)]
    retried_before = {s: _metric_sum(ready, s, "retried") for s in SERVICES}
    dead = asyncio.run(_publish_and_drain(ready, batch))
    assert sum(dead.values()) <= len(batch)
    retried_after = {s: _metric_sum(ready, s, "retried") for s in SERVICES}
    assert retried_after == retried_before, "a hostile body was retried as if transient"
    assert all(code == 200 for code in ready.readiness().values())
