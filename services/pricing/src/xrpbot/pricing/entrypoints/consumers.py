"""RabbitMQ consumers of the pricing service."""

from __future__ import annotations

from typing import Annotated

from faststream import Context
from faststream.rabbit import RabbitRouter

from xrpbot.runtime.topology import COMMANDS, consumer_queue
from xrpbot.schemas import GetPrices

from .. import use_cases
from ..use_cases import PricingDeps

__all__ = ["build_router"]


def build_router(delivery_limit: int) -> RabbitRouter:
    """The pricing subscribers on `xrpbot.commands`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(
            "pricing", GetPrices.ROUTING_KEY, GetPrices.ROUTING_KEY, delivery_limit=delivery_limit
        ),
        COMMANDS,
        title="pricing.get_prices",
    )
    async def on_get_prices(cmd: GetPrices, deps: Annotated[PricingDeps, Context("deps")]) -> None:
        await use_cases.get_prices(cmd, deps)

    return router
