"""Telegram's HTML parse mode: a port of tdlib's `parse_html` (td/telegram/MessageEntity.cpp)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from .constants import words
from .text import (
    EntityParseError,
    byte_offset,
    checked_link,
    is_td_space,
    sorted_entities,
)

_HTML_TAGS: Final = frozenset(
    words(
        "a b strong i em s strike del u ins tg-spoiler tg-emoji tg-time span pre code blockquote"
    )
)


def _decode_html_entity(text: str, pos: int) -> tuple[int, int]:
    """tdlib decode_html_entity: (code point or 0, position after the entity)."""
    n = len(text)
    end = pos + 1
    res = 0
    if end < n and text[end] == "#":
        end += 1
        if end < n and text[end] == "x":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                res = res * 16 + int(text[end], 16)
                end += 1
        else:
            while end < n and text[end].isascii() and text[end].isdigit():
                res = res * 10 + int(text[end])
                end += 1
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        res = {"lt": 0x3C, "gt": 0x3E, "amp": 0x26, "quot": 0x22}.get(name, 0)
        if res == 0:
            return 0, pos  # unsupported literal entity: the '&' stays as it is
    if end < n and text[end] == ";":
        end += 1
    return res, end


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int  # UTF-16 offset in the result
    begin: int  # index in the result text (characters)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram's HTML parse mode: (plain text, MessageEntity list).

    A port of tdlib's `parse_html` (td/telegram/MessageEntity.cpp), the code behind
    "Formatting options → HTML style" of the Bot API page: the tags b/strong, i/em, u/ins,
    s/strike/del, span class="tg-spoiler", tg-spoiler, a href, code (class="language-x"), pre,
    blockquote (expandable), tg-emoji emoji-id, tg-time; the entities &lt; &gt; &amp; &quot; and
    numeric ones. Unsupported or unclosed tags raise EntityParseError with tdlib's message.
    """
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    nested: list[_OpenTag] = []
    utf16 = 0
    n = len(text)

    def ch(i: int) -> str:
        return text[i] if i < n else "\0"

    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            code, after = _decode_html_entity(text, i)
            if code:
                out.append(chr(code))
                utf16 += 2 if code > 0xFFFF else 1
                i = after
                continue
        if c != "<":
            out.append(c)
            utf16 += 2 if ord(c) > 0xFFFF else 1
            i += 1
            continue
        begin = i
        i += 1
        at = byte_offset(text, begin)
        if ch(i) != "/":
            while not is_td_space(ch(i)) and ch(i) != ">":
                i += 1
            if ch(i) == "\0":
                raise EntityParseError(f"Unclosed start tag at byte offset {at}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {at}')
            argument = ""
            while ch(i) != ">":
                while ch(i) != "\0" and is_td_space(ch(i)):
                    i += 1
                if ch(i) == ">":
                    break
                attr_begin = i
                while not is_td_space(ch(i)) and ch(i) not in "=>/\"'":
                    i += 1
                attr = text[attr_begin:i]
                if not attr:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {at}'
                    )
                while ch(i) != "\0" and is_td_space(ch(i)):
                    i += 1
                if ch(i) != "=":
                    if ch(i) == "\0":
                        raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
                    if tag == "blockquote" and attr == "expandable":
                        argument = "1"
                    continue
                i += 1
                while ch(i) != "\0" and is_td_space(ch(i)):
                    i += 1
                if ch(i) == "\0":
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
                if ch(i) not in "'\"":
                    token_begin = i
                    while (ch(i).isascii() and ch(i).isalnum()) or ch(i) in ".-":
                        i += 1
                    value = text[token_begin:i].lower()
                    if not is_td_space(ch(i)) and ch(i) != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{byte_offset(text, token_begin)}"
                        )
                else:
                    quote = ch(i)
                    i += 1
                    chars: list[str] = []
                    while ch(i) != quote and ch(i) != "\0":
                        if ch(i) == "&":
                            code, after = _decode_html_entity(text, i)
                            if code:
                                chars.append(chr(code))
                                i = after
                                continue
                        chars.append(ch(i))
                        i += 1
                    if ch(i) == quote:
                        i += 1
                    value = "".join(chars)
                if ch(i) == "\0":
                    raise EntityParseError(f"Unclosed start tag at byte offset {at}")
                if (
                    (tag == "a" and attr == "href")
                    or (tag == "tg-emoji" and attr == "emoji-id")
                    or (tag == "tg-time" and attr == "format")
                ):
                    argument = value
                elif tag == "code" and attr == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "blockquote" and attr == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {at}'
                )
            nested.append(_OpenTag(tag, argument, utf16, len(out)))
            i += 1  # past '>'
            continue
        # an end tag
        if not nested:
            raise EntityParseError(f"Unexpected end tag at byte offset {at}")
        while not is_td_space(ch(i)) and ch(i) != ">":
            i += 1
        end_tag = text[begin + 2 : i].lower()
        while is_td_space(ch(i)) and ch(i) != "\0":
            i += 1
        if ch(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {at}")
        top = nested[-1]
        if end_tag and end_tag != top.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", '
                f'found "</{end_tag}>"'
            )
        if utf16 > top.offset:
            _close_html_entity(top, utf16 - top.offset, "".join(out[top.begin :]), entities)
        nested.pop()
        i += 1  # past '>'
    if nested:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{nested[-1].name}"'
        )
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return "".join(out), sorted_entities(entities)


def _close_html_entity(
    tag: _OpenTag, length: int, inner_text: str, entities: list[dict[str, Any]]
) -> None:
    offset = tag.offset
    simple = {
        "i": "italic",
        "em": "italic",
        "b": "bold",
        "strong": "bold",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "u": "underline",
        "ins": "underline",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
    }
    if tag.name in simple:
        entities.append({"offset": offset, "length": length, "type": simple[tag.name]})
    elif tag.name == "tg-emoji":
        try:
            emoji_id = int(tag.argument)
        except ValueError:
            emoji_id = 0
        if emoji_id == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(
            {
                "offset": offset,
                "length": length,
                "type": "custom_emoji",
                "custom_emoji_id": str(emoji_id),
            }
        )
    elif tag.name == "tg-time":
        return  # formatted dates are not modelled; the text stays, without an entity
    elif tag.name == "a":
        url = checked_link(tag.argument or inner_text)
        if url is not None:
            entities.append({"offset": offset, "length": length, "type": "text_link", "url": url})
    elif tag.name == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == offset
            and last["length"] == length
            and last.get("language")
        ):
            last["type"] = "pre"
        else:
            entities.append({"offset": offset, "length": length, "type": "pre"})
    elif tag.name == "code":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "pre"
            and last["offset"] == offset
            and last["length"] == length
            and tag.argument
        ):
            last["language"] = tag.argument
        else:
            entity = {"offset": offset, "length": length, "type": "code"}
            if tag.argument:
                entity["language"] = tag.argument
            entities.append(entity)
    elif tag.name == "blockquote":
        kind = "expandable_blockquote" if tag.argument else "blockquote"
        entities.append({"offset": offset, "length": length, "type": kind})
