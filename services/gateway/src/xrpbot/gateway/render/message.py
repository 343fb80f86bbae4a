"""What rendering produces: a message ready to send, and the data of a price chart. Pure values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain.preferences import DEFAULT_LOCALE

if TYPE_CHECKING:  # the chart worker process imports PriceChart and must not load aiogram
    from aiogram.types import InlineKeyboardMarkup

__all__ = ["PriceChart", "Rendered", "rendered_from_json", "rendered_to_json"]


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


def rendered_to_json(message: Rendered) -> dict[str, Any]:
    """`message` as JSON-ready data (stored in `gateway.chat_messages.body` until it is sent).

    Shape: {"text": str, "keyboard": InlineKeyboardMarkup as the Bot API's JSON | None,
    "qr": str | None, "chart": {"title", "currency", "times": [ISO 8601], "prices": [decimal
    strings], "last_price", "last_label", "note", "locale"} | None}.
    """
    chart = message.chart
    return {
        "text": message.text,
        "keyboard": (
            message.keyboard.model_dump(mode="json", exclude_none=True)
            if message.keyboard is not None
            else None
        ),
        "qr": message.qr,
        "chart": None
        if chart is None
        else {
            "title": chart.title,
            "currency": chart.currency,
            "times": [t.isoformat() for t in chart.times],
            "prices": [str(p) for p in chart.prices],
            "last_price": str(chart.last_price),
            "last_label": chart.last_label,
            "note": chart.note,
            "locale": chart.locale,
        },
    }


def rendered_from_json(data: dict[str, Any]) -> Rendered:
    """The `Rendered` that `rendered_to_json` wrote.

    Raises:
        KeyError, ValueError, pydantic.ValidationError: `data` is not such a body.
    """
    from aiogram.types import InlineKeyboardMarkup  # here: see the import under TYPE_CHECKING

    chart = data.get("chart")
    keyboard = data.get("keyboard")
    return Rendered(
        text=data["text"],
        keyboard=InlineKeyboardMarkup.model_validate(keyboard) if keyboard is not None else None,
        qr=data.get("qr"),
        chart=None
        if chart is None
        else PriceChart(
            title=chart["title"],
            currency=chart["currency"],
            times=tuple(datetime.fromisoformat(t) for t in chart["times"]),
            prices=tuple(Decimal(p) for p in chart["prices"]),
            last_price=Decimal(chart["last_price"]),
            last_label=chart["last_label"],
            note=chart.get("note", ""),
            locale=chart.get("locale", DEFAULT_LOCALE),
        ),
    )
