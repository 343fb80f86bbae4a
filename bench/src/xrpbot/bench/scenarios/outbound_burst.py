"""Outbound burst: PaymentReceived replies to many chats at once under Telegram's rate limits."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
import uuid
from typing import Any

import aio_pika
import aiohttp

from xrpbot.schemas import Actor, Counterparty, PaymentReceived

from ..observe import Call
from .driver import TX_HASH, Driver, poll_until

__all__ = ["outbound_burst"]


async def outbound_burst(
    driver: Driver, replies: int, chats: int, limit_per_s: float
) -> dict[str, Any]:
    """`replies` PaymentReceived replies to `chats` chats at once, with the stand-in's
    flood control on (about 30 messages/s overall, about 1/s per chat with a burst of 3).

    The replies are published straight to `xrpbot.replies` (what transfer's incoming-payment
    watcher publishes), so the gateway's outbound path alone is measured.
    """
    targets = driver.users[:chats]
    markers: dict[str, int] = {}
    delivered: dict[int, int] = {}
    times: list[float] = []
    counts = {"429": 0, "other_errors": 0}
    chat_ids = {u.user_id for u in targets}

    def on_call(call: Call) -> None:
        if call.chat_id not in chat_ids or call.method != "sendmessage":
            return
        if not call.ok:
            if call.error_code == 429:
                counts["429"] += 1
            else:
                counts["other_errors"] += 1
            return
        found = TX_HASH.search(json.dumps(call.params))
        index = markers.get(found.group(1)) if found else None
        if index is not None:
            delivered[index] = delivered.get(index, 0) + 1
            times.append(call.time_s)

    source = Counterparty(
        address=next(iter(driver.addresses.values()), "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh")
    )
    events: list[PaymentReceived] = []
    base = secrets.randbits(32)
    for i in range(replies):
        user = targets[i % len(targets)]
        tx_hash = f"{base:08X}{i:056X}"
        markers[tx_hash] = i
        events.append(
            PaymentReceived(
                correlation_id=uuid.uuid4(),
                user=Actor(telegram_id=user.user_id, username=user.username, first_name="Bench"),
                chat_id=user.user_id,
                tx_hash=tx_hash,
                delivered_drops=1_000_000 + i,
                source=source,
                ledger_index=1,
            )
        )
    await driver.control("flood", {"enabled": True})
    stop = driver.listen(on_call)
    try:
        connection = await aio_pika.connect(driver.system.amqp_url)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.get_exchange("xrpbot.replies", ensure=True)
            started = time.time()
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(
                            e.model_dump_json().encode(),
                            content_type="application/json",
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                            message_id=str(e.event_id),
                            correlation_id=str(e.correlation_id),
                        ),
                        routing_key=e.ROUTING_KEY,
                    )
                    for e in events
                )
            )
        ideal = replies / limit_per_s
        await poll_until(lambda: len(delivered) >= replies, started + max(120.0, 6 * ideal))
        await asyncio.sleep(1.0)  # late duplicates
    finally:
        stop()
        with contextlib.suppress(RuntimeError, aiohttp.ClientError):
            await driver.control("flood", {"enabled": False})
    unique = len(delivered)
    span = (max(times) - started) if times else 0.0
    rate = unique / span if span > 0 else 0.0
    return {
        "replies": replies,
        "chats": len(targets),
        "limit_per_s": limit_per_s,
        "delivered": unique,
        "duplicates": sum(n - 1 for n in delivered.values()),
        "lost": replies - unique,
        "http_429": counts["429"],
        "other_errors": counts["other_errors"],
        "seconds": round(span, 2),
        "drain_per_s": round(rate, 1),
        "drain_vs_limit": round(rate / limit_per_s, 3),
    }
