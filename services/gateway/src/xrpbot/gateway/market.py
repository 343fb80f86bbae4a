"""/prices and fiat equivalents, for people: arguments, buttons, the caption and the chart's
data. Pure: no I/O, no drawing (`adapters.chart` draws `PriceChart` as a PNG).

Prices arrive as `Decimal` in a fiat currency (`xrpbot.schemas.PriceReported`); they become
text only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Final

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from xrpbot.schemas import FIAT_CURRENCIES, PricePeriod, PriceReported

from . import texts
from .formatting import DROPS_PER_XRP, format_decimal, format_percent
from .i18n import DEFAULT_LOCALE, current_locale

__all__ = [
    "DEFAULT_CURRENCY",
    "KEYBOARD_CURRENCIES",
    "PERIOD_LABELS",
    "FiatQuote",
    "PriceChart",
    "PriceMessage",
    "PricesArgsError",
    "PricesButton",
    "PricesRequest",
    "fiat_equivalent",
    "format_age",
    "format_fiat_amount",
    "format_fiat_price",
    "parse_prices_args",
    "price_message",
    "prices_keyboard",
]

DEFAULT_CURRENCY: Final = "usd"
"""The fiat currency of a user who has not chosen one."""

PERIOD_LABELS: Final[dict[PricePeriod, str]] = {
    PricePeriod.DAY: "1D",
    PricePeriod.WEEK: "7D",
    PricePeriod.MONTH: "30D",
    PricePeriod.YEAR: "1Y",
}
"""Button and title labels of the periods."""

KEYBOARD_CURRENCIES: Final = FIAT_CURRENCIES[:8]
"""The currencies offered as buttons under /prices (the others by argument: /prices inr)."""

_PERIOD_WORDS: Final[dict[str, PricePeriod]] = {
    **{p.value: p for p in PricePeriod},
    **{label.lower(): p for p, label in PERIOD_LABELS.items()},
    "24h": PricePeriod.DAY,
    "day": PricePeriod.DAY,
    "1w": PricePeriod.WEEK,
    "week": PricePeriod.WEEK,
    "1m": PricePeriod.MONTH,
    "month": PricePeriod.MONTH,
    "365d": PricePeriod.YEAR,
    "12m": PricePeriod.YEAR,
    "year": PricePeriod.YEAR,
}

STALE_NOTE_AFTER: Final = timedelta(minutes=10)
"""A fiat rate older than this is shown with its age beside a balance."""


# ---- the request -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PricesRequest:
    """What `/prices [currency] [period]` asks for.

    Attributes:
        currency: lower-case fiat code when given (it becomes the user's choice), else None.
        period: the chart's period (1D when not given).
    """

    currency: str | None
    period: PricePeriod


class PricesArgsError(ValueError):
    """An argument of /prices is neither a served currency nor a period."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def parse_prices_args(args: str | None) -> PricesRequest:
    """Parse `/prices` arguments, in any order and case: ``eur 30d``, ``1Y``, ``gbp``.

    Periods: 1d/24h/day, 7d/1w/week, 30d/1m/month, 1y/365d/12m/year.

    Raises:
        PricesArgsError: an argument is not understood, or more than one of a kind is given.
    """
    currency: str | None = None
    period: PricePeriod | None = None
    for token in (args or "").split():
        word = token.lower()
        if word in FIAT_CURRENCIES and currency is None:
            currency = word
        elif word in _PERIOD_WORDS and period is None:
            period = _PERIOD_WORDS[word]
        else:
            raise PricesArgsError(token)
    return PricesRequest(currency, period or PricePeriod.DAY)


class PricesButton(CallbackData, prefix="px"):
    """A button under /prices: show `currency` over `period` (``px:eur:30d``, 10 bytes)."""

    currency: str
    period: PricePeriod


def prices_keyboard(currency: str, period: PricePeriod) -> InlineKeyboardMarkup:
    """Period buttons (1D 7D 30D 1Y), then currency buttons; the shown ones are marked.

    Args:
        currency: lower-case fiat code shown now.
        period: period shown now.
    """
    periods = [
        InlineKeyboardButton(
            text=texts.prices_choice_button(label, selected=p == period),
            callback_data=PricesButton(currency=currency, period=p).pack(),
        )
        for p, label in PERIOD_LABELS.items()
    ]
    currencies = [
        InlineKeyboardButton(
            text=texts.prices_choice_button(code.upper(), selected=code == currency),
            callback_data=PricesButton(currency=code, period=period).pack(),
        )
        for code in KEYBOARD_CURRENCIES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[periods, currencies[:4], currencies[4:]])


# ---- numbers and ages ------------------------------------------------------------------------


def format_fiat_price(value: Decimal) -> str:
    """The price of 1 XRP: at most 4 decimals below 100 (0.5123, 77.1234), 2 from 100 (686.12)."""
    places = 2 if abs(value) >= 100 else 4
    return format_decimal(value, max_places=places)


def format_fiat_amount(value: Decimal) -> str:
    """A fiat amount with exactly 2 decimals and thousands separators: ``1,234.50``."""
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN):,.2f}"


