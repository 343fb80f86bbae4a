"""The bot's aiogram Dispatcher: one Router per feature, the same in webhook and polling mode."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection

from aiogram import Bot, Dispatcher
from aiogram.utils.i18n import I18n

from ..adapters.fsm import UnitOfWorkStorage
from ..domain.support import SupportContact
from ..domain.throttle import ThrottleLimits
from ..middlewares.actor import ActorMiddleware
from ..middlewares.failures import HandlerFailureMiddleware
from ..middlewares.groups import GroupsMiddleware
from ..middlewares.i18n import UserLocaleMiddleware
from ..middlewares.throttle import ThrottleMiddleware
from ..middlewares.transaction import UpdateTransactionMiddleware
from ..ports import QueueDepths, UnitOfWork
from ..render.i18n import CatalogI18n
from . import (
    admin,
    errors,
    fallback,
    history,
    menu,
    prices,
    send,
    settings,
    start,
    support,
    wallet,
)

__all__ = ["build_dispatcher"]


def build_dispatcher(
    new_uow: Callable[[], UnitOfWork],
    *,
    i18n: I18n | None = None,
    throttle: ThrottleLimits | None = None,
    admin_ids: Collection[int] = frozenset(),
    queue_depths: QueueDepths | None = None,
    support_contact: SupportContact | None = None,
    on_commit: Callable[[Bot], Awaitable[None]] | None = None,
    placeholder_delay_s: float = 0.0,
) -> Dispatcher:
    """The Dispatcher with every router and middleware.

    Args:
        new_uow: makes the unit of work (one transaction) each update runs in.
        i18n: the catalogs (by default `CatalogI18n` on the package's locales/).
        throttle: each user's command allowance (THROTTLE_BURST, THROTTLE_PER_SECOND) and each
            group's.
        admin_ids: who may use /stats and /broadcast (ADMIN_IDS).
        queue_depths: reads RabbitMQ queue depths for /stats.
        support_contact: who helps users (SUPPORT_URL or SUPPORT_USERNAME), or None.
        on_commit: called with the Bot after each update's commit: wakes the outgoing sender
            that shows the update's queued messages (`entrypoints.outgoing`).
        placeholder_delay_s: how long a placeholder waits unsent for its answer
            (TELEGRAM_PLACEHOLDER_DELAY_MS): a quick answer is the only message.

    Handlers get by keyword: `origin`, `chat` (ActorMiddleware), `uow`
    (UpdateTransactionMiddleware), `i18n` (UserLocaleMiddleware), `state` (aiogram's
    FSMContext, stored through `uow`), `admin_ids`, `queue_depths` and `support`. Order of the
    update middlewares: throttle (per user and per group, in a short transaction of its own that
    commits before anything else runs), actor, once-only claim (the update's transaction), the
    user's language (it reads their /settings through that transaction), groups (quiet and
    private there), FSM, the handler's savepoint (`middlewares.failures`: a non-transient error
    is undone and answered; the claim stays).
    """
    catalogs = i18n or CatalogI18n()
    # FSM state is read and written inside the update's transaction: aiogram's FSM middleware
    # (disabled at its default place, before ours) runs after the update's transaction opened
    dp = Dispatcher(name="xrpbot-gateway", storage=UnitOfWorkStorage(), disable_fsm=True)
    dp.update.outer_middleware(
        ThrottleMiddleware(new_uow, throttle or ThrottleLimits(), catalogs, on_commit)
    )
    dp.update.outer_middleware(ActorMiddleware(placeholder_delay_s))
    dp.update.outer_middleware(UpdateTransactionMiddleware(new_uow, on_commit))
    dp.update.outer_middleware(UserLocaleMiddleware(catalogs))
    dp.update.outer_middleware(GroupsMiddleware())
    dp.update.outer_middleware(dp.fsm)
    dp.update.outer_middleware(HandlerFailureMiddleware())
    dp["admin_ids"] = frozenset(admin_ids)
    dp["queue_depths"] = queue_depths
    dp["support"] = support_contact
    # the fallback router goes last: it answers whatever the others did not take
    dp.include_routers(
        errors.build_router(),
        start.build_router(),
        support.build_router(),
        menu.build_router(),
        wallet.build_router(),
        settings.build_router(),
        admin.build_router(),
        prices.build_router(),
        send.build_router(),
        history.build_router(),
        fallback.build_router(),
    )
    return dp
