"""/menu (and /start, see `start`): inline buttons that do what the commands do (issue 5).

Balance, Send, Receive, History, Prices, Settings, Help. A press answers the button at once,
then runs the command's own handler in the menu's chat, so the answer comes as a new message
below the menu (which stays usable). Private chats only (groups: `middlewares.groups`).
"""

from __future__ import annotations

from uuid import UUID

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from xrpbot.schemas import Actor, GetBalance

from .. import texts
from ..keyboards import MenuAction, MenuButton, menu_keyboard
from ..ports import UnitOfWork
from . import history, prices, receive, send, settings, wallet

__all__ = ["build_router", "on_menu", "on_menu_button"]

_private = (F.chat.type == ChatType.PRIVATE) & F.from_user
_private_query = (F.message.chat.type == ChatType.PRIVATE) & F.from_user


async def on_menu(message: Message) -> None:
    """/menu: the menu."""
    await message.answer(texts.menu(), reply_markup=menu_keyboard())


async def on_menu_button(
    query: CallbackQuery,
    callback_data: MenuButton,
    bot: Bot,
    state: FSMContext,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """A menu button: the command of the same name."""
    message = query.message
    if not isinstance(message, Message):  # older than 48 hours: it cannot be answered in place
        await send.answer_quietly(query, texts.menu_expired())
        return
    action = callback_data.action
    if action is MenuAction.SEND:  # answers the query itself
        await send.on_send_button(query, state, bot)
        return
    await send.answer_quietly(query)
    match action:
        case MenuAction.BALANCE:
            await wallet.request_with_placeholder(
                message,
                texts.checking_balance(),
                GetBalance,
                actor=actor,
                correlation_id=correlation_id,
                uow=uow,
            )
        case MenuAction.RECEIVE:
            await receive.request_receive(
                message, None, actor=actor, correlation_id=correlation_id, uow=uow
            )
        case MenuAction.HISTORY:
            await history.on_history(message, actor, correlation_id, uow)
        case MenuAction.PRICES:
            await prices.on_prices(
                message,
                CommandObject(prefix="/", command="prices"),
                actor,
                correlation_id,
                uow,
            )
        case MenuAction.SETTINGS:
            text, keyboard = settings.settings_screen(
                await uow.settings.get(actor.telegram_id), actor
            )
            await message.answer(text, reply_markup=keyboard)
        case MenuAction.HELP:
            await message.answer(texts.help_text())


def build_router() -> Router:
    """/menu and the menu's buttons, in private chats."""
    router = Router(name="menu")
    router.message.register(on_menu, Command("menu"), _private)
    router.callback_query.register(on_menu_button, MenuButton.filter(), _private_query)
    return router
