"""RabbitMQ consumers of the transfer service: unpack, call the use case, nothing else.

A handler returns only after its transaction committed; FastStream then acks.
"""

from __future__ import annotations

from typing import Annotated

from faststream import Context
from faststream.rabbit import RabbitQueue, RabbitRouter

from xrpbot.runtime.topology import COMMANDS, EVENTS, consumer_queue
from xrpbot.schemas import (
    CancelTransfer,
    ConfirmTransfer,
    GetHistory,
    GetStats,
    RequestTransfer,
    UserSeen,
    WalletOpened,
)

from ..use_cases import incoming, queries, quotes, usernames
from ..use_cases.deps import TransferDeps

__all__ = ["build_router"]

Deps = Annotated[TransferDeps, Context("deps")]


def build_router(delivery_limit: int) -> RabbitRouter:
    """The transfer subscribers: its commands on `xrpbot.commands`; `wallet.opened` and
    `gateway.user_seen` events on `xrpbot.events`."""
    router = RabbitRouter()

    def queue(name: str, routing_key: str) -> RabbitQueue:
        return consumer_queue("transfer", name, routing_key, delivery_limit=delivery_limit)

    @router.subscriber(
        queue(f"transfer.{WalletOpened.ROUTING_KEY}", WalletOpened.ROUTING_KEY),
        EVENTS,
        title="transfer.wallet.opened",
    )
    async def on_wallet_opened(event: WalletOpened, deps: Deps) -> None:
        await incoming.record_wallet_opened(event, deps)

    @router.subscriber(
        queue(f"transfer.{UserSeen.ROUTING_KEY}", UserSeen.ROUTING_KEY),
        EVENTS,
        title=f"transfer.{UserSeen.ROUTING_KEY}",
    )
    async def on_user_seen(event: UserSeen, deps: Deps) -> None:
        await usernames.record_user_seen(event, deps)

    @router.subscriber(
        queue(RequestTransfer.ROUTING_KEY, RequestTransfer.ROUTING_KEY),
        COMMANDS,
        title=RequestTransfer.ROUTING_KEY,
    )
    async def on_request_transfer(cmd: RequestTransfer, deps: Deps) -> None:
        await quotes.request_transfer(cmd, deps)

    @router.subscriber(
        queue(ConfirmTransfer.ROUTING_KEY, ConfirmTransfer.ROUTING_KEY),
        COMMANDS,
        title=ConfirmTransfer.ROUTING_KEY,
    )
    async def on_confirm_transfer(cmd: ConfirmTransfer, deps: Deps) -> None:
        await quotes.confirm_transfer(cmd, deps)

    @router.subscriber(
        queue(CancelTransfer.ROUTING_KEY, CancelTransfer.ROUTING_KEY),
        COMMANDS,
        title=CancelTransfer.ROUTING_KEY,
    )
    async def on_cancel_transfer(cmd: CancelTransfer, deps: Deps) -> None:
        await quotes.cancel_transfer(cmd, deps)

    @router.subscriber(
        queue(GetHistory.ROUTING_KEY, GetHistory.ROUTING_KEY),
        COMMANDS,
        title=GetHistory.ROUTING_KEY,
    )
    async def on_get_history(cmd: GetHistory, deps: Deps) -> None:
        await queries.get_history(cmd, deps)

    @router.subscriber(
        queue(GetStats.ROUTING_KEY, GetStats.ROUTING_KEY),
        COMMANDS,
        title=GetStats.ROUTING_KEY,
    )
    async def on_get_stats(cmd: GetStats, deps: Deps) -> None:
        await queries.get_stats(cmd, deps)

    return router
