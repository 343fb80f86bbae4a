"""/send, its flow, the quote buttons and /history through the real Dispatcher, with fakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.delivery import Placeholder
from xrpbot.gateway.domain.ids import command_event_id, correlation_id_for
from xrpbot.gateway.render.keyboards import (
    NO_TAG,
    SEND_START,
    HistoryPage,
    QuoteAction,
    QuoteButton,
)
from xrpbot.gateway.render.texts import common as common_texts
from xrpbot.gateway.render.texts import errors as errors_texts
from xrpbot.gateway.render.texts import history as history_texts
from xrpbot.gateway.render.texts import input_errors
from xrpbot.gateway.render.texts import send as send_texts
from xrpbot.schemas import CancelTransfer, ConfirmTransfer, GetHistory, RequestTransfer

BOT_ID = 123456789
USER = 4242
ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
FSM_KEY = f"fsm:{BOT_ID}:{USER}:{USER}:default"
MakeUpdate = Callable[..., dict[str, Any]]


def _press(
    update_id: int, data: str, *, user_id: int = USER, chat_id: int = USER, message_id: int = 300
) -> dict[str, Any]:
    """A callback_query update (https://core.telegram.org/bots/api#callbackquery)."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Ada", "username": "ada"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": message_id,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "xrpbot"},
                "chat": {"id": chat_id, "type": "private", "first_name": "Ada"},
                "date": 1_700_000_000,
                "text": "quote",
            },
        },
    }


def _confirm(transfer_id: UUID, action: QuoteAction = QuoteAction.CONFIRM) -> str:
    return QuoteButton(action=action, transfer_id=transfer_id).pack()


async def test_send_with_every_part_queues_request_transfer_behind_a_placeholder(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(20, f"/send 10 XRP {ADDRESS} 12345"))
    [placeholder] = telegram.sent("sendMessage")
    assert placeholder.text == send_texts.preparing_quote()
    [command] = store.outbox
    assert isinstance(command, RequestTransfer)
    correlation_id = correlation_id_for(BOT_ID, 20)
    assert command.correlation_id == correlation_id
    assert command.event_id == command_event_id(correlation_id, "transfer.request_transfer")
    assert (command.amount, command.destination, command.destination_tag) == (
        "10",  # as read: plain drops text
        ADDRESS,
        "12345",
    )
    assert command.chat_id == USER
    [(expected, queued)] = store.pending.items()
    assert expected == correlation_id
    assert queued.slot_id is not None
    assert queued.chat_id == USER
    assert store.slots[queued.slot_id].message_id == telegram.next_message_id, "shown"
    assert store.fsm == {}


async def test_send_to_a_username_leaves_finding_the_user_to_the_transfer_service(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(21, "/send 1.50 @bobby"))
    [command] = store.outbox
    assert isinstance(command, RequestTransfer)
    assert (command.amount, command.destination, command.destination_tag) == (
        "1.5",
        "@bobby",
        None,
    )


async def test_an_amount_that_cannot_be_is_refused_at_once_and_nothing_is_queued(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(22, "/send -1 @bobby"))
    assert telegram.sent("sendMessage")[-1].text == errors_texts.error_text("amount_not_positive")
    assert store.outbox == []
    assert store.fsm == {}


async def test_step_by_step_amount_destination_tag(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(30, "/send"))
    assert telegram.sent("sendMessage")[-1].text == send_texts.ask_amount()
    assert store.fsm[FSM_KEY][0] == "SendFlow:amount"

    await dp.feed_raw_update(bot, message_update(31, "ten"))
    assert input_errors.invalid_amount() in telegram.sent("sendMessage")[-1].text
    assert store.fsm[FSM_KEY][0] == "SendFlow:amount"

    await dp.feed_raw_update(bot, message_update(32, "2.50"))
    assert telegram.sent("sendMessage")[-1].text == send_texts.ask_destination("2.5 XRP")
    assert store.fsm[FSM_KEY] == ("SendFlow:destination", {"amount": "2.5 XRP"})

    await dp.feed_raw_update(bot, message_update(33, ADDRESS))
    question = telegram.sent("sendMessage")[-1]
    assert question.text == send_texts.ask_tag()
    assert question.reply_markup.inline_keyboard[0][0].callback_data == NO_TAG
    assert store.outbox == []

    await dp.feed_raw_update(bot, message_update(34, "not a tag"))
    assert input_errors.invalid_destination_tag() in telegram.sent("sendMessage")[-1].text

    await dp.feed_raw_update(bot, message_update(35, "777"))
    [command] = store.outbox
    assert isinstance(command, RequestTransfer)
    assert (command.amount, command.destination, command.destination_tag) == (
        "2.5",
        ADDRESS,
        "777",
    )
    assert command.correlation_id == correlation_id_for(BOT_ID, 35)
    assert store.fsm == {}, "the flow is over"


