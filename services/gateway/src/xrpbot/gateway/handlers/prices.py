"""/prices: XRP's spot price from the pricing service (answered in any chat: nothing private)."""

from __future__ import annotations

from uuid import UUID

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message

from xrpbot.schemas import Actor, GetPrices

from .. import texts
from ..ports import UnitOfWork
from .wallet import request_with_placeholder

__all__ = ["build_router", "on_prices"]


async def on_prices(message: Message, actor: Actor, correlation_id: UUID, uow: UnitOfWork) -> None:
    """Ask pricing for XRP's price in US dollars: GetPrices."""
    await request_with_placeholder(
        message,
        texts.fetching_prices(),
        GetPrices,
        actor=actor,
        correlation_id=correlation_id,
        uow=uow,
    )


def build_router() -> Router:
    """/prices."""
    router = Router(name="prices")
    router.message.register(on_prices, Command("prices"), F.from_user)
    return router
