"""The bot's aiogram Dispatcher: one Router per feature, the same in webhook and polling mode."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Dispatcher

from ..adapters.fsm import UnitOfWorkStorage
from ..middlewares.actor import ActorMiddleware
from ..middlewares.once import OnceMiddleware
from ..ports import UnitOfWork
from . import errors, fallback, history, prices, send, start, wallet

__all__ = ["build_dispatcher"]


def build_dispatcher(new_uow: Callable[[], UnitOfWork]) -> Dispatcher:
    """The Dispatcher with every router and middleware.

    Args:
        new_uow: makes the unit of work (one transaction) each update runs in.

    Handlers get by keyword: `actor`, `correlation_id` (ActorMiddleware), `uow`
    (OnceMiddleware) and `state` (aiogram's FSMContext, stored through `uow`).
    """
    # FSM state is read and written inside the update's transaction: aiogram's FSM middleware
    # (disabled at its default place, before ours) runs after OnceMiddleware opened it
    dp = Dispatcher(name="xrpbot-gateway", storage=UnitOfWorkStorage(), disable_fsm=True)
    dp.update.outer_middleware(ActorMiddleware())
    dp.update.outer_middleware(OnceMiddleware(new_uow))
    dp.update.outer_middleware(dp.fsm)
    # the fallback router goes last: it answers whatever the others did not take
    dp.include_routers(
        errors.build_router(),
        start.build_router(),
        wallet.build_router(),
        prices.build_router(),
        send.build_router(),
        history.build_router(),
        fallback.build_router(),
    )
    return dp
