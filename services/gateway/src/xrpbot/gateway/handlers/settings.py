"""/settings: language, fiat currency, payment notifications (issue 5), stored in
`user_settings`. Private chats only.

/settings shows the current values with three buttons; Language and Currency open a choice
in the same message, Notifications toggles at once. Each press edits the message and answers
the button with "Saved." when something changed. A new language takes effect at once:
the toast and the screen after the press are already in it, as is everything after
(`middlewares.i18n`, `use_cases.deliver_reply`).
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from xrpbot.schemas import FIAT_CURRENCIES, Actor

from .. import texts
from ..i18n import pick_locale, use_locale
from ..keyboards import (
    SettingsButton,
    settings_currency_keyboard,
    settings_keyboard,
    settings_language_keyboard,
)
from ..market import KEYBOARD_CURRENCIES
from ..ports import UnitOfWork, UserSettings
from .send import answer_quietly

__all__ = ["build_router", "on_settings", "on_settings_button", "settings_screen"]

log = logging.getLogger(__name__)

_private = (F.chat.type == ChatType.PRIVATE) & F.from_user
_private_query = (F.message.chat.type == ChatType.PRIVATE) & F.from_user


def _language(current: UserSettings, actor: Actor) -> str:
    """The language in effect: the chosen one, else Telegram's if offered, else English."""
    return pick_locale(current.language, actor.language_code)


def _language_name(current: UserSettings, actor: Actor) -> str:
    return texts.LANGUAGE_NAMES[_language(current, actor)]


def settings_screen(current: UserSettings, actor: Actor) -> tuple[str, InlineKeyboardMarkup]:
    """The settings message: its text and buttons for `current`."""
    language = _language_name(current, actor)
    currency = current.fiat_currency.upper()
    text = texts.settings(
        language=language, currency=currency, notifications=current.notifications
    )
    keyboard = settings_keyboard(
        language=language, currency=currency, notifications=current.notifications
    )
    return text, keyboard


async def on_settings(message: Message, actor: Actor, uow: UnitOfWork) -> None:
    """/settings: the current settings and their buttons."""
    text, keyboard = settings_screen(await uow.settings.get(actor.telegram_id), actor)
    await message.answer(text, reply_markup=keyboard)


async def _show(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup) -> None:
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_text(text, reply_markup=keyboard)
    except TelegramBadRequest as exc:  # a double tap: "message is not modified"
        if "not modified" not in exc.message.lower():
            log.info("settings message not edited: %s", exc.message)


async def on_settings_button(
    query: CallbackQuery, callback_data: SettingsButton, actor: Actor, uow: UnitOfWork
) -> None:
    """A button under /settings: open a choice, store a value, or go back."""
    telegram_id = actor.telegram_id
    what, value = callback_data.what, callback_data.value
    saved = False
    if what == "lang" and not value:
        current = await uow.settings.get(telegram_id)
        await answer_quietly(query)
        await _show(
            query,
            texts.settings_choose_language(),
            settings_language_keyboard(_language(current, actor)),
        )
        return
    if what == "fiat" and not value:
        current = await uow.settings.get(telegram_id)
        await answer_quietly(query)
        await _show(
            query,
            texts.settings_choose_currency(),
            settings_currency_keyboard(list(KEYBOARD_CURRENCIES), current.fiat_currency),
        )
        return
    if what == "lang" and value in texts.LANGUAGE_NAMES:
        await uow.settings.set_language(telegram_id, value)
        with use_locale(value):  # the answer to the press is already in the new language
            await answer_quietly(query, texts.settings_saved())
            text, keyboard = settings_screen(await uow.settings.get(telegram_id), actor)
            await _show(query, text, keyboard)
        return
    if what == "fiat" and value in FIAT_CURRENCIES:
        await uow.fiat.set_currency(telegram_id, value)
        saved = True
    elif what == "notif" and value in {"0", "1"}:
        await uow.settings.set_notifications(telegram_id, value == "1")
        saved = True
    await answer_quietly(query, texts.settings_saved() if saved else None)
    text, keyboard = settings_screen(await uow.settings.get(telegram_id), actor)
    await _show(query, text, keyboard)


def build_router() -> Router:
    """/settings and its buttons, in private chats."""
    router = Router(name="settings")
    router.message.register(on_settings, Command("settings"), _private)
    router.callback_query.register(on_settings_button, SettingsButton.filter(), _private_query)
    return router
