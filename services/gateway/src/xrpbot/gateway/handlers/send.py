"""/send: one command with every part, or a step-by-step flow; the quote's Confirm and Cancel.

- `/send <amount> <destination> [tag]` answers "Checking your payment…" and queues
  RequestTransfer (placeholder, pending reply and update claim in one transaction, like
  /wallet). Parts missing: the bot asks for them (SendFlow, stored in Postgres, see
  `adapters.fsm`); /cancel leaves the flow. The Send button (on /balance and /wallet) starts it.
- Confirm / Cancel under a quote: the callback query is answered at once. The owner's first
  press of a quote takes its message over (`quote_presses`): the quote becomes "Sending…"
  (buttons removed) and the replies of ConfirmTransfer edit it (TransferSubmitted, then
  TransferValidated / TransferFailed). Any later press (a double tap, a press at the same
  instant, someone else's) still queues its command, which the transfer service refuses; that
  refusal comes as a new message, so it never overwrites the payment's progress.
Private chats only: amounts and addresses never show in a group.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from decimal import ROUND_DOWN, Decimal
from uuid import UUID

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from xrpbot.schemas import (
    Actor,
    CancelTransfer,
    ConfirmTransfer,
    ErrorCode,
    FiatAmount,
    RequestTransfer,
)

from .. import texts, use_cases
from ..formatting import format_decimal
from ..ids import command_event_id
from ..keyboards import NO_TAG, SEND_START, QuoteAction, QuoteButton, no_tag_keyboard
from ..ports import Placeholder, UnitOfWork
from ..refusals import refusal_text
from ..send_parsing import amount_problem, asks_for_tag, fiat_amount, parse_send_args, tag_problem
from ..states import SendFlow

__all__ = [
    "answer_quietly",
    "build_router",
    "edit_quietly",
    "on_cancel",
    "on_no_tag",
    "on_quote_button",
    "on_send",
    "on_send_button",
]

log = logging.getLogger(__name__)

_private = (F.chat.type == ChatType.PRIVATE) & F.from_user
_private_query = (F.message.chat.type == ChatType.PRIVATE) & F.from_user
_answer_text = F.text & ~F.text.startswith("/")

# RequestTransfer's field limits: longer input cannot be valid, so it is refused here
_MAX_AMOUNT, _MAX_DESTINATION, _MAX_TAG = 64, 128, 32


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a callback query (stops the button's spinner); an expired query id is ignored.

    A retried update (after a rollback) answers the same query again, which Telegram refuses
    with "query is too old ... or query ID is invalid" (https://core.telegram.org/bots/api#answercallbackquery).
    """
    try:
        await query.answer(text)
    except TelegramBadRequest as exc:
        log.info("callback query %s not answered: %s", query.id, exc.message)


async def edit_quietly(bot: Bot, placeholder: Placeholder, text: str) -> None:
    """Replace a message's text and remove its buttons; failures that a retry cannot fix are
    logged (the reply then arrives as a new message)."""
    # without reply_markup, editMessageText removes the inline keyboard
    try:
        await bot.edit_message_text(
            text=text, chat_id=placeholder.chat_id, message_id=placeholder.message_id
        )
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message.lower():
            log.info("message %s not edited: %s", placeholder.message_id, exc.message)


