"""/send: one command with every part, or a step-by-step flow (`states.SendFlow`); the quote's
Confirm and Cancel. Private chats only: amounts and addresses never show in a group.

Each handler hands its update to one use case of `use_cases.send`; the flow's state lives in
aiogram's FSM, stored through the update's unit of work (`adapters.fsm`).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from ..adapters.messenger import TelegramChat, answer_quietly
from ..domain.delivery import Placeholder
from ..filters import PRIVATE, PRIVATE_QUERY
from ..ports import UnitOfWork
from ..render.keyboards import NO_TAG, SEND_START, QuoteAction, QuoteButton
from ..render.texts import send as texts
from ..states import SendFlow
from ..use_cases import send
from ..use_cases.ask import Origin

__all__ = [
    "build_router",
    "on_amount",
    "on_cancel",
    "on_destination",
    "on_no_tag",
    "on_quote_button",
    "on_send",
    "on_send_button",
    "on_tag",
]

_answer_text = F.text & ~F.text.startswith("/")


async def on_send(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    origin: Origin,
    chat: TelegramChat,
    uow: UnitOfWork,
) -> None:
    """/send [amount [destination [tag]]]: quote it, or ask for what is missing."""
    await send.send_command(origin, command.args, flow=state, chat=chat, uow=uow)


async def on_amount(message: Message, state: FSMContext, chat: TelegramChat) -> None:
    """Flow step 1: the amount."""
    await send.take_amount((message.text or "").strip(), flow=state, chat=chat)


async def on_destination(
    message: Message, state: FSMContext, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """Flow step 2: the destination."""
    destination = (message.text or "").strip()
    await send.take_destination(origin, destination, flow=state, chat=chat, uow=uow)


async def on_tag(
    message: Message, state: FSMContext, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """Flow step 3: the destination tag."""
    await send.take_tag(origin, (message.text or "").strip(), flow=state, chat=chat, uow=uow)


async def on_no_tag(
    query: CallbackQuery, state: FSMContext, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """'No tag' under the tag question: quote without a tag, in the question's message."""
    if await state.get_state() != SendFlow.tag.state or not isinstance(query.message, Message):
        await answer_quietly(query, texts.flow_question_closed())
        return
    await answer_quietly(query)
    question = Placeholder(query.message.chat.id, query.message.message_id)
    await send.take_no_tag(origin, question, flow=state, chat=chat, uow=uow)


async def on_send_button(query: CallbackQuery, state: FSMContext, chat: TelegramChat) -> None:
    """The Send button: start the flow with the amount question."""
    await answer_quietly(query)
    if query.message is None:
        return
    await send.start_flow(flow=state, chat=chat)


async def on_cancel(message: Message, state: FSMContext, chat: TelegramChat) -> None:
    """/cancel: leave the /send flow."""
    await send.cancel_flow(flow=state, chat=chat)


async def on_quote_button(
    query: CallbackQuery,
    callback_data: QuoteButton,
    origin: Origin,
    chat: TelegramChat,
    uow: UnitOfWork,
) -> None:
    """Confirm or Cancel under a quote: ConfirmTransfer / CancelTransfer."""
    await answer_quietly(query)
    message = query.message
    # the quote lives in its owner's private chat (chat id == user id)
    own = message is not None and message.chat.id == query.from_user.id
    await send.press_quote(
        origin.in_private_chat(),
        confirm=callback_data.action is QuoteAction.CONFIRM,
        transfer_id=callback_data.transfer_id,
        quote=Placeholder(message.chat.id, message.message_id)
        if own and message is not None
        else None,
        chat=chat,
        uow=uow,
    )


def build_router() -> Router:
    """/send, its flow steps, /cancel, the Send / No tag / Confirm / Cancel buttons."""
    router = Router(name="send")
    router.message.register(on_send, Command("send"), PRIVATE)
    router.message.register(on_cancel, Command("cancel"), PRIVATE)
    router.message.register(on_amount, StateFilter(SendFlow.amount), PRIVATE, _answer_text)
    router.message.register(
        on_destination, StateFilter(SendFlow.destination), PRIVATE, _answer_text
    )
    router.message.register(on_tag, StateFilter(SendFlow.tag), PRIVATE, _answer_text)
    router.callback_query.register(on_send_button, F.data == SEND_START, PRIVATE_QUERY)
    router.callback_query.register(on_no_tag, F.data == NO_TAG, PRIVATE_QUERY)
    router.callback_query.register(on_quote_button, QuoteButton.filter(), F.from_user)
    return router
