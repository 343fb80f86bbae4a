"""/menu (and /start, see `start`): inline buttons that do what the commands do.

Balance, Send, Receive, History, Prices, Settings, Help, and Support (a URL button, when a
support contact is configured: Telegram opens it, the bot gets no update). A press answers the button at once,
then runs the command's use case in the menu's chat, so the answer comes as a new message
below the menu (which stays usable). Private chats only (groups: `middlewares.groups`).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from xrpbot.schemas import PricePeriod

from ..adapters.messenger import TelegramChat, answer_quietly
from ..domain.support import SupportContact
from ..filters import PRIVATE, PRIVATE_QUERY
from ..ports import UnitOfWork
from ..render.keyboards import MenuAction, MenuButton, menu_keyboard
from ..render.message import Rendered
from ..render.texts import common
from ..use_cases import send, wallet
from ..use_cases.ask import Origin
from ..use_cases.history import show_history
from ..use_cases.preferences import open_settings
from ..use_cases.prices import show_prices
from .support import help_line

__all__ = ["build_router", "on_menu", "on_menu_button"]


async def on_menu(
    message: Message, chat: TelegramChat, support: SupportContact | None = None
) -> None:
    """/menu: the menu."""
    url = support.url if support is not None else None
    await chat.say(Rendered(common.menu(), menu_keyboard(url)))


async def on_menu_button(
    query: CallbackQuery,
    callback_data: MenuButton,
    state: FSMContext,
    origin: Origin,
    chat: TelegramChat,
    uow: UnitOfWork,
    support: SupportContact | None = None,
) -> None:
    """A menu button: the command of the same name."""
    if not isinstance(query.message, Message):  # older than 48 hours: not answered in place
        await answer_quietly(query, common.menu_expired())
        return
    await answer_quietly(query)
    match callback_data.action:
        case MenuAction.BALANCE:
            await wallet.show_balance(origin, chat=chat, uow=uow)
        case MenuAction.SEND:
            await send.start_flow(flow=state, chat=chat)
        case MenuAction.RECEIVE:
            await wallet.show_receive(origin, None, chat=chat, uow=uow)
        case MenuAction.HISTORY:
            await show_history(origin, answer=chat, uow=uow)
        case MenuAction.PRICES:
            await show_prices(origin, currency=None, period=PricePeriod.DAY, answer=chat, uow=uow)
        case MenuAction.SETTINGS:
            await open_settings(origin, answer=chat, uow=uow)
        case MenuAction.HELP:
            await chat.say(Rendered(common.help_text(help_line(support))))


def build_router() -> Router:
    """/menu and the menu's buttons, in private chats."""
    router = Router(name="menu")
    router.message.register(on_menu, Command("menu"), PRIVATE)
    router.callback_query.register(on_menu_button, MenuButton.filter(), PRIVATE_QUERY)
    return router
