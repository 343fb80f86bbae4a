"""The words of /prices (the caption, its buttons) and of fiat equivalents."""

# ruff: noqa: UP032  each message is one literal + str.format, so gettext can extract the literal

from __future__ import annotations

from html import escape

from ..i18n import gettext as _

__all__ = [
    "fetching_prices",
    "fiat_equivalent",
    "prices_as_of",
    "prices_caption",
    "prices_chart_stale_note",
    "prices_choice_button",
    "prices_loading",
    "prices_range",
    "prices_stale",
    "prices_usage",
]


def fetching_prices() -> str:
    """Placeholder while the pricing service asks the market-data source."""
    return _("Fetching the XRP price…")


def prices_caption(
    *,
    currency: str,
    price_text: str,
    change_text: str | None,
    range_text: str | None,
    freshness: str,
    chart_missing: bool,
) -> str:
    """/prices: the caption of the chart (at most 1024 characters), or the text without one.

    Args:
        currency: fiat code, upper case (USD).
        price_text: price of 1 XRP, formatted.
        change_text: 24 h change, formatted with its sign and %, when known.
        range_text: the period's line (`prices_range`), when the history is known.
        freshness: `prices_as_of` or `prices_stale`.
        chart_missing: no history came: say the chart is missing.
    """
    change = (
        "" if change_text is None else " " + _("({change} in 24 h)").format(change=change_text)
    )
    period = "" if range_text is None else "\n{line}".format(line=range_text)
    missing = "\n" + _("The chart isn't available right now.") if chart_missing else ""
    return ("📈 <b>1 XRP = {price} {currency}</b>{change}{period}{missing}\n{freshness}").format(
        price=price_text,
        currency=escape(currency),
        change=change,
        period=period,
        missing=missing,
        freshness=freshness,
    )


def prices_range(*, period: str, high: str, low: str, change: str | None) -> str:
    """The period's line: ``7D: high 0.55 · low 0.48 · +3.2%``."""
    moved = "" if change is None else " · {change}".format(change=change)
    return _("{period}: high {high} · low {low}{moved}").format(
        period=escape(period), high=high, low=low, moved=moved
    )


def prices_as_of(time: str) -> str:
    """Fresh prices: when the source updated them (``2026-11-21 12:34 UTC``)."""
    return _("<i>As of {time}.</i>").format(time=time)


def prices_stale(age: str) -> str:
    """The source failed: these are the last known prices, and how old they are."""
    return _(
        "⚠️ <i>The market data source isn't answering, so these are the last known prices, "
        "as of {age}.</i>"
    ).format(age=age)


def prices_chart_stale_note(age: str) -> str:
    """The line under the chart's title when its data is stale (plain text)."""
    return _("last known data, as of {age}").format(age=age)


def prices_choice_button(label: str, *, selected: bool) -> str:
    """A period or currency button under /prices; the one shown is marked."""
    return "• {label} •".format(label=label) if selected else label


def prices_loading(currency: str, period: str) -> str:
    """The toast when a /prices button is pressed."""
    return _("Loading XRP/{currency} {period}…").format(currency=currency, period=period)


def prices_usage(token: str, currencies: str) -> str:
    """/prices with an argument that is neither a currency nor a period.

    Args:
        token: the argument as typed, shortened (`render.echo`).
        currencies: the served codes, upper case, comma-separated.
    """
    return _(
        "I don't know “{token}”. Try /prices, /prices eur, /prices 30d or /prices gbp 1y.\n\n"
        "Periods: 1d, 7d, 30d, 1y. Currencies: {currencies}."
    ).format(token=escape(token), currencies=escape(currencies))


def fiat_equivalent(*, amount: str, currency: str, age: str | None) -> str:
    """A fiat equivalent beside an XRP amount: ``(≈ 523.10 USD)``, with the rate's age when old."""
    if age is None:
        return "(≈ {amount} {currency})".format(amount=amount, currency=escape(currency))
    return _("(≈ {amount} {currency}, rate as of {age})").format(
        amount=amount, currency=escape(currency), age=age
    )
