"""The /settings screens wallet's daily-limit replies are shown as, and the limit refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from xrpbot.gateway.domain.delivery import ReplyView
from xrpbot.gateway.domain.preferences import Preferences
from xrpbot.gateway.render.keyboards import SettingsButton
from xrpbot.gateway.render.replies import render_reply
from xrpbot.schemas import (
    Actor,
    DailyLimitReported,
    DailyLimitSet,
    ErrorCode,
    WalletFailed,
)

XRP = 1_000_000


def _limit(
    kind: type[DailyLimitReported] | type[DailyLimitSet] = DailyLimitReported,
    *,
    limit_xrp: int = 10_000,
    default_xrp: int = 10_000,
    own: bool = False,
    sent_xrp: int = 0,
) -> Any:
    return kind(
        correlation_id=uuid4(),
        user=Actor(telegram_id=4242, language_code="en"),
        chat_id=4242,
        limit_drops=limit_xrp * XRP,
        default_limit_drops=default_xrp * XRP,
        own=own,
        sent_today_drops=sent_xrp * XRP,
        remaining_today_drops=max(0, limit_xrp - sent_xrp) * XRP,
    )


def _data(markup: Any) -> list[str]:
    return [b.callback_data for row in markup.inline_keyboard for b in row]


def test_the_screen_shows_preferences_and_the_limit_in_force(
    labels: Callable[[Any], list[str]],
) -> None:
    prefs = Preferences(language=None, fiat_currency="eur", notifications=False)
    own = render_reply(
        _limit(DailyLimitSet, limit_xrp=100, own=True, sent_xrp=30), preferences=prefs
    )
    assert "Currency: EUR" in own.text
    assert "Payment notifications: off" in own.text
    assert "📉 Daily sending limit: 100 XRP (yours; the default is 10,000 XRP)" in own.text
    assert "You can send up to 70 XRP more in the next 24 hours." in own.text
    assert labels(own.keyboard)[-1] == "📉 Daily limit: 100 XRP"
    assert _data(own.keyboard)[-1] == SettingsButton(what="limit").pack()
    default = render_reply(_limit(sent_xrp=12_000), preferences=prefs)
    assert "Daily sending limit: 10,000 XRP (the default)" in default.text
    assert "up to 0 XRP more" in default.text  # never a negative amount


def test_the_limit_choice_offers_only_limits_not_above_the_default(
    labels: Callable[[Any], list[str]],
) -> None:
    choice = ReplyView("limit_choice", {})
    low = render_reply(_limit(limit_xrp=300, default_xrp=700), view=choice)
    assert labels(low.keyboard) == ["100 XRP", "500 XRP", "✓ Default (700 XRP)", "◀️ Back"]
    assert _data(low.keyboard) == [
        SettingsButton(what="limit", value="100").pack(),
        SettingsButton(what="limit", value="500").pack(),
        SettingsButton(what="limit", value="default").pack(),
        SettingsButton(what="back").pack(),
    ]
    full = render_reply(_limit(limit_xrp=5_000, own=True), view=choice)
    assert labels(full.keyboard)[:5] == [
        "100 XRP",
        "500 XRP",
        "1,000 XRP",
        "✓ 5,000 XRP",
        "Default (10,000 XRP)",
    ]


def test_a_limit_above_the_default_is_worded() -> None:
    refused = WalletFailed(
        correlation_id=uuid4(),
        user=Actor(telegram_id=4242),
        chat_id=4242,
        code=ErrorCode.LIMIT_ABOVE_DEFAULT,
        command="wallet.set_daily_limit",
    )
    text = render_reply(refused).text
    assert "never raised above the default" in text
    assert "nothing was changed" in text
