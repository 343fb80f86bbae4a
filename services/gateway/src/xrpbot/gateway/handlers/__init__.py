"""The bot's aiogram Dispatcher: one Router per feature, the same in webhook and polling mode."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Dispatcher

from ..middlewares.actor import ActorMiddleware
from ..middlewares.once import OnceMiddleware
from ..ports import UnitOfWork
from . import errors, fallback, prices, start, wallet

__all__ = ["build_dispatcher"]


def build_dispatcher(new_uow: Callable[[], UnitOfWork]) -> Dispatcher:
    """The Dispatcher with every router and middleware.

    Args:
        new_uow: makes the unit of work (one transaction) each update runs in.

    Handlers get by keyword: `actor`, `correlation_id` (ActorMiddleware) and `uow`
    (OnceMiddleware).
    """
    dp = Dispatcher(name="xrpbot-gateway")
    dp.update.outer_middleware(ActorMiddleware())
    dp.update.outer_middleware(OnceMiddleware(new_uow))
    # the fallback router goes last: it answers whatever the others did not take
    dp.include_routers(
        errors.build_router(),
        start.build_router(),
        wallet.build_router(),
        prices.build_router(),
        fallback.build_router(),
    )
    return dp
