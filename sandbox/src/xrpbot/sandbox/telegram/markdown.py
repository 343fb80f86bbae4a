"""Telegram's Markdown and MarkdownV2 parse modes: ports of tdlib's `parse_markdown` and `parse_markdown_v2`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from .text import (
    EntityParseError,
    checked_link,
    is_td_space,
    sorted_entities,
)

_MD_TYPES: Final = {
    "Bold": "bold",
    "Italic": "italic",
    "Underline": "underline",
    "Strikethrough": "strikethrough",
    "Spoiler": "spoiler",
    "Code": "code",
    "Pre": "pre",
    "PreCode": "pre",
    "TextUrl": "text_link",
    "CustomEmoji": "custom_emoji",
    "BlockQuote": "blockquote",
    "ExpandableBlockQuote": "expandable_blockquote",
}


def _md_entity(kind: str, offset: int, length: int, argument: str) -> dict[str, Any]:
    entity: dict[str, Any] = {"offset": offset, "length": length, "type": _MD_TYPES[kind]}
    if kind == "PreCode":
        entity["language"] = argument
    elif kind == "TextUrl":
        entity["url"] = argument
    elif kind == "CustomEmoji":
        entity["custom_emoji_id"] = argument
    return entity


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse the legacy Markdown parse mode: a port of tdlib's `parse_markdown`.

    "Markdown style" on the Bot API page: *bold*, _italic_, [text](url), `code`, ```pre```;
    an entity that is not closed raises EntityParseError.
    """
    data = text.encode("utf-8")
    n = len(data)
    out = bytearray()
    entities: list[dict[str, Any]] = []
    utf16 = 0

    def at(i: int) -> int:
        return data[i] if i < n else 0

    i = 0
    while i < n:
        c = data[i]
        if c == 0x5C and at(i + 1) in b"_*`[" and at(i + 1):
            out.append(data[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in b"_*`[":
            if c & 0xC0 != 0x80:
                utf16 += 2 if c >= 0xF0 else 1
            out.append(c)
            i += 1
            continue
        begin = i
        end_char = ord("]") if c == ord("[") else c
        is_pre = False
        language = ""
        i += 1
        if c == ord("`") and at(i) == ord("`") and at(i + 1) == ord("`"):
            i += 2
            is_pre = True
            language_end = i
            while not is_td_space(chr(at(language_end))) and at(language_end) != ord("`"):
                language_end += 1
            if i != language_end and language_end < n and at(language_end) != ord("`"):
                language = data[i:language_end].decode("utf-8", "replace")
                i = language_end
            if at(i) in b"\n\r" and at(i):
                i += 2 if at(i + 1) in b"\n\r" and at(i + 1) and at(i) != at(i + 1) else 1
        offset = utf16
        inner_begin = len(out)
        while i < n and (
            data[i] != end_char
            or (is_pre and not (at(i + 1) == ord("`") and at(i + 2) == ord("`")))
        ):
            if data[i] & 0xC0 != 0x80:
                utf16 += 2 if data[i] >= 0xF0 else 1
            out.append(data[i])
            i += 1
        if i == n:
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {begin}")
        if offset != utf16:
            length = utf16 - offset
            if c == ord("_"):
                entities.append({"offset": offset, "length": length, "type": "italic"})
            elif c == ord("*"):
                entities.append({"offset": offset, "length": length, "type": "bold"})
            elif c == ord("["):
                if at(i + 1) != ord("("):
                    url = out[inner_begin:].decode("utf-8", "replace")
                else:
                    i += 2
                    url_bytes = bytearray()
                    while i < n and data[i] != ord(")"):
                        url_bytes.append(data[i])
                        i += 1
                    url = url_bytes.decode("utf-8", "replace")
                checked = checked_link(url)
                if checked is not None:
                    entities.append(
                        {"offset": offset, "length": length, "type": "text_link", "url": checked}
                    )
            elif is_pre:
                entity: dict[str, Any] = {"offset": offset, "length": length, "type": "pre"}
                if language:
                    entity["language"] = language
                entities.append(entity)
            else:
                entities.append({"offset": offset, "length": length, "type": "code"})
        if is_pre:
            i += 2
        i += 1
    return out.decode("utf-8", "replace"), sorted_entities(entities)


@dataclass
class _MdOpen:
    kind: str
    argument: str
    offset: int  # UTF-16 offset in the result
    byte_offset: int  # in the source, for error messages
    begin: int  # byte index in the result


def _reserved(ch: int) -> EntityParseError:
    return EntityParseError(
        f"Character '{chr(ch)}' is reserved and must be escaped with the preceding '\\'"
    )


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse the MarkdownV2 parse mode: a port of tdlib's `parse_markdown_v2`.

    "MarkdownV2 style" on the Bot API page: *bold*, _italic_, __underline__, ~strikethrough~,
    ||spoiler||, [text](url), ![emoji](tg://emoji?id=...), `code`, ```pre```, > blockquotes
    (expandable when ended by ||); every other reserved character must be escaped with '\\'.
    """
    data = text.encode("utf-8")
    n = len(data)
    out = bytearray()
    entities: list[dict[str, Any]] = []
    nested: list[_MdOpen] = []
    utf16 = 0
    have_blockquote = False
    can_start_blockquote = True

    def at(i: int) -> int:
        return data[i] if i < n else 0

    def read_url(i: int) -> tuple[str, int]:
        begin = i
        url = bytearray()
        while i < n and data[i] != ord(")"):
            if data[i] == 0x5C and 0 < at(i + 1) <= 126:
                url.append(data[i + 1])
                i += 2
                continue
            url.append(data[i])
            i += 1
        if at(i) != ord(")"):
            raise EntityParseError(f"Can't find end of a URL at byte offset {begin}")
        return url.decode("utf-8", "replace"), i

    i = 0
    while i < n:
        c = data[i]
        if c == 0x5C and 0 < at(i + 1) <= 126:
            i += 1
            utf16 += 1
            out.append(data[i])
            if data[i] != 0x0D:
                can_start_blockquote = data[i] == 0x0A
            i += 1
            continue
        reserved = b"_*[]()~`>#+-=|{}.!\n"
        if nested and nested[-1].kind in {"Code", "Pre", "PreCode"}:
            reserved = b"`"
        if c not in reserved:
            if c & 0xC0 != 0x80:
                utf16 += 2 if c >= 0xF0 else 1
                if c != 0x0D:
                    can_start_blockquote = False
            out.append(c)
            i += 1
            continue
        is_end = False
        if nested:
            top = nested[-1].kind
            if have_blockquote and c == 0x0A and (i + 1 == n or at(i + 1) != ord(">")):
                is_end = True
            elif top == "Bold":
                is_end = c == ord("*")
            elif top == "Italic":
                is_end = c == ord("_") and at(i + 1) != ord("_")
            elif top == "Code":
                is_end = c == ord("`")
            elif top in {"Pre", "PreCode"}:
                is_end = c == ord("`") and at(i + 1) == ord("`") and at(i + 2) == ord("`")
            elif top in {"TextUrl", "CustomEmoji"}:
                is_end = c == ord("]")
            elif top == "Underline":
                is_end = c == ord("_") and at(i + 1) == ord("_")
            elif top == "Strikethrough":
                is_end = c == ord("~")
            elif top == "Spoiler":
                is_end = c == ord("|") and at(i + 1) == ord("|")
        if not is_end:
            kind: str | None
            argument = ""
            byte_offset = i
            if c == ord("_"):
                if at(i + 1) == ord("_"):
                    kind = "Underline"
                    i += 1
                else:
                    kind = "Italic"
            elif c == ord("*"):
                kind = "Bold"
            elif c == ord("~"):
                kind = "Strikethrough"
            elif c == ord("|"):
                if at(i + 1) != ord("|"):
                    raise _reserved(c)
                i += 1
                kind = "Spoiler"
            elif c == ord("["):
                kind = "TextUrl"
            elif c == ord("`"):
                if at(i + 1) == ord("`") and at(i + 2) == ord("`"):
                    i += 3
                    kind = "Pre"
                    language_end = i
                    while not is_td_space(chr(at(language_end))) and at(language_end) != ord("`"):
                        language_end += 1
                    if i != language_end and language_end < n and at(language_end) != ord("`"):
                        kind = "PreCode"
                        argument = data[i:language_end].decode("utf-8", "replace")
                        i = language_end
                    if at(i) in (0x0A, 0x0D):
                        if at(i + 1) in (0x0A, 0x0D) and at(i) != at(i + 1):
                            i += 2
                        else:
                            i += 1
                    i -= 1
                else:
                    kind = "Code"
            elif c == ord("!"):
                if at(i + 1) != ord("["):
                    raise _reserved(c)
                i += 1
                kind = "CustomEmoji"
            elif c == 0x0A:
                utf16 += 1
                out.append(0x0A)
                can_start_blockquote = True
                kind = None
            elif c == ord(">"):
                if not can_start_blockquote:
                    raise _reserved(c)
                if have_blockquote:
                    kind = None
                else:
                    kind = "BlockQuote"
                    have_blockquote = True
            else:
                raise _reserved(c)
            if kind is not None:
                nested.append(_MdOpen(kind, argument, utf16, byte_offset, len(out)))
            i += 1
            continue
        kind = nested[-1].kind
        if c == 0x0A and kind != "BlockQuote":
            top_open = nested[-1]
            closes_spoiler = top_open.byte_offset == i - 2 or (
                top_open.byte_offset == i - 3 and out and out[-1] == 0x0D
            )
            if kind != "Spoiler" or not closes_spoiler:
                raise EntityParseError(
                    f"Can't find end of {kind} entity at byte offset {top_open.byte_offset}"
                )
            nested.pop()
            kind = nested[-1].kind
            if kind != "BlockQuote":
                raise EntityParseError(
                    f"Can't find end of {kind} entity at byte offset {nested[-1].byte_offset}"
                )
            kind = "ExpandableBlockQuote"
        argument = nested[-1].argument
        skip = utf16 == nested[-1].offset
        if kind in {"Underline", "Spoiler"}:
            i += 1
        elif kind in {"Pre", "PreCode"}:
            i += 2
        elif kind == "TextUrl":
            if at(i + 1) != ord("("):
                url = out[nested[-1].begin :].decode("utf-8", "replace")
            else:
                url, i = read_url(i + 2)
            checked = checked_link(url)
            if checked is None:
                skip = True
            else:
                argument = checked
        elif kind == "CustomEmoji":
            if at(i + 1) != ord("("):
                raise EntityParseError("The entity must contain a tg://emoji or tg://time URL")
            url, i = read_url(i + 2)
            match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
            if match is None or int(match.group(1)) == 0:
                if not url.startswith("tg://time?"):
                    raise EntityParseError("Invalid tg://emoji or tg://time URL specified")
                skip = True  # formatted dates are not modelled
            else:
                argument = match.group(1)
        elif kind in {"BlockQuote", "ExpandableBlockQuote"}:
            have_blockquote = False
            out.append(data[i])
            can_start_blockquote = True
            utf16 += 1
            skip = False
        if not skip:
            offset = nested[-1].offset
            entities.append(_md_entity(kind, offset, utf16 - offset, argument))
        nested.pop()
        i += 1
    if have_blockquote and nested:
        kind = "BlockQuote"
        if nested[-1].kind == "Spoiler" and nested[-1].byte_offset == n - 2:
            nested.pop()
            kind = "ExpandableBlockQuote"
        if nested and nested[-1].kind == "BlockQuote":
            length = utf16 - nested[-1].offset
            if length:
                entities.append(_md_entity(kind, nested[-1].offset, length, ""))
            nested.pop()
    if nested:
        raise EntityParseError(
            f"Can't find end of {nested[-1].kind} entity at byte offset {nested[-1].byte_offset}"
        )
    return out.decode("utf-8", "replace"), sorted_entities(entities)
