"""Handlers routed through the real Dispatcher (`feed_raw_update`) with fake ports and a fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.ids import command_event_id, correlation_id_for
from xrpbot.gateway.entrypoints.updates import UpdateProcessor
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.middlewares.transaction import DUPLICATE
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import prices as prices_texts
from xrpbot.schemas import Actor, CreateWallet, GetBalance, GetPrices

BOT_ID = 123456789
MakeUpdate = Callable[..., dict[str, Any]]


async def test_start_welcomes_and_records_the_update(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/start", first_name="Ada"))
    [sent] = telegram.sent("sendMessage")
    assert sent.chat_id == 4242
    assert sent.text == common_texts.start("Ada")
    assert store.processed_updates == {1}
    assert store.chats == {4242: "en"}
    assert store.outbox == []


async def test_start_with_a_deep_link_payload_gets_the_same_welcome(
    dp: Dispatcher, bot: Bot, telegram: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/start ref-abc"))
    assert telegram.sent("sendMessage")[0].text == common_texts.start("Ada")


async def test_help_lists_the_commands(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(2, "/help"))
    assert telegram.sent("sendMessage")[0].text == common_texts.help_text()
    assert store.processed_updates == {2}


async def test_wallet_answers_at_once_and_queues_one_create_wallet(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(
        bot, message_update(10, "/wallet", user_id=77, username="bob", first_name="Bob")
    )
    [placeholder] = telegram.sent("sendMessage")
    assert placeholder.text == "Creating your wallet…"
    [command] = store.outbox
    assert isinstance(command, CreateWallet)
    correlation_id = correlation_id_for(BOT_ID, 10)
    assert command.correlation_id == correlation_id
    assert command.event_id == command_event_id(correlation_id, "wallet.create_wallet")
    assert command.user == Actor(
        telegram_id=77, username="bob", first_name="Bob", language_code="en"
    )
    assert command.chat_id == 77
    [(expected, placeholder)] = store.pending.items()
    assert expected == correlation_id
    assert placeholder.chat_id == 77
    assert placeholder.slot_id is not None, "a queued message"
    assert store.slots[placeholder.slot_id].message_id == telegram.next_message_id, "shown"
    assert store.processed_updates == {10}


async def test_balance_answers_at_once_and_queues_get_balance(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(11, "/balance"))
    assert telegram.sent("sendMessage")[0].text == "Checking your balance…"
    [command] = store.outbox
    assert isinstance(command, GetBalance)
    assert command.correlation_id == correlation_id_for(BOT_ID, 11)
    assert list(store.pending) == [command.correlation_id]


async def test_prices_answers_at_once_and_queues_get_prices(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(13, "/prices"))
    assert telegram.sent("sendMessage")[0].text == prices_texts.fetching_prices()
    [command] = store.outbox
    assert isinstance(command, GetPrices)
    assert command.vs_currency == "usd"
    assert list(store.pending) == [command.correlation_id]


async def test_a_duplicate_update_id_changes_nothing(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    update = message_update(12, "/wallet")
    await dp.feed_raw_update(bot, update)
    result = await dp.feed_raw_update(bot, update)
    assert result is DUPLICATE
    assert len(telegram.sent("sendMessage")) == 1
    assert len(store.outbox) == 1


async def test_telegram_down_after_the_commit_keeps_the_command_and_retries_the_message(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    show_after_commit: Any,
) -> None:
    update = message_update(13, "/wallet")
    for _ in range(3):  # the outbound middleware's tries
        telegram.fail("sendMessage", 502, "Bad Gateway")
    await dp.feed_raw_update(bot, update)  # never raises: Telegram is asked after the commit
    [command] = store.outbox
    assert command.correlation_id == correlation_id_for(BOT_ID, 13)
    assert store.processed_updates == {13}
    [slot] = store.slots.values()
    assert slot.due, "still queued, to try again"
    assert slot.message_id is None

    await show_after_commit(bot)  # Telegram is back: the sender's next try
    assert [m.text for m in telegram.sent("sendMessage")][-1] == "Creating your wallet…"
    assert not slot.due, "shown"


async def test_429_on_the_placeholder_is_waited_out(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    telegram.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    await dp.feed_raw_update(bot, message_update(14, "/balance"))
    assert telegram.waits == [3]
    assert len(telegram.sent("sendMessage")) == 2
    assert len(store.outbox) == 1


async def test_a_user_who_blocked_the_bot_is_skipped_quietly(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    telegram.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await dp.feed_raw_update(bot, message_update(15, "/wallet"))
    [slot] = store.slots.values()
    assert slot.dropped == "chat unavailable", "never retried"
    assert len(telegram.sent("sendMessage")) == 1


@pytest.mark.parametrize("text", ["/wallet", "/balance"])
async def test_wallet_commands_in_a_group_point_to_a_private_chat(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(16, text, chat_type="group", chat_id=-100))
    [sent] = telegram.sent("sendMessage")
    assert sent.chat_id == -100
    assert sent.text == common_texts.private_chat_only()
    assert store.outbox == []


async def test_a_command_addressed_to_the_bot_by_name_works(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(17, "/balance@xrpbot"))
    assert len(store.outbox) == 1


async def test_a_command_for_another_bot_is_not_ours(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(
        bot, message_update(18, "/wallet@otherbot", chat_type="group", chat_id=-100)
    )
    assert telegram.sent("sendMessage") == []
    assert store.outbox == []


@pytest.mark.parametrize("text", ["hello", "/unknown", "/walletz"])
async def test_anything_else_in_private_gets_a_hint(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(19, text))
    assert telegram.sent("sendMessage")[0].text == common_texts.not_understood()
    assert store.processed_updates == {19}


async def test_chatter_in_a_group_gets_no_answer(
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    new_uow: Any,
    show_after_commit: Any,
) -> None:
    processor = UpdateProcessor(build_dispatcher(new_uow, on_commit=show_after_commit), bot)
    update = processor.parse(message_update(20, "hi all", chat_type="group", chat_id=-100))
    assert update is not None
    assert await processor.process(update) == "unhandled"
    assert telegram.sent("sendMessage") == []
    assert store.processed_updates == {20}


async def test_processor_reports_duplicates(
    bot: Bot, store: Any, message_update: MakeUpdate, new_uow: Any, show_after_commit: Any
) -> None:
    processor = UpdateProcessor(build_dispatcher(new_uow, on_commit=show_after_commit), bot)
    update = processor.parse(message_update(21, "/help"))
    assert update is not None
    assert await processor.process(update) == "handled"
    assert await processor.process(update) == "duplicate"


def test_processor_rejects_what_is_not_an_update(
    bot: Bot, new_uow: Any, show_after_commit: Any
) -> None:
    processor = UpdateProcessor(build_dispatcher(new_uow, on_commit=show_after_commit), bot)
    assert processor.parse([1, 2]) is None
    assert processor.parse({"update_id": "x"}) is None
    assert processor.parse({"message": {}}) is None


async def test_a_placeholder_waits_for_the_delay_and_other_messages_do_not(
    bot: Bot, telegram: Any, store: Any, new_uow: Any, message_update: MakeUpdate
) -> None:
    dp = build_dispatcher(new_uow, placeholder_delay_s=0.4)
    await dp.feed_raw_update(bot, message_update(30, "/balance"))
    for _ in range(5):  # the "typing…" call runs in a task of its own
        await asyncio.sleep(0)
    [typing] = telegram.sent("sendChatAction")
    assert (typing.chat_id, typing.action) == (4242, "typing"), "typing… while it waits"
    await dp.feed_raw_update(bot, message_update(31, "/help"))
    placeholder, help_text = store.slots.values()
    assert (placeholder.body["text"], placeholder.delay_s) == ("Checking your balance…", 0.4)
    assert help_text.delay_s == 0.0, "an answer is never held back"
    assert len(telegram.sent("sendChatAction")) == 1
