"""Charts and QR codes go out as photos: a price reply replaces its placeholder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.methods import DeleteMessage, SendPhoto

from xrpbot.gateway.adapters.chart import draw_price_chart
from xrpbot.gateway.adapters.messenger import BotMessenger
from xrpbot.gateway.domain.delivery import Delivery, Placeholder
from xrpbot.gateway.entrypoints.consumers import REPLIES_QUEUE
from xrpbot.gateway.render.replies import render_reply as render
from xrpbot.gateway.use_cases.replies import deliver_reply
from xrpbot.schemas import (
    PricePeriod,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
USER = 4242


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
    store: Any, new_uow: Any, bot: Bot, telegram: Any, price_reply: Callable[..., Any]
) -> None:
    telegram.script("sendPhoto", 200, photo_result())
    charts = FakeCharts()
    reply = price_reply(period=PricePeriod.DAY, points=289)
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
    store: Any, new_uow: Any, bot: Bot, telegram: Any, price_reply: Callable[..., Any]
) -> None:
    telegram.script("sendPhoto", 200, photo_result())
    telegram.fail("deleteMessage", 400, "Bad Request: message to delete not found")
    reply = price_reply()
    store.pending[reply.correlation_id] = Placeholder(USER, 501)
    outcome = await deliver_reply(
        reply, uow=new_uow(REPLIES_QUEUE), messenger=BotMessenger(bot, FakeCharts())
    )
    assert outcome is Delivery.EDITED
    assert (REPLIES_QUEUE, reply.event_id) in store.inbox


async def test_a_text_answer_for_a_chart_placeholder_comes_as_a_new_message(
    store: Any, new_uow: Any, bot: Bot, telegram: Any, price_reply: Callable[..., Any]
) -> None:
    telegram.fail("editMessageText", 400, "Bad Request: there is no text in the message to edit")
    reply = price_reply(history=False)
    store.pending[reply.correlation_id] = Placeholder(USER, 900)
    outcome = await deliver_reply(
        reply, uow=new_uow(REPLIES_QUEUE), messenger=BotMessenger(bot, FakeCharts())
    )
    assert outcome is Delivery.SENT
    assert telegram.sent("sendMessage")[0].text == render(reply).text
