"""The per-user throttle through the real Dispatcher with fake ports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.throttle import Verdict
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.render.keyboards import MenuAction, MenuButton
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import wallet as wallet_texts

BOT_ID = 123456789
ADMIN = 9001
MakeUpdate = Callable[..., dict[str, Any]]


class FakeDepths:
    async def depths(self, queues: Any) -> dict[str, int | None]:
        return {"gateway.replies": 3, "transfer.dead-letter": None}


@pytest.fixture
def dp(new_uow: Callable[..., Any]) -> Dispatcher:
    return build_dispatcher(new_uow, admin_ids={ADMIN}, queue_depths=FakeDepths())


def press(
    update_id: int,
    data: str,
    *,
    user_id: int = 4242,
    chat_id: int | None = None,
    chat_type: str = "private",
) -> dict[str, Any]:
    """A callback query update: `user_id` presses `data` under bot message 50."""
    chat: dict[str, Any] = {"id": chat_id or user_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "A group"
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en"},
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 50,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "xrpbot"},
                "chat": chat,
                "date": 1_700_000_000,
                "text": "What would you like to do?",
            },
        },
    }


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
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    store.verdicts[4242] = [Verdict.NOTICE, Verdict.DROP]
    await dp.feed_raw_update(bot, press(23, MenuButton(action=MenuAction.BALANCE).pack()))
    await dp.feed_raw_update(bot, press(24, MenuButton(action=MenuAction.BALANCE).pack()))
    answers = [q.text for q in telegram.sent("answerCallbackQuery")]
    assert answers == [common_texts.slow_down(), None]
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []
