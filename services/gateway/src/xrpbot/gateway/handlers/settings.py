"""/settings: language, fiat currency, payment notifications (the user's preferences, stored in
`user_settings`). Private chats only.

/settings shows the current values with three buttons; Language and Currency open a choice
in the same message, Notifications toggles at once. Each press edits the message and answers
the button with "Saved." when something changed. A new language takes effect at once:
the toast and the screen after the press are already in it, as is everything after
(`middlewares.i18n`, `use_cases.replies.deliver_reply`).
"""

from __future__ import annotations

import contextlib
import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from ..adapters.messenger import TelegramChat, answer_quietly
from ..filters import PRIVATE, PRIVATE_QUERY
from ..ports import UnitOfWork
from ..render.i18n import use_locale
from ..render.keyboards import SettingsButton
from ..render.message import Rendered
from ..render.settings import currency_choice, language_choice, preferences_screen
from ..render.texts import settings as texts
from ..use_cases.ask import Origin
from ..use_cases.preferences import change_preference, preferences

__all__ = ["build_router", "on_settings", "on_settings_button"]

log = logging.getLogger(__name__)


async def on_settings(
    message: Message, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """/settings: the current preferences and their buttons."""
    current = await preferences(origin.actor.telegram_id, uow=uow)
    await chat.say(preferences_screen(current, origin.actor.language_code))


async def _show(query: CallbackQuery, screen: Rendered) -> None:
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_text(screen.text, reply_markup=screen.keyboard)
    except TelegramBadRequest as exc:  # a double tap: "message is not modified"
        if "not modified" not in exc.message.lower():
            log.info("settings message not edited: %s", exc.message)


async def on_settings_button(
    query: CallbackQuery, callback_data: SettingsButton, origin: Origin, uow: UnitOfWork
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
        await _show(query, choice)
        return
    saved = await change_preference(telegram_id, what, value, uow=uow)
    # after a new language, the answer to the press is already in it
    with use_locale(value) if saved and what == "lang" else contextlib.nullcontext():
        await answer_quietly(query, texts.settings_saved() if saved else None)
        current = await preferences(telegram_id, uow=uow)
        await _show(query, preferences_screen(current, language_code))


def build_router() -> Router:
    """/settings and its buttons, in private chats."""
    router = Router(name="settings")
    router.message.register(on_settings, Command("settings"), PRIVATE)
    router.callback_query.register(on_settings_button, SettingsButton.filter(), PRIVATE_QUERY)
    return router