async def _request_quote(
    message: Message,
    *,
    amount: str,
    destination: str,
    tag: str | None,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
    state: FSMContext,
    placeholder: Placeholder | None = None,
) -> None:
    """Leave the flow, show "Checking your payment…" and queue RequestTransfer."""
    await state.clear()
    too_long = (
        ErrorCode.INVALID_AMOUNT
        if len(amount) > _MAX_AMOUNT
        else ErrorCode.INVALID_ADDRESS
        if len(destination) > _MAX_DESTINATION
        else ErrorCode.INVALID_DESTINATION_TAG
        if tag is not None and len(tag) > _MAX_TAG
        else None
    )
    if too_long is not None:
        await message.answer(refusal_text(too_long) or texts.internal_error())
        return
    fiat: FiatAmount | None = None
    typed_fiat = fiat_amount(amount)
    if typed_fiat is not None:  # "/send 5 USD @bob": converted at the latest rate we know
        value, currency = typed_fiat
        rate = await uow.fiat.rate(currency)
        if rate is None:
            await message.answer(texts.fiat_rate_unknown(currency.upper()))
            return
        fiat = FiatAmount(
            currency=currency.upper(), amount=value, rate=rate.price, as_of=rate.as_of
        )
        amount = f"{format_decimal(xrp_for_fiat(value, rate.price))} XRP"
    if placeholder is None:
        sent = await message.answer(texts.preparing_quote())
        placeholder = Placeholder(message.chat.id, sent.message_id)
    command = RequestTransfer.new(
        user=actor,
        chat_id=placeholder.chat_id,
        correlation_id=correlation_id,
        event_id=command_event_id(correlation_id, RequestTransfer.ROUTING_KEY),
        amount=amount,
        destination=destination,
        destination_tag=tag,
        fiat=fiat,
    )
    await use_cases.request(command, placeholder=placeholder, uow=uow)


def xrp_for_fiat(value: Decimal, price: Decimal) -> Decimal:
    """XRP worth `value` of a fiat currency at `price` (fiat per XRP), rounded down to a drop.

    Rounding down never sends more than the user asked for.
    """
    return (value / price).quantize(Decimal("0.000001"), rounding=ROUND_DOWN)


