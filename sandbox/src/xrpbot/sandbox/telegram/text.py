"""What every parse mode shares: UTF-16 offsets, entity order, link checks (td/telegram/MessageEntity.cpp)."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: MessageEntity offsets and lengths are counted in these."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def utf16_prefix(text: str) -> list[int]:
    """UTF-16 offset of every character index of `text` (one more entry than characters)."""
    offsets = [0]
    for c in text:
        offsets.append(offsets[-1] + (2 if ord(c) > 0xFFFF else 1))
    return offsets


class EntityParseError(ValueError):
    """The text could not be parsed in the given parse_mode (tdlib's message, unprefixed)."""


TYPE_PRIORITY: Final = {  # MessageEntity::get_type_priority
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "cashtag": 50,
    "phone_number": 50,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "bank_card_number": 50,
    "spoiler": 94,
    "custom_emoji": 99,
    "expandable_blockquote": 0,
    "date_time": 30,
}


def is_td_space(c: str) -> bool:
    """tdutils is_space: space, tab, CR, LF, NUL or VT (the C string's NUL ends every scan)."""
    return c in " \t\r\n\0\v"


def byte_offset(text: str, index: int) -> int:
    """The UTF-8 byte offset of character `index` (tdlib's error messages count bytes)."""
    return len(text[:index].encode("utf-8"))


def checked_link(url: str) -> str | None:
    """A simplified LinkManager::get_checked_link: http(s)/tg/ton links, normalised; else None.

    A link without a scheme gets "http://", an empty path becomes "/" (Telegram returns
    "https://example.com/" for href="https://example.com"); anything else is dropped.
    """
    url = url.strip()
    if not url or any(c.isspace() for c in url):
        return None
    full = url if "://" in url else "http://" + url
    parts = urlsplit(full)
    if parts.scheme in {"tg", "ton"}:
        return url
    host = parts.hostname
    if parts.scheme not in {"http", "https"} or not host:
        return None
    if "." not in host and host != "localhost":
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, parts.fragment))


def sorted_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """tdlib sort_entities: by offset, then longer first, then type priority."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], TYPE_PRIORITY.get(e["type"], 50)),
    )
