"""Outer update middleware: every update is handled in its user's language.

The language is the one chosen in /settings (`user_settings.language`, read through the
update's unit of work), else the user's Telegram ``language_code`` when the bot speaks it, else
English (`domain.preferences.pick_locale`). Runs right after `UpdateTransactionMiddleware` (it needs `uow`) and before
the groups middleware, whose pointers are texts too (the throttle, which runs before the
update's transaction, picks its notice's language the same way). Handlers may take `i18n`
(the `I18n`) by keyword.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18nMiddleware

from ..domain.preferences import pick_locale
from ..ports import UnitOfWork

__all__ = ["UserLocaleMiddleware"]


class UserLocaleMiddleware(I18nMiddleware):
    """aiogram's `I18nMiddleware` with the locale from the stored choice or Telegram's."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        """The update's language: stored choice, else Telegram's language_code, else English."""
        user: User | None = data.get("event_from_user")
        if user is None:  # channel posts and the like: nobody to ask
            return self.i18n.default_locale
        uow: UnitOfWork | None = data.get("uow")
        chosen = (await uow.preferences.get(user.id)).language if uow is not None else None
        return pick_locale(chosen, user.language_code)
