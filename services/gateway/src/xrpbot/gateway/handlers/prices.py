"""/prices: XRP's price, 24-hour change, the period's high and low, and a chart, from the
pricing service (answered in any chat: nothing private).

`/prices [currency] [period]` (e.g. `/prices eur 30d`) and the buttons under the answer
(1D 7D 30D 1Y, and currencies) each queue one GetPrices (`use_cases.prices`).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from xrpbot.schemas import FIAT_CURRENCIES

from ..adapters.messenger import TelegramChat
from ..domain.delivery import Placeholder
from ..domain.parsing import PERIOD_LABELS
from ..ports import UnitOfWork
from ..render.keyboards import PricesButton
from ..render.texts import prices as texts
from ..use_cases import prices
from ..use_cases.ask import Origin

__all__ = ["build_router", "on_prices", "on_prices_button"]


async def on_prices(
    message: Message, command: CommandObject, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """`/prices [currency] [period]`."""
    await prices.show_prices_command(origin, command.args, chat=chat, uow=uow)


async def on_prices_button(
    query: CallbackQuery,
    callback_data: PricesButton,
    origin: Origin,
    chat: TelegramChat,
    uow: UnitOfWork,
) -> None:
    """A period or currency button under /prices: the answer replaces that message (a new
    message when it is too old for the bot to touch)."""
    currency = callback_data.currency
    if currency not in FIAT_CURRENCIES or query.message is None:
        await query.answer()
        return
    answer: TelegramChat | Placeholder = chat
    if isinstance(query.message, Message):
        answer = Placeholder(query.message.chat.id, query.message.message_id)
    await query.answer(texts.prices_loading(currency.upper(), PERIOD_LABELS[callback_data.period]))
    await prices.show_prices(
        origin, currency=currency, period=callback_data.period, answer=answer, uow=uow
    )


def build_router() -> Router:
    """/prices and its buttons."""
    router = Router(name="prices")
    router.message.register(on_prices, Command("prices"), F.from_user)
    router.callback_query.register(on_prices_button, PricesButton.filter(), F.from_user)
    return router
