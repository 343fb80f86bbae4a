"""The throttle through the real Dispatcher with fake ports: it decides first, in its own
transaction, per user and per group, and its notice never holds the update."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.filters import Command

from xrpbot.gateway.adapters.messenger import BotMessenger
from xrpbot.gateway.domain.throttle import Verdict
from xrpbot.gateway.entrypoints.outgoing import OutgoingSender
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.render.keyboards import MenuAction, MenuButton
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import wallet as wallet_texts

GROUP = -100
MakeUpdate = Callable[..., dict[str, Any]]


async def _crash(message: Any) -> None:
    raise ConnectionResetError("the database went away")  # transient: the update rolls back


async def test_a_throttled_user_gets_one_notice_and_no_command_while_others_are_served(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.verdicts[4242] = [Verdict.NOTICE, Verdict.DROP]
    await dp.feed_raw_update(bot, message_update(20, "/balance"))
    await dp.feed_raw_update(bot, message_update(21, "/balance"))
    await dp.feed_raw_update(bot, message_update(22, "/balance", user_id=77))
    texts_sent = [(m.chat_id, m.text) for m in telegram.sent("sendMessage")]
    assert sorted(texts_sent) == [
        (77, wallet_texts.checking_balance()),
        (4242, common_texts.slow_down()),
    ]
    assert [c.user.telegram_id for c in store.outbox] == [77]
    # a throttled update opens no transaction of its own: only the one that ran was claimed
    assert store.processed_updates == {22}
    assert store.throttled == [4242, 4242, 77]


async def test_the_notice_is_in_the_users_language(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.languages[4242] = "es"
    store.verdicts[4242] = [Verdict.NOTICE]
    await dp.feed_raw_update(bot, message_update(25, "/balance", language_code="en"))
    [notice] = telegram.sent("sendMessage")
    assert notice.text != common_texts.slow_down()
    assert "despacio" in notice.text.lower()


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


async def test_a_rolled_back_update_still_spends_its_throttle_count(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    dp.message.register(_crash, Command("crash"))  # the Dispatcher's own handlers come first
    for update_id in (26, 27):
        with pytest.raises(ConnectionResetError):
            await dp.feed_raw_update(bot, message_update(update_id, "/crash"))
    assert store.rollbacks == 2  # the updates' transactions rolled back…
    assert store.processed_updates == set()
    assert store.throttled == [4242, 4242]  # …their throttle counts did not


async def test_commands_in_a_group_are_throttled_before_they_are_answered(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.verdicts[4242] = [Verdict.NOTICE, Verdict.DROP, Verdict.ALLOW]
    for update_id, text in ((30, "/balance"), (31, "/help"), (32, "/balance@xrpbot")):
        await dp.feed_raw_update(
            bot, message_update(update_id, text, chat_type="supergroup", chat_id=GROUP)
        )
    # one notice for the burst, in the group, and no help; the third command is allowed again
    assert [(m.chat_id, m.text) for m in telegram.sent("sendMessage")] == [
        (GROUP, common_texts.slow_down()),
        (GROUP, common_texts.private_chat_only()),
    ]
    assert store.processed_updates == {32}  # only the allowed update was claimed
    assert store.throttled == [4242, 4242, 4242, GROUP]


async def test_a_flooded_group_is_dropped_quietly_and_other_chats_are_served(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    store.verdicts[GROUP] = [Verdict.NOTICE, Verdict.DROP]  # the group's own allowance
    for update_id, user_id in ((40, 1), (41, 2)):
        await dp.feed_raw_update(
            bot,
            message_update(
                update_id, "/balance", user_id=user_id, chat_type="group", chat_id=GROUP
            ),
        )
    await dp.feed_raw_update(bot, message_update(42, "/balance", chat_type="group", chat_id=-200))
    await dp.feed_raw_update(bot, message_update(43, "/balance", user_id=77))
    sent = sorted((m.chat_id, m.text) for m in telegram.sent("sendMessage"))
    assert sent == [
        (-200, common_texts.private_chat_only()),
        (77, wallet_texts.checking_balance()),
    ]
    assert store.throttled == [1, GROUP, 2, GROUP, 4242, -200, 77]


async def test_chatter_and_other_bots_commands_in_a_group_spend_nothing(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    for update_id, text in ((50, "hello all"), (51, "/balance@OtherBot")):
        await dp.feed_raw_update(
            bot, message_update(update_id, text, chat_type="group", chat_id=GROUP)
        )
    assert store.throttled == []
    assert telegram.sent("sendMessage") == []


async def test_a_pointer_waiting_for_the_groups_send_slot_holds_no_update(
    bot: Bot,
    telegram: Any,
    store: Any,
    new_uow: Any,
    outgoing_store: Any,
    message_update: MakeUpdate,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the real sender, woken by each commit, showing messages in tasks of its own
    sender = OutgoingSender(outgoing_store, BotMessenger(bot))
    dp = build_dispatcher(new_uow, on_commit=sender.wake)
    running = asyncio.create_task(sender.run())
    # the group's 20 messages a minute are spent: its next message waits (here: until released)
    release = asyncio.Event()
    make_request = telegram.make_request

    async def slow_group(bot: Bot, method: Any, timeout: int | None = None) -> Any:  # noqa: ASYNC109
        if method.__api_method__ == "sendMessage" and method.chat_id == GROUP:
            await release.wait()
        return await make_request(bot, method, timeout)

    monkeypatch.setattr(telegram, "make_request", slow_group)
    group_command = message_update(60, "/balance", chat_type="group", chat_id=GROUP)
    # the update commits at once, its pointer queued…
    await asyncio.wait_for(dp.feed_raw_update(bot, group_command), timeout=2)
    assert 60 in store.processed_updates
    # …and another user is answered while it waits
    await asyncio.wait_for(dp.feed_raw_update(bot, message_update(61, "/balance", user_id=77)), 2)
    for _ in range(100):  # the sender shows 77's placeholder while the group's waits
        await asyncio.sleep(0.01)
        if telegram.sent("sendMessage"):
            break
    assert [m.chat_id for m in telegram.sent("sendMessage")] == [77]
    release.set()
    assert await sender.drained(timeout_s=5)
    await sender.stop()
    running.cancel()
    assert [(m.chat_id, m.text) for m in telegram.sent("sendMessage")][-1] == (
        GROUP,
        common_texts.private_chat_only(),
    )
