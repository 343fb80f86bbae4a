"""The per-user throttle through the real Dispatcher with fake ports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.throttle import Verdict
from xrpbot.gateway.render.keyboards import MenuAction, MenuButton
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import wallet as wallet_texts

BOT_ID = 123456789
ADMIN = 9001
MakeUpdate = Callable[..., dict[str, Any]]


# ---- throttling ------------------------------------------------------------------------------


async def test_a_throttled_user_gets_one_notice_and_no_command_while_others_are_served(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.verdicts[4242] = [Verdict.NOTICE, Verdict.DROP]
    await dp.feed_raw_update(bot, message_update(20, "/balance"))
    await dp.feed_raw_update(bot, message_update(21, "/balance"))
    await dp.feed_raw_update(bot, message_update(22, "/balance", user_id=77))
    texts_sent = [(m.chat_id, m.text) for m in telegram.sent("sendMessage")]
    assert texts_sent == [(4242, common_texts.slow_down()), (77, wallet_texts.checking_balance())]
    assert [c.user.telegram_id for c in store.outbox] == [77]
    assert store.processed_updates == {20, 21, 22}  # claimed: Telegram will not re-send them
    assert store.throttled == [4242, 4242, 77]


async def test_a_throttled_button_press_is_answered_without_a_command(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, press: Callable[..., dict[str, Any]]
) -> None:
    store.verdicts[4242] = [Verdict.NOTICE, Verdict.DROP]
    await dp.feed_raw_update(bot, press(23, MenuButton(action=MenuAction.BALANCE).pack()))
    await dp.feed_raw_update(bot, press(24, MenuButton(action=MenuAction.BALANCE).pack()))
    answers = [q.text for q in telegram.sent("answerCallbackQuery")]
    assert answers == [common_texts.slow_down(), None]
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []
