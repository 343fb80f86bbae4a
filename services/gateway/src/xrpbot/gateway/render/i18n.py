"""The bot's languages: gettext catalogs (Babel) behind aiogram's `I18n`, and the current
language of the words being rendered.

- **Catalogs.** ``locales/<language>/LC_MESSAGES/messages.po``; English is the source language
  (the msgids are the English texts, so ``en`` needs no translations). The .po files are the
  only source: `CatalogI18n` compiles them in memory when the gateway starts (Babel's
  ``read_po`` + ``write_mo``, a few milliseconds), so there is no .mo file to build, commit or
  forget, and a read-only image (non-root, Kubernetes) needs no writable directory.
  ``make i18n`` extracts the messages from the code (``babel.cfg``) and updates the catalogs;
  the unit test ``test_catalogs.py`` fails when a catalog lacks a message or is out of date.
- **Who gets which.** `domain.preferences.pick_locale`: the language chosen in /settings, else the user's Telegram
  ``language_code`` when it is one of ours, else English. Updates get it from
  `middlewares.i18n.UserLocaleMiddleware`; the replies consumer and background work enter
  `locale_context` with the locale of the user they write to.
- **In the code.** `render.texts` marks every message with `gettext` (imported as ``_``) or
  `ngettext`. They translate with the `I18n` of the current context and return the English
  msgid outside any (unit tests, tools), so a text function is always safe to call.
"""

from __future__ import annotations

import gettext as _gettext
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from aiogram.utils.i18n import I18n
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ..domain.preferences import DEFAULT_LOCALE

__all__ = [
    "DOMAIN",
    "LOCALES_DIR",
    "CatalogI18n",
    "current_locale",
    "gettext",
    "locale_context",
    "ngettext",
    "use_locale",
]

log = logging.getLogger(__name__)

LOCALES_DIR: Final = Path(__file__).resolve().parent / "locales"
"""Where the catalogs are: ``<language>/LC_MESSAGES/messages.po``."""
DOMAIN: Final = "messages"
"""The gettext domain (the catalogs' file name)."""


class CatalogI18n(I18n):
    """aiogram's `I18n`, loading every ``<language>/LC_MESSAGES/<domain>.po`` under `path`,
    compiled in memory (aiogram's own loader wants compiled .mo files next to them).

    Messages that are untranslated or marked fuzzy are left out, so they fall back to English
    (the catalog test keeps the shipped catalogs complete).
    """

    def __init__(
        self,
        *,
        path: str | Path = LOCALES_DIR,
        default_locale: str = DEFAULT_LOCALE,
        domain: str = DOMAIN,
    ) -> None:
        super().__init__(path=path, default_locale=default_locale, domain=domain)

    def find_locales(self) -> dict[str, _gettext.GNUTranslations]:
        """Compile each language's .po into a `GNUTranslations`."""
        translations: dict[str, _gettext.GNUTranslations] = {}
        for po_path in sorted(self.path.glob(f"*/LC_MESSAGES/{self.domain}.po")):
            language = po_path.parent.parent.name
            with po_path.open("rb") as po:
                catalog = read_po(po, locale=language, domain=self.domain)
            compiled = io.BytesIO()
            write_mo(compiled, catalog, use_fuzzy=False)
            compiled.seek(0)
            translations[language] = _gettext.GNUTranslations(compiled)
        log.debug("catalogs loaded: %s", ", ".join(translations) or "none")
        return translations


# aiogram keeps "the current I18n" in a ContextVar per class (`ContextInstanceMixin`), so a
# subclass would get a variable of its own that `I18n.get_current()` (aiogram's gettext, and
# ours below) never reads: share I18n's
setattr(  # noqa: B010  the attribute is name-mangled in aiogram's mixin
    CatalogI18n,
    "_ContextInstanceMixin__context_instance",
    vars(I18n)["_ContextInstanceMixin__context_instance"],
)


def _current() -> I18n | None:
    return I18n.get_current(no_error=True)


def gettext(message: str) -> str:
    """`message` (an English msgid) in the current context's language."""
    i18n = _current()
    return message if i18n is None else i18n.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular` / `plural` for the count `n`, in the current context's language
    (Russian has three forms; the catalog's Plural-Forms picks one)."""
    i18n = _current()
    if i18n is None:
        return singular if n == 1 else plural
    return i18n.gettext(singular, plural, n)


def current_locale() -> str:
    """The current context's language (`DEFAULT_LOCALE` outside any)."""
    i18n = _current()
    return DEFAULT_LOCALE if i18n is None else i18n.current_locale


@contextmanager
def locale_context(i18n: I18n | None, locale: str) -> Iterator[None]:
    """Run the block with `i18n` as the current I18n, in `locale` (English when `i18n` is None).

    For work outside an aiogram update: the replies consumer, alerts, the command list.
    """
    if i18n is None:
        yield
        return
    with i18n.context(), i18n.use_locale(locale):
        yield


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Switch the current context to `locale` for the block (after a /settings change)."""
    i18n = _current()
    if i18n is None:
        yield
        return
    with i18n.use_locale(locale):
        yield
