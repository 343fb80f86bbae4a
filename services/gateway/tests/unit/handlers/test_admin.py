"""/stats and /broadcast through the real Dispatcher with fake ports, and the stats view."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.delivery import ReplyView
from xrpbot.gateway.render.replies import render_reply
from xrpbot.gateway.render.texts import admin as admin_texts
from xrpbot.schemas import (
    Actor,
    GetStats,
    StatsReported,
)

ADMIN = 9001
MakeUpdate = Callable[..., dict[str, Any]]


# ---- admins ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["/stats", "/broadcast Hello everyone"])
async def test_admin_commands_are_refused_to_others(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(40, text))
    [sent] = telegram.sent("sendMessage")
    assert sent.text == admin_texts.admin_only()
    assert store.outbox == []
    assert store.broadcasts == []
    assert store.views == {}


async def test_stats_queues_get_stats_with_the_gateways_numbers(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.chats.update({11: "en", 12: "en", -5: None})
    store.inactive.add(12)
    await dp.feed_raw_update(bot, message_update(41, "/stats", user_id=ADMIN))
    assert telegram.sent("sendMessage")[0].text == admin_texts.collecting_stats()
    [command] = store.outbox
    assert isinstance(command, GetStats)
    view = store.views[command.correlation_id]
    assert view.view == "stats"
    assert (view.args["users"], view.args["inactive"]) == (3, 1)  # 11, 12 and the admin
    assert view.args["queues"] == {"gateway.replies": 3, "transfer.dead-letter": None}


def test_stats_render_every_number() -> None:
    reply = StatsReported(
        correlation_id=uuid4(),
        user=Actor(telegram_id=ADMIN),
        chat_id=ADMIN,
        since=datetime(2026, 11, 21, tzinfo=UTC),
        wallets=1234,
        wallets_today=7,
        payments_today=42,
        volume_today_drops=1_250_500_000,
        failed_today=2,
        incoming_today=5,
        incoming_volume_today_drops=3_000_000,
    )
    view = ReplyView(
        "stats",
        {
            "users": 2000,
            "active_today": 150,
            "inactive": 9,
            "queues": {"gateway.replies": 3, "transfer.dead-letter": None},
        },
    )
    rendered = render_reply(reply, view=view)
    assert rendered is not None
    text = rendered.text
    for part in (
        "2026-11-21",
        "Users: 2000",
        "active today: 150",
        "blocked the bot: 9",
        "Wallets: 1,234",
        "new today: 7",
        "Payments sent today: 42 · 1,250.5 XRP · failed: 2",
        "Payments received today: 5 · 3 XRP",
        "<code>gateway.replies</code>: 3",
        "<code>transfer.dead-letter</code>: ?",
    ):
        assert part in text


async def test_broadcast_is_queued_escaped_for_active_chats(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.chats.update({11: "en", 12: "en"})
    store.inactive.add(12)
    await dp.feed_raw_update(
        bot, message_update(42, "/broadcast Down <soon> & back", user_id=ADMIN)
    )
    [(_, created_by, text)] = store.broadcasts
    assert (created_by, text) == (ADMIN, "Down &lt;soon&gt; &amp; back")
    assert telegram.sent("sendMessage")[0].text == admin_texts.broadcast_queued(2)


async def test_broadcast_without_text_explains(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(43, "/broadcast", user_id=ADMIN))
    assert telegram.sent("sendMessage")[0].text == admin_texts.broadcast_usage()
    assert store.broadcasts == []
