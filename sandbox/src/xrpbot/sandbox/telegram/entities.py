"""A message's final text and entities: parse mode or `entities`, trimming, automatic entities (tdlib fix_formatted_text)."""

from __future__ import annotations

import json
import re
from typing import Any, Final

from .constants import RAW_TEXT_MAX_BYTES
from .errors import bad_request, td_error
from .html import parse_html
from .markdown import parse_markdown, parse_markdown_v2
from .text import TYPE_PRIORITY, EntityParseError, sorted_entities, utf16_length, utf16_prefix


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


_COMMAND_RE: Final = re.compile(r"/([A-Za-z0-9_]+)(@[A-Za-z0-9_]+)?")
_MENTION_RE: Final = re.compile(r"@([A-Za-z0-9_]+)")
_HASHTAG_RE: Final = re.compile(r"#(\w+)")
_CASHTAG_RE: Final = re.compile(r"\$([A-Z]{1,8})")
_EMAIL_RE: Final = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL_RE: Final = re.compile(
    r"(?:(?:https?|tg|ton)://[^\s<>\"]+)"
    r"|(?:(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    r"(?:com|org|net|io|me|ru|dev|app|info|xyz|gg|co|uk|de|eu|ai|to|tv|cc)\b(?:/[^\s<>\"]*)?)"
)


def find_entities(text: str) -> list[tuple[int, int, str]]:
    """Entities Telegram finds by itself (tdlib find_entities), as (start, end, type) indices.

    Covers bot_command (/cmd, /cmd@botname), mention (@name, 4 to 32 characters), hashtag, cashtag,
    email and url (scheme URLs, and bare domains with common TLDs) — a simplified port: tdlib's
    TLD list and bank-card/phone detection are not reproduced.
    """
    found: list[tuple[int, int, str]] = []
    n = len(text)

    def prev_ok(start: int, extra: str = "") -> bool:
        return start == 0 or not (_is_word(text[start - 1]) or text[start - 1] in extra)

    for m in _COMMAND_RE.finditer(text):
        start, end = m.span()
        if not prev_ok(start, "/<>") or len(m.group(1)) > 64:
            continue
        if m.group(2) is not None and not 3 <= len(m.group(2)) - 1 <= 32:
            end = m.end(1)
            if end < n and text[end] == "@":
                continue
        if end < n and (_is_word(text[end]) or text[end] in "/<>"):
            continue
        found.append((start, end, "bot_command"))
    emails = [(m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]
    for start, end in emails:
        if prev_ok(start):
            found.append((start, end, "email"))
    for m in _MENTION_RE.finditer(text):
        start, end = m.span()
        size = len(m.group(1))
        if not prev_ok(start) or not 4 <= size <= 32:
            continue
        if end < n and _is_word(text[end]):
            continue
        found.append((start, end, "mention"))
    for m in _HASHTAG_RE.finditer(text):
        start, end = m.span()
        if prev_ok(start) and any(c.isalpha() for c in m.group(1)):
            found.append((start, end, "hashtag"))
    for m in _CASHTAG_RE.finditer(text):
        start, end = m.span()
        if prev_ok(start) and not (end < n and _is_word(text[end])):
            found.append((start, end, "cashtag"))
    for m in _URL_RE.finditer(text):
        start, end = m.span()
        if not prev_ok(start, "@.") or any(s <= start < e for s, e in emails):
            continue
        while end > start and text[end - 1] in ".,!?;:)'\"]":
            end -= 1
        if end > start:
            found.append((start, end, "url"))
    return found


def finish_text(
    text: str, entities: list[dict[str, Any]], *, allow_empty: bool
) -> tuple[str, list[dict[str, Any]]]:
    """tdlib fix_formatted_text, simplified: trim, refuse empty text, add automatic entities."""
    rtrimmed = text.rstrip()
    cut = utf16_length(rtrimmed)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        if entity["offset"] >= cut:
            continue
        entity = dict(entity)
        entity["length"] = min(entity["length"], cut - entity["offset"])
        if entity["length"] > 0:
            kept.append(entity)
    first_entity = min((e["offset"] for e in kept), default=cut)
    lead = 0
    while lead < len(rtrimmed) and rtrimmed[lead] in " \n" and lead < first_entity:
        lead += 1
    result = rtrimmed[lead:]
    shift = lead  # only BMP characters (' ' and '\n') were removed
    for entity in kept:
        entity["offset"] -= shift
    if not result:
        if allow_empty:
            return "", []
        raise EntityParseError("Text must be non-empty")
    prefix = utf16_prefix(result)
    for start, end, kind in find_entities(result):
        offset, length = prefix[start], prefix[end] - prefix[start]
        clash = any(
            offset < e["offset"] + e["length"]
            and e["offset"] < offset + length
            and e["type"]
            not in {
                "bold",
                "italic",
                "underline",
                "strikethrough",
                "spoiler",
                "blockquote",
                "expandable_blockquote",
            }
            for e in kept
        )
        if not clash:
            kept.append({"offset": offset, "length": length, "type": kind})
    return result, sorted_entities(kept)


_ENTITY_TYPES: Final = frozenset(TYPE_PRIORITY)


def _parse_input_entities(raw: str) -> list[dict[str, Any]]:
    """Client::get_input_entities: the JSON `entities`/`caption_entities` parameter."""
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except ValueError:
        return []  # tdlib ignores entities it cannot decode
    if not isinstance(value, list):
        return []
    result: list[dict[str, Any]] = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("can't parse MessageEntity: expected an Object")
        kind = item.get("type")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(kind, str) or not isinstance(offset, int) or not isinstance(length, int):
            raise bad_request('can\'t parse MessageEntity: field "type" must be of type String')
        if kind not in _ENTITY_TYPES:
            continue
        entity: dict[str, Any] = {"offset": offset, "length": length, "type": kind}
        for key in ("url", "language", "custom_emoji_id", "user"):
            if key in item:
                entity[key] = item[key]
        result.append(entity)
    return sorted_entities(result)


def formatted_text(
    raw: str, parse_mode: str, entities_json: str, *, allow_empty: bool, limit: int, too_long: str
) -> tuple[str, list[dict[str, Any]]]:
    """Client::get_formatted_text + tdlib's checks: the stored text and its entities."""
    if len(raw.encode("utf-8")) > RAW_TEXT_MAX_BYTES:
        raise bad_request("text is too long")
    mode = parse_mode.lower()
    try:
        if raw and mode and mode != "none":
            if mode == "html":
                text, entities = parse_html(raw)
            elif mode == "markdownv2":
                text, entities = parse_markdown_v2(raw)
            elif mode == "markdown":
                text, entities = parse_markdown(raw)
            else:
                raise bad_request("unsupported parse_mode")
        else:
            text, entities = raw, _parse_input_entities(entities_json)
        text, entities = finish_text(text, entities, allow_empty=allow_empty)
    except EntityParseError as err:
        if str(err) == "Text must be non-empty":
            raise td_error(str(err)) from None
        raise bad_request(f"can't parse entities: {err}") from None
    if len(text) > limit:  # utf8_length: code points
        raise bad_request(too_long)
    return text, entities
