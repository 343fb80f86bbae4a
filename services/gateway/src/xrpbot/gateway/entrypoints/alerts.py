"""RabbitMQ consumer of the gateway for admin alerts (issue 5): a copy of every dead-lettered
message.

Queue `gateway.dead-letter-alerts` (quorum) is bound to the `xrpbot.dead-letter` exchange
with each service's routing key, beside the services' own `<service>.dead-letter` queues,
which keep the messages for inspection: this queue only gets copies. It has no dead-letter
exchange of its own and its handler never raises, so an alert can never loop back into the
dead letters. Each copy counts one "dead_letter" event per original queue
(`x-first-death-queue`, https://www.rabbitmq.com/docs/dlx#effects).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from faststream import Context
from faststream.rabbit import QueueType, RabbitBroker, RabbitMessage, RabbitQueue, RabbitRouter

from xrpbot.runtime.topology import DEAD_LETTER

from .. import admin
from ..use_cases import GatewayDeps

__all__ = [
    "ALERTS_QUEUE",
    "alerts_queue",
    "bind_every_service",
    "build_router",
    "dead_letter_source",
]

log = logging.getLogger(__name__)

ALERTS_QUEUE = "gateway.dead-letter-alerts"
"""The gateway's queue of dead-letter copies."""


def dead_letter_source(headers: dict[str, Any]) -> str:
    """The queue a dead-lettered message came from, from its headers ("unknown" if absent)."""
    first = headers.get("x-first-death-queue")
    if isinstance(first, str | bytes) and first:
        return first.decode() if isinstance(first, bytes) else first
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict):
        queue = deaths[0].get("queue")
        if isinstance(queue, str | bytes) and queue:
            return queue.decode() if isinstance(queue, bytes) else queue
    return "unknown"


def alerts_queue(routing_key: str = "gateway") -> RabbitQueue:
    """`gateway.dead-letter-alerts`, bound with `routing_key` (no DLX: see the module)."""
    return RabbitQueue(
        ALERTS_QUEUE, queue_type=QueueType.QUORUM, durable=True, routing_key=routing_key
    )


def build_router() -> RabbitRouter:
    """The subscriber on `gateway.dead-letter-alerts` (bound for the gateway's own dead
    letters; `bind_every_service` adds the other services' routing keys)."""
    router = RabbitRouter()

    @router.subscriber(alerts_queue(), DEAD_LETTER, title=ALERTS_QUEUE)
    async def on_dead_letter(
        msg: RabbitMessage, deps: Annotated[GatewayDeps, Context("deps")]
    ) -> None:
        source = dead_letter_source(dict(msg.headers))
        try:
            await admin.record_alert(
                "dead_letter",
                source,
                uow=deps.new_uow(ALERTS_QUEUE),
                messenger=deps.messenger,
                admin_ids=deps.admin_ids,
                i18n=deps.i18n,
            )
        except Exception as exc:  # never raise: this queue must not dead-letter its own
            log.warning("dead-letter alert from %s not recorded (%s)", source, type(exc).__name__)

    return router


async def bind_every_service(broker: RabbitBroker) -> None:
    """Bind `gateway.dead-letter-alerts` to `xrpbot.dead-letter` for every service
    (idempotent; run once the broker is connected)."""
    queue = await broker.declare_queue(alerts_queue())
    exchange = await broker.declare_exchange(DEAD_LETTER)
    for service in admin.SERVICES:
        await queue.bind(exchange, routing_key=service)
