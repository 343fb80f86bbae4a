"""What rendering produces: a message ready to send, and the data of a price chart. Pure values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from aiogram.types import InlineKeyboardMarkup

from ..domain.preferences import DEFAULT_LOCALE

__all__ = ["PriceChart", "Rendered"]


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
class Rendered:
    """A message ready to send or edit with `parse_mode=HTML`.

    It fits one message: at most 4096 characters after entity parsing
    (https://core.telegram.org/bots/api#sendmessage), 1024 for a photo's caption.

    Attributes:
        text: HTML text (https://core.telegram.org/bots/api#html-style).
        keyboard: inline keyboard under the message, if any.
        chart: a chart to send as a photo, `text` being its caption (at most 1024 characters).
        qr: text to send as a QR code photo (a payment link), `text` its caption.
    """

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    chart: PriceChart | None = None
    qr: str | None = None
