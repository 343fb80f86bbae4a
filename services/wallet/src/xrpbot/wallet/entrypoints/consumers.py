"""RabbitMQ consumers of the wallet service: unpack the command, call the use case, nothing else.

A handler returns only after its transaction committed; FastStream then acks.
"""

from __future__ import annotations

from typing import Annotated

from faststream import Context
from faststream.rabbit import RabbitRouter

from xrpbot.runtime.topology import COMMANDS, consumer_queue
from xrpbot.schemas import CreateWallet, GetBalance

from .. import use_cases
from ..use_cases import WalletDeps

__all__ = ["build_router"]


def build_router(delivery_limit: int) -> RabbitRouter:
    """The wallet's subscribers on `xrpbot.commands`, one quorum queue per command."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(
            "wallet",
            CreateWallet.ROUTING_KEY,
            CreateWallet.ROUTING_KEY,
            delivery_limit=delivery_limit,
        ),
        COMMANDS,
        title="wallet.create_wallet",
    )
    async def on_create_wallet(
        cmd: CreateWallet, deps: Annotated[WalletDeps, Context("deps")]
    ) -> None:
        await use_cases.create_wallet(cmd, deps)

    @router.subscriber(
        consumer_queue(
            "wallet", GetBalance.ROUTING_KEY, GetBalance.ROUTING_KEY, delivery_limit=delivery_limit
        ),
        COMMANDS,
        title="wallet.get_balance",
    )
    async def on_get_balance(
        cmd: GetBalance, deps: Annotated[WalletDeps, Context("deps")]
    ) -> None:
        await use_cases.get_balance(cmd, deps)

    return router
