"""/prices and its buttons through the real Dispatcher with fake ports."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import AnswerCallbackQuery

from xrpbot.gateway.domain.delivery import Placeholder
from xrpbot.gateway.render.keyboards import PricesButton
from xrpbot.gateway.render.texts import prices as prices_texts
from xrpbot.schemas import (
    FIAT_CURRENCIES,
    GetPrices,
    PricePeriod,
)

USER = 4242
CURRENCIES = ", ".join(code.upper() for code in FIAT_CURRENCIES)


# ---- handlers --------------------------------------------------------------------------------


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
    assert telegram.sent("sendMessage")[0].text == prices_texts.fetching_prices()
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
    assert answer.text == prices_texts.prices_loading("GBP", "1Y")


async def test_a_button_with_an_unknown_currency_does_nothing(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    await dp.feed_raw_update(bot, callback_update(31, "px:xyz:1d"))
    assert store.outbox == []
    assert len(telegram.sent("answerCallbackQuery")) == 1


async def test_a_huge_wrong_argument_is_named_shortened_and_the_usage_still_arrives(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: Any
) -> None:
    word = "x" * 4000
    await dp.feed_raw_update(bot, message_update(23, f"/prices {word}", user_id=USER))
    assert store.outbox == []
    [usage] = telegram.sent("sendMessage")  # Telegram accepted it (the fake refuses > 4096)
    assert usage.text == prices_texts.prices_usage("x" * 31 + "…", CURRENCIES)
    assert usage.text.startswith("I don't know “xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…”. Try /prices")
    assert len(usage.text) < 400
