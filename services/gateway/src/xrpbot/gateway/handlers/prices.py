"""/prices: XRP's price, 24-hour change, the period's high and low, and a chart, from the
pricing service (answered in any chat: nothing private).

`/prices [currency] [period]` (e.g. `/prices eur 30d`) and the buttons under the answer
(1D 7D 30D 1Y, and currencies) each queue one GetPrices. A currency named either way becomes
the user's fiat currency (`user_settings`), which /prices and /balance use from then on.
"""

from __future__ import annotations

from uuid import UUID

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from xrpbot.schemas import FIAT_CURRENCIES, Actor, GetPrices, PricePeriod

from .. import texts, use_cases
from ..ids import command_event_id
from ..market import PERIOD_LABELS, PricesArgsError, PricesButton, parse_prices_args
from ..ports import Placeholder, UnitOfWork

__all__ = ["build_router", "on_prices", "on_prices_button"]


async def _ask(
    *,
    actor: Actor,
    chat_id: int,
    placeholder: Placeholder,
    currency: str,
    period: PricePeriod,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    command = GetPrices.new(
        user=actor,
        chat_id=chat_id,
        correlation_id=correlation_id,
        event_id=command_event_id(correlation_id, GetPrices.ROUTING_KEY),
        vs_currency=currency,
        period=period,
    )
    await use_cases.request(command, placeholder=placeholder, uow=uow)


async def on_prices(
    message: Message,
    command: CommandObject,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """`/prices [currency] [period]`: GetPrices in the named (else the user's) currency."""
    try:
        wanted = parse_prices_args(command.args)
    except PricesArgsError as err:
        currencies = ", ".join(code.upper() for code in FIAT_CURRENCIES)
        await message.answer(texts.prices_usage(err.token, currencies))
        return
    if wanted.currency is not None:
        await uow.fiat.set_currency(actor.telegram_id, wanted.currency)
        currency = wanted.currency
    else:
        currency = await uow.fiat.currency(actor.telegram_id)
    sent = await message.answer(texts.fetching_prices())
    await _ask(
        actor=actor,
        chat_id=message.chat.id,
        placeholder=Placeholder(message.chat.id, sent.message_id),
        currency=currency,
        period=wanted.period,
        correlation_id=correlation_id,
        uow=uow,
    )


async def on_prices_button(
    query: CallbackQuery,
    callback_data: PricesButton,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """A period or currency button under /prices: GetPrices; the answer replaces that message."""
    currency = callback_data.currency
    if currency not in FIAT_CURRENCIES or query.message is None:
        await query.answer()
        return
    await uow.fiat.set_currency(actor.telegram_id, currency)
    chat_id = query.message.chat.id
    if isinstance(query.message, Message):
        placeholder = Placeholder(chat_id, query.message.message_id)
    else:  # too old for the bot to touch: the answer comes as a new message
        sent = (
            await query.bot.send_message(chat_id, texts.fetching_prices()) if query.bot else None
        )
        if sent is None:
            await query.answer()
            return
        placeholder = Placeholder(chat_id, sent.message_id)
    await query.answer(texts.prices_loading(currency.upper(), PERIOD_LABELS[callback_data.period]))
    await _ask(
        actor=actor,
        chat_id=chat_id,
        placeholder=placeholder,
        currency=currency,
        period=callback_data.period,
        correlation_id=correlation_id,
        uow=uow,
    )


def build_router() -> Router:
    """/prices and its buttons."""
    router = Router(name="prices")
    router.message.register(on_prices, Command("prices"), F.from_user)
    router.callback_query.register(on_prices_button, PricesButton.filter(), F.from_user)
    return router
