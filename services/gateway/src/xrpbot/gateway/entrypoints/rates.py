"""RabbitMQ consumer of the gateway on `xrpbot.events`: pricing's spot-price refreshes.

Queue `gateway.pricing.spot_refreshed` (quorum, dead-letters to `gateway.dead-letter`) is bound
to `xrpbot.events` with `pricing.spot_refreshed`. Each event updates the latest XRP price per
fiat currency in the gateway's schema, so /balance shows fiat equivalents without ever asking
pricing and waiting.
"""

from __future__ import annotations

import logging
from typing import Annotated

from faststream import Context
from faststream.rabbit import RabbitRouter

from xrpbot.runtime.topology import EVENTS, consumer_queue
from xrpbot.schemas import SpotPricesRefreshed

from .. import use_cases
from ..use_cases import GatewayDeps

__all__ = ["RATES_QUEUE", "build_router"]

log = logging.getLogger(__name__)

RATES_QUEUE = "gateway." + SpotPricesRefreshed.ROUTING_KEY
"""The gateway's queue of spot-price events (`<consumer>.<routing key>`)."""


def build_router(delivery_limit: int) -> RabbitRouter:
    """The subscriber on `gateway.pricing.spot_refreshed`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(
            "gateway", RATES_QUEUE, SpotPricesRefreshed.ROUTING_KEY, delivery_limit=delivery_limit
        ),
        EVENTS,
        title=RATES_QUEUE,
    )
    async def on_spot_prices_refreshed(
        event: SpotPricesRefreshed, deps: Annotated[GatewayDeps, Context("deps")]
    ) -> None:
        changed = await use_cases.record_spot_prices(event, uow=deps.new_uow(RATES_QUEUE))
        log.info("spot prices %s: %d rates updated", event.event_id, changed)

    return router
