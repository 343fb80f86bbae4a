"""RabbitMQ consumers of the transfer service."""

from __future__ import annotations

from typing import Annotated

from faststream import Context
from faststream.rabbit import RabbitRouter

from xrpbot.runtime.topology import EVENTS, consumer_queue
from xrpbot.schemas import WalletOpened

from .. import use_cases
from ..use_cases import TransferDeps

__all__ = ["build_router"]


def build_router(delivery_limit: int) -> RabbitRouter:
    """The transfer subscribers: `wallet.opened` events on `xrpbot.events`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(
            "transfer",
            f"transfer.{WalletOpened.ROUTING_KEY}",
            WalletOpened.ROUTING_KEY,
            delivery_limit=delivery_limit,
        ),
        EVENTS,
        title="transfer.wallet.opened",
    )
    async def on_wallet_opened(
        event: WalletOpened, deps: Annotated[TransferDeps, Context("deps")]
    ) -> None:
        await use_cases.record_wallet_opened(event, deps)

    return router
