"""Telegram's flood control, checked on the state directly (no HTTP)."""

from __future__ import annotations

import pytest

from xrpbot.sandbox.telegram.constants import DEFAULT_TOKEN as TOKEN
from xrpbot.sandbox.telegram.errors import ApiError
from xrpbot.sandbox.telegram.flood import check_flood as tg_check_flood
from xrpbot.sandbox.telegram.state import TelegramState

USER = 996202131


def test_flood_allows_20_messages_per_minute_to_a_group() -> None:
    state = TelegramState([TOKEN])
    bot = next(iter(state.bots.values()))
    bot.flood = {
        "chat_per_second": 1000.0,  # only the group rule is looked at here
        "chat_burst": 1000.0,
        "global_per_second": 1000.0,
        "global_burst": 1000.0,
        "group_per_minute": 20,
        "group_window_seconds": 60.0,
    }
    group = -1001234567890
    for _ in range(20):
        tg_check_flood(bot, "sendmessage", group)
    with pytest.raises(ApiError) as err:
        tg_check_flood(bot, "sendmessage", group)
    assert err.value.code == 429
    assert err.value.retry_after is not None
    assert 1 <= err.value.retry_after <= 60
    assert err.value.body()["parameters"] == {"retry_after": err.value.retry_after}
    tg_check_flood(bot, "sendmessage", USER)  # a private chat is not a group
    tg_check_flood(bot, "sendmessage", group - 1)  # another group has its own minute
    bot.group_sends[group] = type(bot.group_sends[group])(
        t - 61 for t in bot.group_sends[group]
    )  # a minute later
    tg_check_flood(bot, "sendmessage", group)
    assert bot.flood_rejected == 1
