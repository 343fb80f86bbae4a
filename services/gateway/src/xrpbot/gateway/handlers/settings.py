"""/settings: language, fiat currency, payment notifications (the user's preferences, stored in
`user_settings`) and the daily sending limit (kept by wallet). Private chats only.

/settings answers "Opening your settings…" and asks wallet for the daily limit; its reply is
the screen: the current values with four buttons. Language, Currency and Daily limit open a
choice in the same message, Notifications toggles at once. A press that changes a preference
answers the button with "Saved." and asks for the screen again, which replaces the message; a
limit button asks wallet to store the new limit, whose reply is the screen with it. A new
language takes effect at once: the toast and the screen after the press are already in it, as
is everything after (`middlewares.i18n`, `use_cases.replies.deliver_reply`).
"""

from __future__ import annotations

import contextlib
import logging

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from ..adapters.messenger import TelegramChat, answer_quietly
from ..domain.delivery import Placeholder
from ..filters import PRIVATE, PRIVATE_QUERY
from ..ports import UnitOfWork
from ..render.i18n import use_locale
from ..render.keyboards import SettingsButton
from ..render.message import Rendered
from ..render.settings import currency_choice, language_choice
from ..render.texts import settings as texts
from ..use_cases.ask import Origin
from ..use_cases.preferences import (
    change_daily_limit,
    change_preference,
    choose_daily_limit,
    open_settings,
    preferences,
)

__all__ = ["build_router", "on_settings", "on_settings_button"]

log = logging.getLogger(__name__)


async def on_settings(
    message: Message, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """/settings: the current preferences and daily limit, and their buttons."""
    await open_settings(origin, answer=chat, uow=uow)


async def _show(query: CallbackQuery, screen: Rendered, chat: TelegramChat) -> None:
    placeholder = _under(query)
    if placeholder is not None:  # queued: a double tap only writes the same screen again
        await chat.show(placeholder, screen)


def _under(query: CallbackQuery) -> Placeholder | None:
    """The message the button is under, for the reply to replace (None: too old to edit)."""
    if not isinstance(query.message, Message):
        return None
    return Placeholder(query.message.chat.id, query.message.message_id)


async def on_settings_button(
    query: CallbackQuery,
    callback_data: SettingsButton,
    origin: Origin,
    chat: TelegramChat,
    uow: UnitOfWork,
) -> None:
    """A button under /settings: open a choice, store a value, or go back."""
    telegram_id, language_code = origin.actor.telegram_id, origin.actor.language_code
    what, value = callback_data.what, callback_data.value
    if what in {"lang", "fiat"} and not value:
        current = await preferences(telegram_id, uow=uow)
        await answer_quietly(query)
        choice = (
            language_choice(current, language_code) if what == "lang" else currency_choice(current)
        )
        await _show(query, choice, chat)
        return
    if what == "limit":  # wallet's reply replaces the message: the choice, or the new screen
        await answer_quietly(query)
        if not value:
            await choose_daily_limit(origin, answer=_under(query), uow=uow)
        else:  # a value that is none of the choices asks nothing
            await change_daily_limit(origin, value, answer=_under(query), uow=uow)
        return
    saved = await change_preference(telegram_id, what, value, uow=uow)
    # after a new language, the answer to the press is already in it
    with use_locale(value) if saved and what == "lang" else contextlib.nullcontext():
        await answer_quietly(query, texts.settings_saved() if saved else None)
    await open_settings(origin, answer=_under(query), uow=uow)


def build_router() -> Router:
    """/settings and its buttons, in private chats."""
    router = Router(name="settings")
    router.message.register(on_settings, Command("settings"), PRIVATE)
    router.callback_query.register(on_settings_button, SettingsButton.filter(), PRIVATE_QUERY)
    return router
