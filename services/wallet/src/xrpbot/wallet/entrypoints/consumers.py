"""RabbitMQ consumers of the wallet service: unpack the command, call the use case, nothing else.

A handler returns only after its transaction committed; FastStream then acks.
"""

from __future__ import annotations

from typing import Annotated

from faststream import Context
from faststream.rabbit import RabbitRouter

from xrpbot.runtime.topology import COMMANDS, EVENTS, consumer_queue
from xrpbot.schemas import (
    CreateWallet,
    GetBalance,
    GetDailyLimit,
    PaymentSigned,
    ResolveUser,
    SetDailyLimit,
    SignPayment,
    UserResolved,
    UserSeen,
)

from .. import use_cases
from ..use_cases import WalletDeps

__all__ = ["build_router"]


def build_router(delivery_limit: int) -> RabbitRouter:
    """The wallet's subscribers: one quorum queue per command on `xrpbot.commands`, and
    `wallet.gateway.user_seen` on `xrpbot.events`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(
            "wallet",
            f"wallet.{UserSeen.ROUTING_KEY}",
            UserSeen.ROUTING_KEY,
            delivery_limit=delivery_limit,
        ),
        EVENTS,
        title=f"wallet.{UserSeen.ROUTING_KEY}",
    )
    async def on_user_seen(event: UserSeen, deps: Annotated[WalletDeps, Context("deps")]) -> None:
        await use_cases.record_user_seen(event, deps)

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

    @router.subscriber(
        consumer_queue(
            "wallet",
            GetDailyLimit.ROUTING_KEY,
            GetDailyLimit.ROUTING_KEY,
            delivery_limit=delivery_limit,
        ),
        COMMANDS,
        title="wallet.get_daily_limit",
    )
    async def on_get_daily_limit(
        cmd: GetDailyLimit, deps: Annotated[WalletDeps, Context("deps")]
    ) -> None:
        await use_cases.get_daily_limit(cmd, deps)

    @router.subscriber(
        consumer_queue(
            "wallet",
            SetDailyLimit.ROUTING_KEY,
            SetDailyLimit.ROUTING_KEY,
            delivery_limit=delivery_limit,
        ),
        COMMANDS,
        title="wallet.set_daily_limit",
    )
    async def on_set_daily_limit(
        cmd: SetDailyLimit, deps: Annotated[WalletDeps, Context("deps")]
    ) -> None:
        await use_cases.set_daily_limit(cmd, deps)

    # request/reply: the return value goes to the caller's reply_to (RabbitMQ direct reply-to)
    @router.subscriber(
        consumer_queue(
            "wallet",
            SignPayment.ROUTING_KEY,
            SignPayment.ROUTING_KEY,
            delivery_limit=delivery_limit,
        ),
        COMMANDS,
        title="wallet.sign_payment",
    )
    async def on_sign_payment(
        cmd: SignPayment, deps: Annotated[WalletDeps, Context("deps")]
    ) -> PaymentSigned:
        return await use_cases.sign_payment(cmd, deps)

    @router.subscriber(
        consumer_queue(
            "wallet",
            ResolveUser.ROUTING_KEY,
            ResolveUser.ROUTING_KEY,
            delivery_limit=delivery_limit,
        ),
        COMMANDS,
        title="wallet.resolve_user",
    )
    async def on_resolve_user(
        cmd: ResolveUser, deps: Annotated[WalletDeps, Context("deps")]
    ) -> UserResolved:
        return await use_cases.resolve_user(cmd, deps)

    return router