async def on_send(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """/send [amount [destination [tag]]]: quote it, or ask for what is missing."""
    parts = parse_send_args(command.args)
    if parts.extra:
        await state.clear()
        await message.answer(texts.send_usage())
        return
    if parts.amount is None:
        await state.set_state(SendFlow.amount)
        await message.answer(texts.ask_amount())
        return
    if parts.destination is None:
        await _take_amount(message, parts.amount, state)
        return
    await _request_quote(
        message,
        amount=parts.amount,
        destination=parts.destination,
        tag=parts.tag,
        actor=actor,
        correlation_id=correlation_id,
        uow=uow,
        state=state,
    )


async def _take_amount(message: Message, amount: str, state: FSMContext) -> None:
    problem = amount_problem(amount) if len(amount) <= _MAX_AMOUNT else ErrorCode.INVALID_AMOUNT
    if problem is not None:
        await state.set_state(SendFlow.amount)
        await message.answer(f"{refusal_text(problem)}\n\n{texts.ask_amount()}")
        return
    await state.set_data({"amount": amount})
    await state.set_state(SendFlow.destination)
    await message.answer(texts.ask_destination(amount))


async def on_amount(message: Message, state: FSMContext) -> None:
    """Flow step 1: the amount (re-asked at once when it cannot be one)."""
    await _take_amount(message, (message.text or "").strip(), state)


async def on_destination(
    message: Message, state: FSMContext, actor: Actor, correlation_id: UUID, uow: UnitOfWork
) -> None:
    """Flow step 2: the destination; a classic address gets the tag question."""
    destination = (message.text or "").strip()
    data = await state.get_data()
    amount = str(data.get("amount", ""))
    if " " in destination or not amount:
        await message.answer(f"{texts.invalid_address()}\n\n{texts.ask_destination(amount)}")
        return
    if asks_for_tag(destination):
        await state.update_data(destination=destination)
        await state.set_state(SendFlow.tag)
        await message.answer(texts.ask_tag(), reply_markup=no_tag_keyboard())
        return
    await _request_quote(
        message,
        amount=amount,
        destination=destination,
        tag=None,
        actor=actor,
        correlation_id=correlation_id,
        uow=uow,
        state=state,
    )


async def on_tag(
    message: Message, state: FSMContext, actor: Actor, correlation_id: UUID, uow: UnitOfWork
) -> None:
    """Flow step 3: the destination tag (a whole number)."""
    tag = (message.text or "").strip()
    if tag_problem(tag) is not None:
        await message.answer(
            f"{texts.invalid_destination_tag()}\n\n{texts.ask_tag()}",
            reply_markup=no_tag_keyboard(),
        )
        return
    data = await state.get_data()
    await _request_quote(
        message,
        amount=str(data.get("amount", "")),
        destination=str(data.get("destination", "")),
        tag=tag,
        actor=actor,
        correlation_id=correlation_id,
        uow=uow,
        state=state,
    )


async def on_no_tag(
    query: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """'No tag' under the tag question: quote without a tag, in the question's message."""
    if await state.get_state() != SendFlow.tag.state or not isinstance(query.message, Message):
        await answer_quietly(query, texts.flow_question_closed())
        return
    await answer_quietly(query)
    data = await state.get_data()
    placeholder = Placeholder(query.message.chat.id, query.message.message_id)
    await edit_quietly(bot, placeholder, texts.preparing_quote())
    await _request_quote(
        query.message,
        amount=str(data.get("amount", "")),
        destination=str(data.get("destination", "")),
        tag=None,
        actor=actor,
        correlation_id=correlation_id,
        uow=uow,
        state=state,
        placeholder=placeholder,
    )


async def on_send_button(query: CallbackQuery, state: FSMContext, bot: Bot) -> None:
    """The Send button: start the flow with the amount question."""
    await answer_quietly(query)
    if query.message is None:
        return
    await state.set_data({})
    await state.set_state(SendFlow.amount)
    await bot.send_message(query.message.chat.id, texts.ask_amount())


async def on_cancel(message: Message, state: FSMContext) -> None:
    """/cancel: leave the /send flow."""
    if await state.get_state() is None:
        await message.answer(texts.nothing_to_cancel())
        return
    await state.clear()
    await message.answer(texts.flow_cancelled())


async def on_quote_button(
    query: CallbackQuery,
    callback_data: QuoteButton,
    bot: Bot,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
    after_commit: list[Callable[[], Awaitable[None]]],
) -> None:
    """Confirm or Cancel under a quote: ConfirmTransfer / CancelTransfer.

    The transfer service decides (it refuses a second confirm, an expired or cancelled quote,
    someone else's); the gateway only decides which message the answer edits. The command
    commits at once; the "Sending…" edit follows after the commit, so Telegram's per-chat pace
    (1 message/s) never delays a payment.
    """
    await answer_quietly(query)
    confirm = callback_data.action is QuoteAction.CONFIRM
    command_type = ConfirmTransfer if confirm else CancelTransfer
    # the quote lives in its owner's private chat (chat id == user id)
    chat_id = query.from_user.id
    command = command_type.new(
        user=actor,
        chat_id=chat_id,
        correlation_id=correlation_id,
        event_id=command_event_id(correlation_id, command_type.ROUTING_KEY),
        transfer_id=callback_data.transfer_id,
    )
    message = query.message
    if (
        message is not None
        and message.chat.id == chat_id
        and await uow.press_quote(callback_data.transfer_id, correlation_id)
    ):
        placeholder = Placeholder(message.chat.id, message.message_id)
        interim = texts.sending() if confirm else texts.cancelling()
        after_commit.append(lambda: edit_quietly(bot, placeholder, interim))
        await uow.expect_reply(correlation_id, placeholder)
    await uow.send_command(command)


async def on_outside_private_chat(message: Message) -> None:
    """/send or /cancel in a group: point to a private chat."""
    await message.answer(texts.private_chat_only())


def build_router() -> Router:
    """/send, its flow steps, /cancel, the Send / No tag / Confirm / Cancel buttons."""
    router = Router(name="send")
    router.message.register(on_send, Command("send"), _private)
    router.message.register(on_cancel, Command("cancel"), _private)
    router.message.register(on_outside_private_chat, Command("send", "cancel"))
    router.message.register(on_amount, StateFilter(SendFlow.amount), _private, _answer_text)
    router.message.register(
        on_destination, StateFilter(SendFlow.destination), _private, _answer_text
    )
    router.message.register(on_tag, StateFilter(SendFlow.tag), _private, _answer_text)
    router.callback_query.register(on_send_button, F.data == SEND_START, _private_query)
    router.callback_query.register(on_no_tag, F.data == NO_TAG, _private_query)
    router.callback_query.register(on_quote_button, QuoteButton.filter(), F.from_user)
    return router