def format_age(age: timedelta) -> str:
    """How old, in words: "just now", "4 min ago", "3 h ago", "2 days ago"."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return texts.age_just_now()
    if seconds < 3600:
        return texts.age_minutes(seconds // 60)
    if seconds < 2 * 86400:
        return texts.age_hours(seconds // 3600)
    return texts.age_days(seconds // 86400)


# ---- /prices ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriceChart:
    """What the chart shows; `adapters.chart` draws it.

    Attributes:
        title: e.g. "XRP / USD · 7D" (currency and period).
        currency: upper-case fiat code (the y axis).
        times: the points' times (UTC), oldest first.
        prices: the points' prices, same length as `times`.
        last_price: the price the message states (marked at the end of the line).
        last_label: that price as text (the currency is in the title and on the axis).
        note: a line under the title (e.g. the data's age when stale), or "".
        locale: the language of the axis' dates (month names), the user's.
    """

    title: str
    currency: str
    times: tuple[datetime, ...]
    prices: tuple[Decimal, ...]
    last_price: Decimal
    last_label: str
    note: str = ""
    locale: str = DEFAULT_LOCALE

    @property
    def filename(self) -> str:
        """The PNG's file name: ``xrp-usd-7d.png``."""
        return "xrp-{}-{}.png".format(self.currency.lower(), self.title.rsplit(" ", 1)[-1].lower())


@dataclass(frozen=True, slots=True)
class PriceMessage:
    """The /prices answer: caption or text (HTML), buttons, and the chart when there is one."""

    text: str
    keyboard: InlineKeyboardMarkup
    chart: PriceChart | None


def _data_as_of(reply: PriceReported) -> datetime:
    if reply.history_as_of is None:
        return reply.as_of
    return min(reply.as_of, reply.history_as_of)


def price_message(reply: PriceReported) -> PriceMessage:
    """The answer to /prices: price, 24-hour change, the period's high, low and change, the data's
    age when it is stale, the buttons, and the chart's data.

    The age is measured at `reply.occurred_at` (when pricing answered), so rendering is pure.
    """
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
        range_text = texts.prices_range(
            period=period,
            high=format_fiat_price(reply.high),
            low=format_fiat_price(reply.low),
            change=period_change,
        )
    if reply.stale:
        age = format_age(reply.occurred_at - _data_as_of(reply))
        freshness = texts.prices_stale(age)
    else:
        freshness = texts.prices_as_of(reply.as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    text = texts.prices_caption(
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
            note=texts.prices_chart_stale_note(format_age(reply.occurred_at - _data_as_of(reply)))
            if reply.stale
            else "",
            locale=current_locale(),  # drawn in a worker thread, outside this context
        )
    return PriceMessage(text, prices_keyboard(reply.vs_currency, reply.period), chart)


# ---- fiat equivalents ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FiatQuote:
    """The latest price of 1 XRP in the user's fiat currency, as the gateway last heard it.

    Attributes:
        currency: lower-case fiat code.
        price: price of 1 XRP.
        as_of: when the source updated it (UTC).
    """

    currency: str
    price: Decimal
    as_of: datetime


def fiat_equivalent(drops: int, quote: FiatQuote, *, now: datetime) -> str:
    """``≈ 523.10 USD`` for an amount of drops; the rate's age is added when it is old.

    Args:
        drops: integer drops.
        quote: the rate.
        now: when the text is shown (for the age).
    """
    value = Decimal(drops) / DROPS_PER_XRP * quote.price
    amount = format_fiat_amount(value)
    age = now - quote.as_of
    return texts.fiat_equivalent(
        amount=amount,
        currency=quote.currency.upper(),
        age=format_age(age) if age > STALE_NOTE_AFTER else None,
    )