async def test_no_tag_button_quotes_in_the_question_message(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(40, "/send 1"))
    await dp.feed_raw_update(bot, message_update(41, ADDRESS))
    await dp.feed_raw_update(bot, _press(42, NO_TAG, message_id=555))
    [command] = store.outbox
    assert isinstance(command, RequestTransfer)
    assert command.destination_tag is None
    [edit] = telegram.sent("editMessageText")
    assert (edit.message_id, edit.text) == (555, send_texts.preparing_quote())
    assert store.pending == {correlation_id_for(BOT_ID, 42): Placeholder(USER, 555)}
    assert len(telegram.sent("answerCallbackQuery")) == 1

    # pressed again later: the question is closed, nothing more is queued
    await dp.feed_raw_update(bot, _press(43, NO_TAG, message_id=555))
    assert len(store.outbox) == 1
    assert telegram.sent("answerCallbackQuery")[-1].text == send_texts.flow_question_closed()


async def test_a_username_needs_no_tag_question(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(50, "/send 3"))
    await dp.feed_raw_update(bot, message_update(51, "@bobby"))
    [command] = store.outbox
    assert isinstance(command, RequestTransfer)
    assert command.destination == "@bobby"


async def test_cancel_leaves_the_flow(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(60, "/send 3"))
    await dp.feed_raw_update(bot, message_update(61, "/cancel"))
    assert telegram.sent("sendMessage")[-1].text == send_texts.flow_cancelled()
    assert store.fsm == {}
    await dp.feed_raw_update(bot, message_update(62, "@bob"))
    assert telegram.sent("sendMessage")[-1].text == common_texts.not_understood()
    await dp.feed_raw_update(bot, message_update(63, "/cancel"))
    assert telegram.sent("sendMessage")[-1].text == send_texts.nothing_to_cancel()
    assert store.outbox == []


async def test_other_commands_work_during_the_flow(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(70, "/send"))
    await dp.feed_raw_update(bot, message_update(71, "/balance"))
    assert [c.kind for c in store.outbox] == ["wallet.get_balance"]
    assert store.fsm[FSM_KEY][0] == "SendFlow:amount"


