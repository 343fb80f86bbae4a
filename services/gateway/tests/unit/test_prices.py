"""/prices in the gateway: arguments, buttons, the caption (fresh and stale), the chart as a PNG,
photo delivery, the user's fiat currency, and fiat equivalents beside a balance."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery, DeleteMessage, SendPhoto
from faststream.rabbit import RabbitBroker, TestRabbitBroker
from PIL import Image

from xrpbot.gateway import texts
from xrpbot.gateway.adapters.chart import CHART_SIZE_PX, MatplotlibCharts, draw_price_chart
from xrpbot.gateway.adapters.telegram import BotMessenger
from xrpbot.gateway.entrypoints.rates import build_router as build_rates_router
from xrpbot.gateway.entrypoints.replies import REPLIES_QUEUE
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.market import (
    FiatQuote,
    PricesArgsError,
    PricesButton,
    fiat_equivalent,
    format_age,
    format_fiat_price,
    parse_prices_args,
    price_message,
    prices_keyboard,
)
from xrpbot.gateway.ports import Placeholder
from xrpbot.gateway.render import render
from xrpbot.gateway.use_cases import Delivery, GatewayDeps, deliver_reply, record_spot_prices
from xrpbot.runtime.topology import EVENTS
from xrpbot.schemas import (
    Actor,
    BalanceReported,
    FiatPrice,
    GetPrices,
    PricePeriod,
    PricePoint,
    PriceReported,
    SpotPricesRefreshed,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
USER = 4242


def reported(
    *,
    period: PricePeriod = PricePeriod.WEEK,
    currency: str = "usd",
    stale: bool = False,
    history: bool = True,
    age: timedelta = timedelta(0),
    points: int = 169,
) -> PriceReported:
    step = {
        PricePeriod.DAY: timedelta(minutes=5),
        PricePeriod.WEEK: timedelta(hours=1),
        PricePeriod.MONTH: timedelta(hours=1),
        PricePeriod.YEAR: timedelta(days=1),
    }[period]
    series = tuple(
        PricePoint(
            at=NOW - age - step * (points - 1 - i), price=Decimal("0.5") + Decimal(i % 13) / 200
        )
        for i in range(points)
    )
    return PriceReported(
        correlation_id=uuid4(),
        user=Actor(telegram_id=USER),
        chat_id=USER,
        occurred_at=NOW,
        vs_currency=currency,
        price=series[-1].price,
        change_24h_pct=Decimal("-1.234"),
        as_of=NOW - age,
        period=period,
        history=series if history else (),
        high=max(p.price for p in series) if history else None,
        low=min(p.price for p in series) if history else None,
        history_as_of=series[-1].at if history else None,
        stale=stale,
    )


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


def test_fresh_caption_has_price_change_high_low_and_the_chart() -> None:
    reply = reported(period=PricePeriod.MONTH, currency="eur", points=721)
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


def test_stale_caption_says_how_old_the_data_is() -> None:
    message = price_message(reported(stale=True, age=timedelta(minutes=4, seconds=20)))
    assert "last known prices, as of 4 min ago" in message.text
    assert message.chart is not None
    assert message.chart.note == "last known data, as of 4 min ago"


def test_without_history_the_answer_is_text_and_says_the_chart_is_missing() -> None:
    rendered = render(reported(history=False))
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


# ---- the PNG ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "points"),
    [
        (PricePeriod.DAY, 289),
        (PricePeriod.WEEK, 169),
        (PricePeriod.MONTH, 240),
        (PricePeriod.YEAR, 2),
    ],
)
def test_chart_is_a_png_that_opens_at_the_expected_size(period: PricePeriod, points: int) -> None:
    chart = price_message(reported(period=period, points=points, stale=True)).chart
    assert chart is not None
    png = draw_price_chart(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == CHART_SIZE_PX
        colors = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
        assert len(colors) > 10, "something is drawn"


async def test_charts_are_drawn_off_the_event_loop() -> None:
    chart = price_message(reported()).chart
    assert chart is not None
    charts = MatplotlibCharts()
    try:
        png = await charts.draw(chart)
    finally:
        charts.close()
    assert png[:4] == b"\x89PNG"


# ---- delivery as a photo ---------------------------------------------------------------------


class FakeCharts:
    def __init__(self) -> None:
        self.drawn: list[Any] = []

    async def draw(self, chart: Any) -> bytes:
        self.drawn.append(chart)
        return draw_price_chart(chart)


def photo_result(message_id: int = 900) -> dict[str, Any]:
    return {
        "ok": True,
        "result": {
            "message_id": message_id,
            "date": 1_700_000_000,
            "chat": {"id": USER, "type": "private"},
            "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1200, "height": 675}],
        },
    }


async def test_a_price_reply_replaces_the_placeholder_with_a_photo(
    store: Any, new_uow: Any, bot: Bot, telegram: Any
) -> None:
    telegram.script("sendPhoto", 200, photo_result())
    charts = FakeCharts()
    reply = reported(period=PricePeriod.DAY, points=289)
    store.pending[reply.correlation_id] = Placeholder(USER, 501)
    outcome = await deliver_reply(
        reply, uow=new_uow(REPLIES_QUEUE), messenger=BotMessenger(bot, charts)
    )
    assert outcome is Delivery.EDITED
    [photo] = telegram.sent("sendPhoto")
    assert isinstance(photo, SendPhoto)
    assert photo.chat_id == USER
    assert photo.caption == render(reply).text
    assert photo.photo.filename == "xrp-usd-1d.png"  # type: ignore[union-attr]
    assert photo.reply_markup == render(reply).keyboard
    [deleted] = telegram.sent("deleteMessage")
    assert isinstance(deleted, DeleteMessage)
    assert deleted.message_id == 501
    assert store.pending == {}
    assert [c.title for c in charts.drawn] == ["XRP / USD · 1D"]


async def test_a_placeholder_already_deleted_is_fine(
    store: Any, new_uow: Any, bot: Bot, telegram: Any
) -> None:
    telegram.script("sendPhoto", 200, photo_result())
    telegram.fail("deleteMessage", 400, "Bad Request: message to delete not found")
    reply = reported()
    store.pending[reply.correlation_id] = Placeholder(USER, 501)
    outcome = await deliver_reply(
        reply, uow=new_uow(REPLIES_QUEUE), messenger=BotMessenger(bot, FakeCharts())
    )
    assert outcome is Delivery.EDITED
    assert (REPLIES_QUEUE, reply.event_id) in store.inbox


async def test_a_text_answer_for_a_chart_placeholder_comes_as_a_new_message(
    store: Any, new_uow: Any, bot: Bot, telegram: Any
) -> None:
    telegram.fail("editMessageText", 400, "Bad Request: there is no text in the message to edit")
    reply = reported(history=False)
    store.pending[reply.correlation_id] = Placeholder(USER, 900)
    outcome = await deliver_reply(
        reply, uow=new_uow(REPLIES_QUEUE), messenger=BotMessenger(bot, FakeCharts())
    )
    assert outcome is Delivery.SENT
    assert telegram.sent("sendMessage")[0].text == render(reply).text


# ---- handlers --------------------------------------------------------------------------------


@pytest.fixture
def dp(new_uow: Callable[..., Any]) -> Dispatcher:
    return build_dispatcher(new_uow)


def callback_update(update_id: int, data: str, message_id: int = 900) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": {"id": USER, "is_bot": False, "first_name": "Ada"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": 1_700_000_000,
                "chat": {"id": USER, "type": "private", "first_name": "Ada"},
                "from": {"id": 123456789, "is_bot": True, "first_name": "xrpbot"},
                "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1200, "height": 675}],
                "caption": "1 XRP = 0.5 USD",
            },
        },
    }


async def test_prices_with_arguments_sets_the_currency_and_asks_for_the_period(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: Any
) -> None:
    await dp.feed_raw_update(bot, message_update(20, "/prices EUR 30d", user_id=USER))
    [command] = store.outbox
    assert isinstance(command, GetPrices)
    assert (command.vs_currency, command.period) == ("eur", PricePeriod.MONTH)
    assert store.fiat_currency == {USER: "eur"}
    assert telegram.sent("sendMessage")[0].text == texts.fetching_prices()
    await dp.feed_raw_update(bot, message_update(21, "/prices", user_id=USER))
    second = store.outbox[-1]
    assert (second.vs_currency, second.period) == ("eur", PricePeriod.DAY), "remembered"


async def test_prices_with_a_wrong_argument_explains_and_asks_nothing(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: Any
) -> None:
    await dp.feed_raw_update(bot, message_update(22, "/prices bitcoin", user_id=USER))
    assert store.outbox == []
    text = telegram.sent("sendMessage")[0].text
    assert "bitcoin" in text
    assert "30d" in text


async def test_a_button_asks_for_its_period_and_replaces_the_pressed_message(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    data = PricesButton(currency="gbp", period=PricePeriod.YEAR).pack()
    await dp.feed_raw_update(bot, callback_update(30, data))
    [command] = store.outbox
    assert (command.vs_currency, command.period) == ("gbp", PricePeriod.YEAR)
    assert store.pending[command.correlation_id] == Placeholder(USER, 900)
    assert store.fiat_currency == {USER: "gbp"}
    [answer] = telegram.sent("answerCallbackQuery")
    assert isinstance(answer, AnswerCallbackQuery)
    assert answer.text == texts.prices_loading("GBP", "1Y")


async def test_a_button_with_an_unknown_currency_does_nothing(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    await dp.feed_raw_update(bot, callback_update(31, "px:xyz:1d"))
    assert store.outbox == []
    assert len(telegram.sent("answerCallbackQuery")) == 1


# ---- fiat equivalents ------------------------------------------------------------------------


def balance(drops: int = 1_000_000_000) -> BalanceReported:
    return BalanceReported(
        correlation_id=uuid4(),
        user=Actor(telegram_id=USER),
        chat_id=USER,
        occurred_at=NOW,
        address="rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY",
        balance_drops=drops,
        reserve_base_drops=1_000_000,
        reserve_owner_drops=200_000,
        owner_count=0,
        reserve_drops=1_000_000,
        ledger_index=10,
    )


def test_fiat_equivalent_of_drops() -> None:
    quote = FiatQuote("usd", Decimal("0.5123"), NOW)
    assert fiat_equivalent(1_000_000_000, quote, now=NOW) == "(≈ 512.30 USD)"
    assert fiat_equivalent(1, quote, now=NOW) == "(≈ 0.00 USD)"
    old = FiatQuote("jpy", Decimal("77.1"), NOW - timedelta(hours=3))
    assert fiat_equivalent(2_000_000, old, now=NOW) == "(≈ 154.20 JPY, rate as of 3 h ago)"


async def test_balance_shows_fiat_from_the_latest_rate_in_the_users_currency(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    event = SpotPricesRefreshed(
        correlation_id=uuid4(),
        user=Actor(telegram_id=0),
        chat_id=0,
        prices=(
            FiatPrice(vs_currency="usd", price=Decimal("0.5"), as_of=NOW),
            FiatPrice(vs_currency="eur", price=Decimal("0.46"), as_of=NOW),
        ),
    )
    assert await record_spot_prices(event, uow=new_uow("gateway.pricing.spot_refreshed")) == 2
    assert await record_spot_prices(event, uow=new_uow("gateway.pricing.spot_refreshed")) == 0
    older = event.model_copy(
        update={
            "prices": (FiatPrice(vs_currency="eur", price=Decimal("9"), as_of=NOW - timedelta(1)),)
        }
    )
    assert await record_spot_prices(older, uow=new_uow("gateway.pricing.spot_refreshed")) == 0
    store.fiat_currency[USER] = "eur"
    await deliver_reply(balance(), uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    [(_, shown)] = messenger.sent
    assert "1,000 XRP (≈ 460.00 EUR)" in shown.text
    assert "999 XRP (≈ 459.54 EUR)" in shown.text


async def test_balance_without_a_known_rate_shows_xrp_only(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    await deliver_reply(balance(), uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    [(_, shown)] = messenger.sent
    assert "≈" not in shown.text
    assert shown.text == render(balance()).text


async def test_the_rates_consumer_is_wired_to_pricings_event(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    broker = RabbitBroker()
    broker.include_router(build_rates_router(delivery_limit=3))
    broker.context.set_global("deps", GatewayDeps(new_uow=new_uow, messenger=messenger))
    event = SpotPricesRefreshed(
        correlation_id=uuid4(),
        user=Actor(telegram_id=0),
        chat_id=0,
        prices=(FiatPrice(vs_currency="gbp", price=Decimal("0.4"), as_of=NOW),),
    )
    async with TestRabbitBroker(broker) as br:
        await br.publish(
            event.model_dump_json().encode(),
            exchange=EVENTS,
            routing_key=event.ROUTING_KEY,
            content_type="application/json",
        )
    assert store.fiat_rates == {"gbp": FiatQuote("gbp", Decimal("0.4"), NOW)}
