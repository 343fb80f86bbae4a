"""/prices: remember the currency asked for, and ask the pricing service."""

from __future__ import annotations

from xrpbot.schemas import FIAT_CURRENCIES, GetPrices, PricePeriod

from ..domain.delivery import Placeholder
from ..domain.parsing import PricesArgsError, parse_prices_args
from ..ports import Chat, UnitOfWork
from ..render.echo import echo
from ..render.message import Rendered
from ..render.texts import prices
from .ask import Origin, ask

__all__ = ["show_prices", "show_prices_command"]


async def show_prices_command(
    origin: Origin, args: str | None, *, chat: Chat, uow: UnitOfWork
) -> None:
    """`/prices [currency] [period]` (``/prices eur 30d``): GetPrices in the named currency,
    which becomes the user's, else in the user's; arguments it does not know get the usage
    (naming the first, shortened: `render.echo`)."""
    try:
        wanted = parse_prices_args(args)
    except PricesArgsError as err:
        currencies = ", ".join(code.upper() for code in FIAT_CURRENCIES)
        await chat.say(Rendered(prices.prices_usage(echo(err.token), currencies)))
        return
    await show_prices(origin, currency=wanted.currency, period=wanted.period, answer=chat, uow=uow)


async def show_prices(
    origin: Origin,
    *,
    currency: str | None,
    period: PricePeriod,
    answer: Chat | Placeholder,
    uow: UnitOfWork,
) -> None:
    """GetPrices over `period`; a `currency` named becomes the user's fiat currency
    (`user_settings`), which /prices and /balance use from then on.

    Args:
        origin: who asks.
        currency: a lower-case code of `FIAT_CURRENCIES`, or None for the user's.
        period: the chart's period.
        answer: the chat ("Fetching the XRP price…"), or the message a /prices button is
            under (the answer replaces it).
        uow: the update's unit of work.
    """
    if currency is not None:
        await uow.fiat.set_currency(origin.actor.telegram_id, currency)
    else:
        currency = await uow.fiat.currency(origin.actor.telegram_id)
    await ask(
        GetPrices,
        origin,
        uow=uow,
        answer=answer,
        waiting=prices.fetching_prices(),
        vs_currency=currency,
        period=period,
    )
