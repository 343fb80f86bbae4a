"""The catalogs are complete: every message the code marks is in the template and in
every language's catalog, translated (Spanish, Russian), with the same placeholders, HTML tags
and emoji as the English text, and nothing the code no longer says. `make i18n` brings the
catalogs up to date; a translator then fills what this test lists."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from xrpbot.gateway.domain.preferences import DEFAULT_LOCALE, LOCALES, pick_locale
from xrpbot.gateway.render.i18n import LOCALES_DIR, CatalogI18n
from xrpbot.gateway.render.texts import settings as settings_texts

GATEWAY = LOCALES_DIR.parents[4]
"""services/gateway: where babel.cfg is and `make i18n` extracts from."""
TRANSLATED = [code for code in LOCALES if code != DEFAULT_LOCALE]
MessageId = str | tuple[str, ...]
_HTML_TAG = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^<>]*)?>")
_EMOJI_PARTS = {"\ufe0f", "\u200d"}  # variation selector and zero-width joiner


def _extracted() -> dict[MessageId, list[str]]:
    """The messages the gateway's code marks, as `make i18n` extracts them, and where."""
    with (GATEWAY / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[MessageId, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(GATEWAY), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        key = message if isinstance(message, str) else tuple(message)
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def _catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=locale)


def _messages(catalog: Catalog) -> dict[MessageId, Message]:
    return {m.id: m for m in catalog if m.id}


def _po(locale: str) -> Path:
    return LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po"


def _forms(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _fields(texts_: Iterable[str]) -> set[str]:
    return {name for text in texts_ for _, name, _, _ in string.Formatter().parse(text) if name}


def _tags(text: str) -> list[str]:
    return sorted(_HTML_TAG.findall(text))


def _emoji(text: str) -> list[str]:
    return sorted(c for c in text if unicodedata.category(c) == "So" and c not in _EMOJI_PARTS)


def _short(message_id: MessageId) -> str:
    first = message_id if isinstance(message_id, str) else message_id[0]
    return repr(first[:70])


@pytest.fixture(scope="module")
def extracted() -> dict[MessageId, list[str]]:
    return _extracted()


def test_the_code_marks_its_messages(extracted: dict[MessageId, list[str]]) -> None:
    # a guard for the extraction itself: an empty or tiny set would make every check vacuous
    assert len(extracted) > 100
    assert "Saved." in extracted
    assert ("{n} day ago", "{n} days ago") in extracted


@pytest.mark.parametrize("locale", [None, *LOCALES], ids=["template", *LOCALES])
def test_every_catalog_holds_exactly_the_messages_of_the_code(
    extracted: dict[MessageId, list[str]], locale: str | None
) -> None:
    path = LOCALES_DIR / "messages.pot" if locale is None else _po(locale)
    assert path.exists(), f"{path} is missing: run `make i18n`"
    catalog = _messages(_catalog(path, locale))
    missing = [f"{_short(m)} ({', '.join(extracted[m])})" for m in extracted if m not in catalog]
    stale = [_short(m) for m in catalog if m not in extracted]
    assert not missing, f"{path.name} ({locale}) lacks, run `make i18n`:\n" + "\n".join(missing)
    assert not stale, f"{path.name} ({locale}) has stale messages, run `make i18n`:\n" + "\n".join(
        stale
    )


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_message_is_translated(locale: str) -> None:
    catalog = _catalog(_po(locale), locale)
    untranslated = [
        _short(m.id)
        for m in catalog
        if m.id
        and (
            m.fuzzy
            or len(_forms(m)) != (catalog.num_plurals if m.pluralizable else 1)
            or not all(form.strip() for form in _forms(m))
        )
    ]
    assert not untranslated, f"{locale}: untranslated or fuzzy:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_translations_keep_placeholders_tags_and_emoji(locale: str) -> None:
    problems: list[str] = []
    for message in _messages(_catalog(_po(locale), locale)).values():
        source = _ids(message)
        for form in _forms(message):
            if _fields([form]) != _fields(source):
                problems.append(f"{_short(message.id)}: placeholders {_fields([form])}")
            if _tags(form) != _tags(source[-1]):
                problems.append(f"{_short(message.id)}: tags {_tags(form)}")
            if _emoji(form) != _emoji(source[-1]):
                problems.append(f"{_short(message.id)}: emoji {_emoji(form)}")
            try:  # the way texts fills them: str.format with every placeholder
                form.format(**dict.fromkeys(_fields(source), "x"))
            except (ValueError, IndexError, KeyError) as exc:
                problems.append(f"{_short(message.id)}: {exc!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


def test_english_is_the_source_language() -> None:
    # the msgids are the English texts: an English msgstr would silently diverge from the code
    overridden = [_short(m.id) for m in _catalog(_po("en"), "en") if m.id and any(_forms(m))]
    assert not overridden


def test_the_catalogs_load_and_offer_the_settings_languages() -> None:
    i18n = CatalogI18n()
    assert set(i18n.available_locales) == set(LOCALES) == set(settings_texts.LANGUAGE_NAMES)
    assert i18n.gettext("Saved.", locale="es") == "Guardado."
    assert i18n.gettext("Saved.", locale="ru") == "Сохранено."
    assert i18n.gettext("Saved.", locale="en") == "Saved."
    days = ("{n} day ago", "{n} days ago")
    assert [i18n.gettext(*days, n=n, locale="ru") for n in (1, 3, 5, 21)] == [
        "{n} день назад",
        "{n} дня назад",
        "{n} дней назад",
        "{n} день назад",
    ]


def test_a_fuzzy_or_missing_translation_falls_back_to_english(tmp_path: Path) -> None:
    catalog = Catalog(locale="es")
    catalog.add("Saved.", "Guardado.", flags=["fuzzy"])
    catalog.add("Back", "")
    (tmp_path / "es" / "LC_MESSAGES").mkdir(parents=True)
    from babel.messages.pofile import write_po

    with (tmp_path / "es" / "LC_MESSAGES" / "messages.po").open("wb") as po:
        write_po(po, catalog)
    i18n = CatalogI18n(path=tmp_path)
    assert i18n.gettext("Saved.", locale="es") == "Saved."
    assert i18n.gettext("Back", locale="es") == "Back"


@pytest.mark.parametrize(
    ("chosen", "language_code", "expected"),
    [
        (None, "es", "es"),
        (None, "ru-RU", "ru"),
        (None, "es_MX", "es"),
        (None, "pt-br", "en"),
        (None, None, "en"),
        (None, "", "en"),
        ("es", "ru", "es"),
        ("en", "ru", "en"),
        ("de", "ru", "ru"),  # not one of ours (an old row): Telegram's then
    ],
)
def test_the_chosen_language_wins_then_telegrams_then_english(
    chosen: str | None, language_code: str | None, expected: str
) -> None:
    assert pick_locale(chosen, language_code) == expected
