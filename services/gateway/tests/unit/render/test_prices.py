"""/prices for people: arguments, buttons, the caption, ages, fiat equivalents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from xrpbot.gateway.domain.fiat import FiatQuote
from xrpbot.gateway.domain.parsing import PricesArgsError, parse_prices_args
from xrpbot.gateway.render.keyboards import PricesButton, prices_keyboard
from xrpbot.gateway.render.numbers import format_age, format_fiat_price
from xrpbot.gateway.render.prices import fiat_equivalent, price_message
from xrpbot.gateway.render.replies import render_reply as render
from xrpbot.schemas import (
    PricePeriod,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
USER = 4242


# ---- arguments and buttons -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "currency", "period"),
    [
        (None, None, PricePeriod.DAY),
        ("", None, PricePeriod.DAY),
        ("30d", None, PricePeriod.MONTH),
        ("eur 30d", "eur", PricePeriod.MONTH),
        ("1Y GBP", "gbp", PricePeriod.YEAR),
        ("jpy", "jpy", PricePeriod.DAY),
        ("week", None, PricePeriod.WEEK),
        ("24h", None, PricePeriod.DAY),
    ],
)
def test_prices_arguments(args: str | None, currency: str | None, period: PricePeriod) -> None:
    wanted = parse_prices_args(args)
    assert (wanted.currency, wanted.period) == (currency, period)


@pytest.mark.parametrize("args", ["bitcoin", "eur usd", "7d 30d", "5"])
def test_prices_arguments_not_understood(args: str) -> None:
    with pytest.raises(PricesArgsError):
        parse_prices_args(args)


def test_keyboard_switches_period_and_currency_and_marks_the_shown_ones() -> None:
    keyboard = prices_keyboard("eur", PricePeriod.MONTH)
    periods, *currencies = keyboard.inline_keyboard
    assert [b.text for b in periods] == ["1D", "7D", "• 30D •", "1Y"]
    assert [PricesButton.unpack(b.callback_data or "").period for b in periods] == list(
        PricePeriod
    )
    assert all(PricesButton.unpack(b.callback_data or "").currency == "eur" for b in periods)
    labels = [b.text for row in currencies for b in row]
    assert labels[:4] == ["USD", "• EUR •", "GBP", "JPY"]
    for row in keyboard.inline_keyboard:
        for button in row:
            assert len((button.callback_data or "").encode()) <= 64


# ---- the caption and the chart's data ------------------------------------------------------


def test_fresh_caption_has_price_change_high_low_and_the_chart(
    price_reply: Callable[..., Any],
) -> None:
    reply = price_reply(period=PricePeriod.MONTH, currency="eur", points=721)
    message = price_message(reply)
    assert "1 XRP = " in message.text
    assert "EUR" in message.text
    assert "-1.23% in 24 h" in message.text
    assert reply.high is not None
    assert f"30D: high {format_fiat_price(reply.high)} · low 0.5" in message.text
    assert "As of 2026-11-21 12:00 UTC" in message.text
    assert "last known" not in message.text
    assert len(message.text) <= 1024, "a photo caption"
    assert message.chart is not None
    assert message.chart.title == "XRP / EUR · 30D"
    assert message.chart.last_price == reply.price
    assert message.chart.filename == "xrp-eur-30d.png"


def test_stale_caption_says_how_old_the_data_is(price_reply: Callable[..., Any]) -> None:
    message = price_message(price_reply(stale=True, age=timedelta(minutes=4, seconds=20)))
    assert "last known prices, as of 4 min ago" in message.text
    assert message.chart is not None
    assert message.chart.note == "last known data, as of 4 min ago"


def test_without_history_the_answer_is_text_and_says_the_chart_is_missing(
    price_reply: Callable[..., Any],
) -> None:
    rendered = render(price_reply(history=False))
    assert rendered.chart is None
    assert "chart isn't available" in rendered.text
    assert rendered.keyboard is not None


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (timedelta(seconds=5), "just now"),
        (timedelta(minutes=4, seconds=59), "4 min ago"),
        (timedelta(hours=3), "3 h ago"),
        (timedelta(days=3), "3 days ago"),
        (timedelta(seconds=-3), "just now"),
    ],
)
def test_ages_in_words(age: timedelta, words: str) -> None:
    assert format_age(age) == words


# ---- fiat equivalents ------------------------------------------------------------------------


def test_fiat_equivalent_of_drops() -> None:
    quote = FiatQuote("usd", Decimal("0.5123"), NOW)
    assert fiat_equivalent(1_000_000_000, quote, now=NOW) == "(≈ 512.30 USD)"
    assert fiat_equivalent(1, quote, now=NOW) == "(≈ 0.00 USD)"
    old = FiatQuote("jpy", Decimal("77.1"), NOW - timedelta(hours=3))
    assert fiat_equivalent(2_000_000, old, now=NOW) == "(≈ 154.20 JPY, rate as of 3 h ago)"