async def test_send_button_starts_the_flow(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    await dp.feed_raw_update(bot, _press(80, SEND_START))
    assert telegram.sent("sendMessage")[-1].text == send_texts.ask_amount()
    assert store.fsm[FSM_KEY][0] == "SendFlow:amount"


async def test_a_failed_step_rolls_the_flow_back_with_the_claim(
    dp: Dispatcher,
    bot: Bot,
    telegram: Any,
    store: Any,
    message_update: MakeUpdate,
    monkeypatch: pytest.MonkeyPatch,
    fake_types: Any,
) -> None:
    await dp.feed_raw_update(bot, message_update(90, "/send"))
    real_see = fake_types.chats.see

    async def see(self: Any, chat_id: int, language_code: str | None) -> None:
        monkeypatch.setattr(fake_types.chats, "see", real_see)  # the next try succeeds
        raise ConnectionResetError("the database went away")  # transient: rolled back

    monkeypatch.setattr(fake_types.chats, "see", see)
    with pytest.raises(ConnectionResetError):
        await dp.feed_raw_update(bot, message_update(91, "5"))
    assert store.fsm[FSM_KEY] == ("SendFlow:amount", {})
    assert 91 not in store.processed_updates
    await dp.feed_raw_update(bot, message_update(91, "5"))
    assert store.fsm[FSM_KEY] == ("SendFlow:destination", {"amount": "5 XRP"})


async def test_confirm_edits_the_quote_into_sending_and_queues_confirm_transfer(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    transfer_id = uuid4()
    await dp.feed_raw_update(bot, _press(100, _confirm(transfer_id), message_id=300))
    [answer] = telegram.sent("answerCallbackQuery")
    assert answer.callback_query_id == "q100"
    [edit] = telegram.sent("editMessageText")
    assert (edit.chat_id, edit.message_id, edit.text) == (USER, 300, send_texts.sending())
    assert edit.reply_markup is None, "the buttons are removed"
    [command] = store.outbox
    assert isinstance(command, ConfirmTransfer)
    assert command.transfer_id == transfer_id
    correlation_id = correlation_id_for(BOT_ID, 100)
    assert command.event_id == command_event_id(correlation_id, "transfer.confirm_transfer")
    assert store.pending == {correlation_id: Placeholder(USER, 300)}

    # the same update again (Telegram re-sends it): nothing more
    await dp.feed_raw_update(bot, _press(100, _confirm(transfer_id), message_id=300))
    assert len(store.outbox) == 1
    assert len(telegram.sent("editMessageText")) == 1


async def test_a_second_press_is_queued_for_refusal_but_never_takes_the_message(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    transfer_id = uuid4()
    await dp.feed_raw_update(bot, _press(110, _confirm(transfer_id)))
    await dp.feed_raw_update(bot, _press(111, _confirm(transfer_id)))
    await dp.feed_raw_update(bot, _press(112, _confirm(transfer_id, QuoteAction.CANCEL)))
    assert [type(c) for c in store.outbox] == [ConfirmTransfer, ConfirmTransfer, CancelTransfer]
    assert len(telegram.sent("editMessageText")) == 1
    assert list(store.pending) == [correlation_id_for(BOT_ID, 110)]
    assert len(telegram.sent("answerCallbackQuery")) == 3


async def test_cancel_button_queues_cancel_transfer(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    transfer_id = uuid4()
    await dp.feed_raw_update(bot, _press(120, _confirm(transfer_id, QuoteAction.CANCEL)))
    [command] = store.outbox
    assert isinstance(command, CancelTransfer)
    assert telegram.sent("editMessageText")[0].text == send_texts.cancelling()


async def test_someone_elses_quote_is_queued_as_theirs_and_never_edited(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    transfer_id = uuid4()
    await dp.feed_raw_update(bot, _press(130, _confirm(transfer_id), user_id=999, chat_id=USER))
    [command] = store.outbox
    assert isinstance(command, ConfirmTransfer)
    assert command.user.telegram_id == 999
    assert command.chat_id == 999
    assert telegram.sent("editMessageText") == []
    assert store.pending == {}
    # the owner's own press still takes the message
    await dp.feed_raw_update(bot, _press(131, _confirm(transfer_id)))
    assert len(telegram.sent("editMessageText")) == 1


async def test_an_expired_callback_query_does_not_lose_the_press(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any
) -> None:
    telegram.fail(
        "answerCallbackQuery",
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    await dp.feed_raw_update(bot, _press(140, _confirm(uuid4())))
    assert len(store.outbox) == 1


async def test_history_and_its_pages(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(150, "/history"))
    [placeholder] = telegram.sent("sendMessage")
    assert placeholder.text == history_texts.loading_history()
    [first] = store.outbox
    assert isinstance(first, GetHistory)
    assert (first.page, first.page_size) == (0, 5)

    await dp.feed_raw_update(bot, _press(151, HistoryPage(page=2).pack(), message_id=777))

    second = store.outbox[-1]
    assert isinstance(second, GetHistory)
    assert second.page == 2
    assert store.pending[correlation_id_for(BOT_ID, 151)] == Placeholder(USER, 777)


@pytest.mark.parametrize("text", ["/send 1 @bob", "/history", "/cancel"])
async def test_payments_stay_out_of_groups(
    dp: Dispatcher, bot: Bot, telegram: Any, store: Any, message_update: MakeUpdate, text: str
) -> None:
    await dp.feed_raw_update(bot, message_update(160, text, chat_type="group", chat_id=-100))
    assert telegram.sent("sendMessage")[0].text == common_texts.private_chat_only()
    assert store.outbox == []
