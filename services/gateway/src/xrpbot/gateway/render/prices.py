"""/prices and fiat equivalents for people: the caption, the buttons and the chart's data. Pure.

No drawing here (`adapters.chart` draws `PriceChart` as a PNG). The age of stale data is
measured at the reply's `occurred_at`, so rendering stays pure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from xrpbot.schemas import PriceReported

from ..domain.fiat import FiatQuote, fiat_value, usable_price
from ..domain.parsing import PERIOD_LABELS
from .i18n import current_locale
from .keyboards import prices_keyboard
from .message import PriceChart, Rendered
from .numbers import format_age, format_fiat_amount, format_fiat_price, format_percent
from .texts import errors, prices

__all__ = ["STALE_NOTE_AFTER", "fiat_equivalent", "price_message"]

STALE_NOTE_AFTER: Final = timedelta(minutes=10)
"""A fiat rate older than this is shown with its age beside a balance."""


def _data_as_of(reply: PriceReported) -> datetime:
    if reply.history_as_of is None:
        return reply.as_of
    return min(reply.as_of, reply.history_as_of)


def price_message(reply: PriceReported) -> Rendered:
    """The answer to /prices: price, 24-hour change, the period's high, low and change, the data's
    age when it is stale, the buttons, and the chart's data (its caption is the text).

    A price that is no data (`domain.fiat.usable_price`) is "Prices aren't available right
    now"; history points that are no data are left out of the chart and its high and low.
    """
    if not usable_price(reply.price):  # no data, however it came: say so, as pricing would
        return Rendered(errors.prices_unavailable())
    history = tuple(p for p in reply.history if usable_price(p.price))
    extremes = (reply.high, reply.low)
    if len(history) != len(reply.history) or not all(
        x is not None and usable_price(x) for x in extremes
    ):
        prices_seen = [p.price for p in history]
        extremes = (max(prices_seen), min(prices_seen)) if prices_seen else (None, None)
    reply = reply.model_copy(update={"history": history, "high": extremes[0], "low": extremes[1]})
    currency = reply.vs_currency.upper()
    period = PERIOD_LABELS.get(reply.period, reply.period.value.upper())
    price_text = format_fiat_price(reply.price)
    change = None if reply.change_24h_pct is None else format_percent(reply.change_24h_pct)
    range_text = None
    if reply.high is not None and reply.low is not None:
        period_change = None
        if reply.history and reply.history[0].price > 0:
            first = reply.history[0].price
            period_change = format_percent((reply.price - first) / first * 100)
        range_text = prices.prices_range(
            period=period,
            high=format_fiat_price(reply.high),
            low=format_fiat_price(reply.low),
            change=period_change,
        )
    if reply.stale:
        age = format_age(reply.occurred_at - _data_as_of(reply))
        freshness = prices.prices_stale(age)
    else:
        freshness = prices.prices_as_of(reply.as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    text = prices.prices_caption(
        currency=currency,
        price_text=price_text,
        change_text=change,
        range_text=range_text,
        freshness=freshness,
        chart_missing=not reply.history,
    )
    chart = None
    if reply.history:
        chart = PriceChart(
            title=f"XRP / {currency} · {period}",
            currency=currency,
            times=tuple(p.at for p in reply.history),
            prices=tuple(p.price for p in reply.history),
            last_price=reply.history[-1].price,
            last_label=format_fiat_price(reply.history[-1].price),
            note=prices.prices_chart_stale_note(format_age(reply.occurred_at - _data_as_of(reply)))
            if reply.stale
            else "",
            locale=current_locale(),  # drawn in a worker thread, outside this context
        )
    return Rendered(text, prices_keyboard(reply.vs_currency, reply.period), chart)


def fiat_equivalent(drops: int, quote: FiatQuote, *, now: datetime) -> str:
    """``≈ 523.10 USD`` for an amount of drops; the rate's age is added when it is old.

    Args:
        drops: integer drops.
        quote: the rate.
        now: when the text is shown (for the age).
    """
    amount = format_fiat_amount(fiat_value(drops, quote))
    age = now - quote.as_of
    return prices.fiat_equivalent(
        amount=amount,
        currency=quote.currency.upper(),
        age=format_age(age) if age > STALE_NOTE_AFTER else None,
    )
