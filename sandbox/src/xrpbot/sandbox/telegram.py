"""An offline stand-in for the Telegram Bot API (https://core.telegram.org/bots/api).

It answers `GET|POST /bot<token>/<method>` the way api.telegram.org does for the methods xrpbot's
gateway uses, with Telegram's validation rules and its exact error descriptions. Where the Bot API
page is silent, the behaviour is copied from the server's source, tdlib/telegram-bot-api
(`telegram-bot-api/Client.cpp`, `WebhookActor.cpp`) and tdlib's `td/telegram/MessageEntity.cpp`
(HTML parsing, automatic entities); the docstrings below name the section or function.

Besides the Bot API it serves a *control API* under `/sandbox/...` (no token) that plays the users:
send a message, press an inline button, block the bot, read what the bot sent and every Bot API call
it received. See `create_telegram_app` for the list.

Everything is in memory and runs on one asyncio loop. Differences from the real service that are on
purpose: webhook URLs may be plain `http://` on any port and are not probed before
`setWebhook` answers; `getUpdates` does not stretch short timeouts to 3 s for repeated offsets;
`setWebhook` has no one-call-per-second limit; formatted dates (tg-time, tg://time) keep their
text but get no entity.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import email.policy
import errno
import json
import logging
import math
import re
import secrets
import struct
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import aiohttp
from aiohttp import web

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "EntityParseError",
    "TelegramState",
    "create_telegram_app",
    "find_entities",
    "image_size",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_length",
]

log = logging.getLogger("xrpbot.sandbox.telegram")

DEFAULT_TOKEN: Final = "123456789:sandbox-local-token"  # noqa: S105  public sandbox test token
"""The token the stand-in knows unless told otherwise."""

TEXT_LENGTH_MAX: Final = 4096
"""sendMessage: "Text of the message to be sent, 1-4096 characters after entities parsing"."""
CAPTION_LENGTH_MAX: Final = 1024
"""sendPhoto: "Photo caption ... 0-1024 characters after entities parsing"."""
CALLBACK_DATA_MAX_BYTES: Final = 64
"""InlineKeyboardButton.callback_data: "Data to be sent in a callback query ..., 1-64 bytes"."""
RAW_TEXT_MAX_BYTES: Final = 1 << 15
"""Client::get_formatted_text: longer raw text is refused with "Text is too long"."""
LONG_POLL_MAX_TIMEOUT: Final = 50
"""Client.h LONG_POLL_MAX_TIMEOUT: getUpdates' timeout is clamped to 0..50."""
WEBHOOK_MAX_RESEND_TIMEOUT: Final = 60
"""WebhookActor.h: the retry delay doubles up to a random value in [60, 120] seconds."""

NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
GETUPDATES_CONFLICT: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Client::init_methods (tdlib/telegram-bot-api, Bot API 10.0): every method name the real server
# knows. A name outside this set is answered 404 "Not Found"; a real method this stand-in does not
# implement gets a 500 that says so, rather than a misleading "Not Found".
_KNOWN_METHODS: Final = frozenset(
    _words(
        """getme getmycommands setmycommands deletemycommands getmydefaultadministratorrights
    setmydefaultadministratorrights getmyname setmyname setmyprofilephoto removemyprofilephoto
    getmydescription setmydescription getmyshortdescription setmyshortdescription
    getchatmenubutton setchatmenubutton getuserprofilephotos getuserprofileaudios sendmessage
    sendanimation sendaudio senddice senddocument sendlivephoto sendphoto sendsticker sendvideo
    sendvideonote sendvoice sendpaidmedia sendgame sendinvoice sendlocation sendvenue sendcontact
    sendpoll stoppoll sendchecklist copymessage copymessages forwardmessage forwardmessages
    sendmediagroup sendchataction sendmessagedraft setmessagereaction editmessagetext
    editmessagelivelocation stopmessagelivelocation editmessagemedia editmessagecaption
    editmessagechecklist editmessagereplymarkup deletemessage deletemessages
    deletemessagereaction deleteallmessagereactions poststory repoststory editstory deletestory
    createinvoicelink getmystarbalance getstartransactions refundstarpayment
    edituserstarsubscription getavailablegifts sendgift giftpremiumsubscription
    getmanagedbottoken getmanagedbotaccesssettings setmanagedbotaccesssettings
    replacemanagedbottoken verifyuser verifychat removeuserverification removechatverification
    setgamescore getgamehighscores answerwebappquery answerguestquery answerinlinequery
    savepreparedinlinemessage savepreparedkeyboardbutton answercallbackquery answershippingquery
    answerprecheckoutquery exportchatinvitelink createchatinvitelink
    createchatsubscriptioninvitelink editchatinvitelink editchatsubscriptioninvitelink
    revokechatinvitelink getbusinessconnection readbusinessmessage deletebusinessmessages
    setbusinessaccountname setbusinessaccountusername setbusinessaccountbio
    setbusinessaccountprofilephoto removebusinessaccountprofilephoto
    setbusinessaccountgiftsettings getbusinessaccountstarbalance transferbusinessaccountstars
    getbusinessaccountgifts getusergifts getchatgifts convertgifttostars upgradegift transfergift
    setuseremojistatus getchat getuserpersonalchatmessages setchatphoto deletechatphoto
    setchattitle setchatpermissions setchatdescription pinchatmessage unpinchatmessage
    unpinallchatmessages approvesuggestedpost declinesuggestedpost setchatstickerset
    deletechatstickerset getforumtopiciconstickers createforumtopic editforumtopic
    closeforumtopic reopenforumtopic deleteforumtopic unpinallforumtopicmessages
    editgeneralforumtopic closegeneralforumtopic reopengeneralforumtopic hidegeneralforumtopic
    unhidegeneralforumtopic unpinallgeneralforumtopicmessages getchatmember
    getchatadministrators getchatmembercount getchatmemberscount leavechat promotechatmember
    setchatadministratorcustomtitle setchatmembertag banchatmember kickchatmember
    restrictchatmember unbanchatmember banchatsenderchat unbanchatsenderchat
    approvechatjoinrequest declinechatjoinrequest getuserchatboosts getstickerset
    getcustomemojistickers uploadstickerfile createnewstickerset addstickertoset
    replacestickerinset setstickersettitle setstickersetthumb setstickersetthumbnail
    setcustomemojistickersetthumbnail deletestickerset setstickerpositioninset
    deletestickerfromset setstickeremojilist setstickerkeywords setstickermaskposition
    setpassportdataerrors sendcustomrequest answercustomquery getupdates setwebhook
    deletewebhook getwebhookinfo getfile logout close"""
    )
)

# Client::get_update_type_name, in bit order; JsonUpdateTypes lists allowed_updates in this order.
_UPDATE_TYPES: Final = _words(
    "message edited_message channel_post edited_channel_post inline_query chosen_inline_result "
    "callback_query shipping_query pre_checkout_query poll poll_answer my_chat_member "
    "chat_member chat_join_request chat_boost removed_chat_boost message_reaction "
    "message_reaction_count business_connection business_message edited_business_message "
    "deleted_business_messages purchased_paid_media managed_bot guest_message"
)
# "Specify an empty list to receive all update types except chat_member, message_reaction, and
# message_reaction_count (default)" (getUpdates, allowed_updates).
_DEFAULT_UPDATE_TYPES: Final = frozenset(_UPDATE_TYPES) - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

# Client::get_chat_action
_CHAT_ACTIONS: Final = frozenset(
    _words(
        "cancel typing record_video upload_video record_audio record_voice upload_audio upload_voice "
        "upload_photo upload_document choose_sticker pick_up_location find_location "
        "record_video_note upload_video_note"
    )
)


class ApiError(Exception):
    """A Bot API error answer: `{"ok": false, "error_code": code, "description": ...}`."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends ("Making requests": ok, error_code, description, parameters)."""
        result: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            result["parameters"] = {"retry_after": self.retry_after}
        return result


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _td_error(message: str) -> ApiError:
    """A tdlib error turned into a Bot API 400 (Client::fail_query_with_error).

    The first letter is lowered unless the message is an UPPER_CASE server code.
    """
    if len(message) >= 2 and (message[1] == "_" or message[1].isupper()):
        return _bad(message)
    return _bad(message[:1].lower() + message[1:])


# ---------------------------------------------------------------------------------------------
# Text: UTF-16 lengths, HTML parse mode, automatic entities (tdlib td/telegram/MessageEntity.cpp)
# ---------------------------------------------------------------------------------------------


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: MessageEntity offsets and lengths are counted in these."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


def _utf16_prefix(text: str) -> list[int]:
    offsets = [0]
    for c in text:
        offsets.append(offsets[-1] + (2 if ord(c) > 0xFFFF else 1))
    return offsets


class EntityParseError(ValueError):
    """The text could not be parsed in the given parse_mode (tdlib's message, unprefixed)."""


_HTML_TAGS: Final = frozenset(
    _words(
        "a b strong i em s strike del u ins tg-spoiler tg-emoji tg-time span pre code blockquote"
    )
)
_TYPE_PRIORITY: Final = {  # MessageEntity::get_type_priority
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


def _is_td_space(c: str) -> bool:
    # tdutils is_space: ' ', '\t', '\r', '\n', '\0', '\v' (the C string's NUL ends every scan)
    return c in " \t\r\n\0\v"


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


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


def _checked_link(url: str) -> str | None:
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
        at = _byte_offset(text, begin)
        if ch(i) != "/":
            while not _is_td_space(ch(i)) and ch(i) != ">":
                i += 1
            if ch(i) == "\0":
                raise EntityParseError(f"Unclosed start tag at byte offset {at}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {at}')
            argument = ""
            while ch(i) != ">":
                while ch(i) != "\0" and _is_td_space(ch(i)):
                    i += 1
                if ch(i) == ">":
                    break
                attr_begin = i
                while not _is_td_space(ch(i)) and ch(i) not in "=>/\"'":
                    i += 1
                attr = text[attr_begin:i]
                if not attr:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {at}'
                    )
                while ch(i) != "\0" and _is_td_space(ch(i)):
                    i += 1
                if ch(i) != "=":
                    if ch(i) == "\0":
                        raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
                    if tag == "blockquote" and attr == "expandable":
                        argument = "1"
                    continue
                i += 1
                while ch(i) != "\0" and _is_td_space(ch(i)):
                    i += 1
                if ch(i) == "\0":
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {at}')
                if ch(i) not in "'\"":
                    token_begin = i
                    while (ch(i).isascii() and ch(i).isalnum()) or ch(i) in ".-":
                        i += 1
                    value = text[token_begin:i].lower()
                    if not _is_td_space(ch(i)) and ch(i) != ">":
                        raise EntityParseError(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
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
        while not _is_td_space(ch(i)) and ch(i) != ">":
            i += 1
        end_tag = text[begin + 2 : i].lower()
        while _is_td_space(ch(i)) and ch(i) != "\0":
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
    return "".join(out), _sorted_entities(entities)


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
        url = _checked_link(tag.argument or inner_text)
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
            while not _is_td_space(chr(at(language_end))) and at(language_end) != ord("`"):
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
                checked = _checked_link(url)
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
    return out.decode("utf-8", "replace"), _sorted_entities(entities)


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
                    while not _is_td_space(chr(at(language_end))) and at(language_end) != ord("`"):
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
            checked = _checked_link(url)
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
    return out.decode("utf-8", "replace"), _sorted_entities(entities)


def _sorted_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """tdlib sort_entities: by offset, then longer first, then type priority."""
    return sorted(
        entities,
        key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 50)),
    )


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


def _finish_text(
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
    prefix = _utf16_prefix(result)
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
    return result, _sorted_entities(kept)


_ENTITY_TYPES: Final = frozenset(_TYPE_PRIORITY)


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
            raise _bad("can't parse MessageEntity: expected an Object")
        kind = item.get("type")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(kind, str) or not isinstance(offset, int) or not isinstance(length, int):
            raise _bad('can\'t parse MessageEntity: field "type" must be of type String')
        if kind not in _ENTITY_TYPES:
            continue
        entity: dict[str, Any] = {"offset": offset, "length": length, "type": kind}
        for key in ("url", "language", "custom_emoji_id", "user"):
            if key in item:
                entity[key] = item[key]
        result.append(entity)
    return _sorted_entities(result)


def _formatted(
    raw: str, parse_mode: str, entities_json: str, *, allow_empty: bool, limit: int, too_long: str
) -> tuple[str, list[dict[str, Any]]]:
    """Client::get_formatted_text + tdlib's checks: the stored text and its entities."""
    if len(raw.encode("utf-8")) > RAW_TEXT_MAX_BYTES:
        raise _bad("text is too long")
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
                raise _bad("unsupported parse_mode")
        else:
            text, entities = raw, _parse_input_entities(entities_json)
        text, entities = _finish_text(text, entities, allow_empty=allow_empty)
    except EntityParseError as err:
        if str(err) == "Text must be non-empty":
            raise _td_error(str(err)) from None
        raise _bad(f"can't parse entities: {err}") from None
    if len(text) > limit:  # utf8_length: code points
        raise _bad(too_long)
    return text, entities


# ---------------------------------------------------------------------------------------------
# Keyboards and commands
# ---------------------------------------------------------------------------------------------


def _json_arg(raw: str, error: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise _bad(error) from None


def _parse_reply_markup(raw: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Client::get_reply_markup: (inline keyboard as Telegram returns it, other markup as sent).

    Only an inline keyboard is part of the Message object ("reply_markup: Inline keyboard attached
    to the message"); reply keyboards, ForceReply and ReplyKeyboardRemove are accepted and kept
    for the control API only.
    """
    if not raw:
        return None, None
    value = _json_arg(raw, "can't parse reply keyboard markup JSON object")
    if not isinstance(value, dict):
        raise _bad("object expected as reply markup")
    keyboard = value.get("keyboard")
    if keyboard is not None and (
        not isinstance(keyboard, list) or not all(isinstance(r, list) for r in keyboard)
    ):
        raise _bad('field "keyboard" must be an Array of Arrays')
    rows = value.get("inline_keyboard")
    if rows is not None and not keyboard:
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _bad(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        result_rows = [[_inline_button(button) for button in row] for row in rows]
        if any(result_rows):
            return {"inline_keyboard": result_rows}, None
    if keyboard or value.get("remove_keyboard") or value.get("force_reply"):
        return None, value
    return None, None


def _inline_button(button: Any) -> dict[str, Any]:
    """Client::get_inline_keyboard_button, and the server's BUTTON_* checks."""

    def fail(message: str) -> ApiError:
        return _bad(f"can't parse inline keyboard button: {message}")

    if not isinstance(button, dict):
        raise fail("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise fail('Field "text" must be of type String')
    result: dict[str, Any] = {"text": text}
    for key in ("icon_custom_emoji_id", "style"):
        if key in button:
            result[key] = button[key]
    url = button.get("url")
    if isinstance(url, str) and url:
        if _checked_link(url) is None:
            raise _bad("BUTTON_URL_INVALID")
        result["url"] = url
        return result
    data = button.get("callback_data")
    if isinstance(data, str) and data:
        if len(data.encode("utf-8")) > CALLBACK_DATA_MAX_BYTES:
            raise _bad("BUTTON_DATA_INVALID")
        result["callback_data"] = data
        return result
    for key in (
        "callback_game",
        "pay",
        "switch_inline_query",
        "switch_inline_query_chosen_chat",
        "switch_inline_query_current_chat",
        "login_url",
        "web_app",
        "copy_text",
    ):
        if key in button:
            result[key] = button[key]
            return result
    raise fail("Text buttons are unallowed in the inline keyboard")


def _parse_commands(raw: str) -> list[dict[str, str]]:
    """Client::get_bot_commands and td's set_commands checks (td/telegram/BotCommand.cpp)."""
    if not raw:
        return []
    value = _json_arg(raw, "can't parse commands JSON object")
    if not isinstance(value, list):
        raise _bad("expected an Array of BotCommand")
    commands: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict):
            raise _bad("can't parse BotCommand: expected an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str):
            raise _bad('can\'t parse BotCommand: Field "command" must be of type String')
        if not isinstance(description, str):
            raise _bad('can\'t parse BotCommand: Field "description" must be of type String')
        command = command.strip()
        command = command.removeprefix("/")
        description = description.strip()
        if not command:
            raise _bad("command must be non-empty")
        if len(command) > 32:
            raise _bad("command length must not exceed 32")
        if not description:
            raise _bad("command description must be non-empty")
        if len(description) > 256:
            raise _bad("command description length must not exceed 256")
        if not re.fullmatch(r"[a-z0-9_]+", command):
            raise _bad("BOT_COMMAND_INVALID")  # the server allows lowercase letters, digits, _
        commands.append({"command": command, "description": description})
    return commands


def _parse_scope(raw: str) -> dict[str, Any]:
    """Client::get_bot_command_scope: the BotCommandScope as a normalised dict."""
    if not raw:
        return {"type": "default"}
    value = _json_arg(raw, "can't parse BotCommandScope JSON object")
    if not isinstance(value, dict):
        raise _bad("can't parse BotCommandScope: BotCommandScope must be an Object")
    kind = value.get("type")
    if not isinstance(kind, str):
        raise _bad('can\'t parse BotCommandScope: Field "type" must be of type String')
    if kind in {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}:
        return {"type": kind}
    if kind not in {"chat", "chat_administrators", "chat_member"}:
        raise _bad("can't parse BotCommandScope: Unsupported type specified")
    chat_id = value.get("chat_id")
    if chat_id is None or chat_id == "":
        raise _bad("can't parse BotCommandScope: Empty chat_id specified")
    scope: dict[str, Any] = {"type": kind, "chat_id": chat_id}
    if kind == "chat_member":
        user_id = value.get("user_id")
        if not isinstance(user_id, int) or user_id <= 0:
            raise _bad("can't parse BotCommandScope: Invalid user_id specified")
        scope["user_id"] = user_id
    return scope


# ---------------------------------------------------------------------------------------------
# Images: the dimensions Telegram reports for an uploaded photo
# ---------------------------------------------------------------------------------------------


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, JPEG, GIF or WebP image, or None if it is not one."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            return int(width) & 0x3FFF, int(height) & 0x3FFF
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(
                data[27:30], "little"
            ) + 1
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


def _image_mime(data: bytes) -> str:
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:2] == b"\xff\xd8":
        return "image/jpeg"
    if data[:4] == b"GIF8":
        return "image/gif"
    if data[:4] == b"RIFF":
        return "image/webp"
    return "application/octet-stream"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _photo_sizes(data: bytes, width: int, height: int) -> list[dict[str, Any]]:
    """The PhotoSize array Telegram returns: its 90/320/800/1280/2560-pixel boxes.

    Telegram keeps a thumbnail per box up to the one that holds the original, scaled to fit.
    Sizes of the smaller copies are estimated by area (Telegram re-encodes them as JPEG).
    """
    sizes: list[dict[str, Any]] = []
    previous = 0
    biggest = max(width, height)
    for box in (90, 320, 800, 1280, 2560):
        if biggest <= previous:
            break
        scale = min(1.0, box / biggest)
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        area = (w * h) / max(1, width * height)
        sizes.append(
            {
                "file_id": "AgACAgIAAxkDAA" + _b64(secrets.token_bytes(36)),
                "file_unique_id": "AQAD" + _b64(secrets.token_bytes(10)),
                "file_size": max(1, round(len(data) * area)),
                "width": w,
                "height": h,
            }
        )
        previous = box
    return sizes


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass
class _User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    blocked: bool = False

    def as_user(self) -> dict[str, Any]:
        """The User object (Client::JsonUser)."""
        result: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            result["last_name"] = self.last_name
        if self.username:
            result["username"] = self.username
        if self.language_code:
            result["language_code"] = self.language_code
        return result

    def as_chat(self) -> dict[str, Any]:
        """The private Chat object (Client::JsonChat, ChatInfo::Type::Private)."""
        result: dict[str, Any] = {"id": self.id, "first_name": self.first_name}
        if self.last_name:
            result["last_name"] = self.last_name
        if self.username:
            result["username"] = self.username
        result["type"] = "private"
        return result


@dataclass
class _Photo:
    data: bytes
    sizes: list[dict[str, Any]]


@dataclass
class _Message:
    message_id: int
    chat_id: int
    date: int
    from_bot: bool
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    photo: _Photo | None = None
    caption: str = ""
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    other_markup: dict[str, Any] | None = None
    link_preview_options: dict[str, Any] | None = None
    protected: bool = False
    reply_to: int | None = None
    edit_date: int | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False


@dataclass
class _Update:
    update_id: int
    kind: str
    payload: dict[str, Any]
    queue_key: int  # the chat: Telegram keeps one chat's updates in order
    delay: float = 1.0
    fail_count: int = 0
    wakeup_at: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass
class _Webhook:
    url: str
    secret_token: str
    max_connections: int
    ip_address: str
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    created_at: float
    answered: bool = False


@dataclass
class _Bucket:
    capacity: float
    rate: float
    tokens: float
    stamp: float

    def peek(self, now: float) -> float:
        """0 if a token is available now, else the seconds until one is (takes nothing)."""
        tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, now: float) -> float:
        """Take one token; 0 if granted, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class _ForcedFailure:
    method: str | None
    error_code: int
    description: str
    retry_after: int | None
    remaining: int


class _BotState:
    """One bot (one token): its chats, updates, webhook, commands and call log."""

    def __init__(self, owner: TelegramState, token: str, username: str, first_name: str) -> None:
        self.owner = owner
        self.token = token
        self.id = int(token.split(":", 1)[0])
        self.username = username
        self.first_name = first_name
        self.next_update_id = owner._first_update_id()
        self.message_counters: dict[int, int] = {}  # per chat; survives reset
        self.files: dict[str, _Photo] = {}  # file_id → photo; file ids stay valid like Telegram's
        self.commands: dict[str, tuple[dict[str, Any], str, list[dict[str, str]]]] = {}
        self.webhook: _Webhook | None = None
        self.allowed_updates: frozenset[str] | None = None
        self.wake = asyncio.Event()
        self.update_waiters: list[asyncio.Future[None]] = []
        self.long_poll: asyncio.Future[str] | None = None
        self.calls: deque[dict[str, Any]] = deque(maxlen=10_000)
        self.call_seq = 0  # numbers the calls log; never goes back, not even on reset
        self.flood: dict[str, float] | None = None
        self.buckets: dict[int, _Bucket] = {}
        self.group_sends: dict[int, deque[float]] = {}  # group chat → send times (monotonic)
        self.flood_rejected = 0  # 429s flood control answered since it was switched on
        self.flood_rejected_chats: dict[int, int] = {}
        self.failures: list[_ForcedFailure] = []
        self.clear()

    def clear(self) -> None:
        """Forget chats, users, updates and calls (what `POST /sandbox/reset` clears)."""
        self.users: dict[int, _User] = {}
        self.messages: dict[int, dict[int, _Message]] = {}
        self.transcripts: dict[int, list[dict[str, Any]]] = {}
        self.pending: list[_Update] = []
        self.callback_queries: dict[str, _CallbackQuery] = {}
        self.calls.clear()
        self.buckets.clear()
        self.group_sends.clear()
        self.failures.clear()
        if self.webhook is not None:
            self.webhook.last_error_date = None
            self.webhook.last_error_message = None
        self.wake.set()

    # -- identity ---------------------------------------------------------------------------

    def as_user(self, *, full: bool = False) -> dict[str, Any]:
        """The bot's User object; `full` adds getMe's extra fields (Client::JsonUser)."""
        result: dict[str, Any] = {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }
        if full:
            result.update(
                can_join_groups=True,
                can_read_all_group_messages=False,
                supports_inline_queries=False,
                can_connect_to_business=False,
                has_main_web_app=False,
            )
        return result

    # -- messages -----------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        value = self.message_counters.get(chat_id, 0) + 1
        self.message_counters[chat_id] = value
        return value

    def message_json(self, message: _Message, *, with_reply: bool = True) -> dict[str, Any]:
        """The Message object (Client::JsonMessage) for a private chat."""
        user = self.users[message.chat_id]
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.as_user() if message.from_bot else user.as_user(),
            "chat": user.as_chat(),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if with_reply and message.reply_to is not None:
            replied = self.messages.get(message.chat_id, {}).get(message.reply_to)
            if replied is not None and not replied.deleted:
                result["reply_to_message"] = self.message_json(replied, with_reply=False)
        if message.protected:
            result["has_protected_content"] = True
        if message.photo is not None:
            result["photo"] = message.photo.sizes
            if message.caption:
                result["caption"] = message.caption
                if message.caption_entities:
                    result["caption_entities"] = message.caption_entities
        else:
            result["text"] = message.text or ""
            if message.entities:
                result["entities"] = message.entities
            if message.link_preview_options:
                result["link_preview_options"] = message.link_preview_options
        if message.reply_markup is not None:
            result["reply_markup"] = message.reply_markup
        return result

    def chat_instance(self, chat_id: int) -> str:
        """CallbackQuery.chat_instance: a stable signed 64-bit number per (bot, chat)."""
        mixed = (chat_id * 0x9E3779B97F4A7C15 + self.id * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        return str(mixed - 2**63)

    # -- updates ------------------------------------------------------------------------------

    def add_update(
        self, kind: str, payload: dict[str, Any], chat_id: int, *, deliver: bool = True
    ) -> int | None:
        """Queue an update unless allowed_updates excludes its type; returns its update_id.

        With `deliver=False` the update only gets its update_id: the caller delivers it.
        """
        allowed = self.allowed_updates or _DEFAULT_UPDATE_TYPES
        if kind not in allowed:
            return None
        update = _Update(self.next_update_id, kind, payload, chat_id)
        self.next_update_id += 1
        if not deliver:
            return update.update_id
        self.pending.append(update)
        for waiter in self.update_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.update_waiters.clear()
        self.wake.set()
        return update.update_id

    def abort_long_poll(self, reason: str) -> None:
        if self.long_poll is not None and not self.long_poll.done():
            self.long_poll.set_result(reason)
        self.long_poll = None

    def record(self, chat_id: int, event: dict[str, Any]) -> None:
        self.transcripts.setdefault(chat_id, []).append(event)

    def chat(self, chat_id_raw: str) -> _User:
        """Client::check_chat for private chats with users who started the bot."""
        if not chat_id_raw:
            raise _bad("chat_id is empty")
        chat_id = _to_int(chat_id_raw)
        user = self.users.get(chat_id)
        if chat_id_raw.startswith("@") or user is None:
            raise _bad("chat not found")
        return user

    def writable_chat(self, chat_id_raw: str) -> _User:
        user = self.chat(chat_id_raw)
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return user


def _to_int(raw: str) -> int:
    """td::to_integer: the leading integer of the string, 0 if there is none."""
    m = re.match(r"\s*([+-]?\d+)", raw)
    return int(m.group(1)) if m else 0


def _to_bool(raw: str) -> bool:
    """Client::to_bool: "true", "yes" or "1", case-insensitive."""
    return raw.strip().lower() in {"true", "yes", "1"}


def _clamped_int(raw: str, default: int, low: int, high: int) -> int:
    """Client::get_integer_arg."""
    value = default if raw == "" else _to_int(raw)
    return max(low, min(high, value))


class TelegramState:
    """The in-memory Telegram: one bot per token, the users who talk to it, their chats.

    Args:
        tokens: bot tokens the stand-in accepts ("<bot id>:<secret>"); each is its own bot.
        bot_username: the first bot's username (later tokens get `<name>_<n>_bot`).
        bot_first_name: the bots' display name.
        first_update_id: the first update_id (default: random, as Telegram starts bots at a
            random point; it never goes back, not even on reset).
        webhook_retry_scale: multiplies webhook retry delays (tests use a small value).
        webhook_timeout_seconds: how long a webhook delivery waits for the receiver's answer.
        callback_query_ttl_seconds: how long answerCallbackQuery accepts a query id.
        clock: wall clock for message dates (unix seconds).
    """

    def __init__(
        self,
        tokens: Iterable[str],
        bot_username: str = "xrpbot_sandbox_bot",
        *,
        bot_first_name: str = "xrpbot sandbox",
        first_update_id: int | None = None,
        webhook_retry_scale: float = 1.0,
        webhook_timeout_seconds: float = 60.0,
        callback_query_ttl_seconds: float = 15.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._update_id_seed = first_update_id
        self.webhook_retry_scale = webhook_retry_scale
        self.webhook_timeout_seconds = webhook_timeout_seconds
        self.callback_query_ttl_seconds = callback_query_ttl_seconds
        self.clock = clock
        self.bots: dict[str, _BotState] = {}
        self.closing = False
        self._last_used: _BotState | None = None
        for index, token in enumerate(dict.fromkeys(t.strip() for t in tokens if t.strip())):
            if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token):
                raise ValueError("a bot token looks like '<digits>:<letters, digits, _ or ->'")
            if any(b.id == int(token.split(":")[0]) for b in self.bots.values()):
                raise ValueError("two tokens for the same bot id")
            name = (
                bot_username
                if index == 0
                else f"{bot_username.removesuffix('bot')}{index + 1}_bot"
            )
            self.bots[token] = _BotState(self, token, name, bot_first_name)
        if not self.bots:
            raise ValueError("at least one bot token is needed")

    def _first_update_id(self) -> int:
        if self._update_id_seed is not None:
            return self._update_id_seed
        return 100_000_000 + secrets.randbelow(800_000_000)

    def now(self) -> int:
        """The current unix time in whole seconds (Message.date)."""
        return int(self.clock())

    def bot(self, bot_id: int | str | None = None) -> _BotState:
        """The bot the control API acts on: by id, else the one that called the Bot API last."""
        if bot_id is not None and str(bot_id) != "":
            for bot in self.bots.values():
                if str(bot.id) == str(bot_id):
                    return bot
            raise KeyError(f"no bot with id {bot_id}")
        if self._last_used is not None:
            return self._last_used
        return next(iter(self.bots.values()))


# ---------------------------------------------------------------------------------------------
# Bot API methods
# ---------------------------------------------------------------------------------------------


@dataclass
class _Upload:
    filename: str
    data: bytes


@dataclass
class _Args:
    values: dict[str, str]
    files: dict[str, _Upload]

    def __call__(self, name: str) -> str:
        return self.values.get(name, "")


_Handler = Callable[[_BotState, _Args], Awaitable[Any]]


def _message_by_id(bot: _BotState, user: _User, raw_message_id: str, what: str) -> _Message:
    message_id = _to_int(raw_message_id) if raw_message_id else 0
    message = bot.messages.get(user.id, {}).get(message_id)
    if message_id <= 0 or message is None or message.deleted:
        raise _bad(f"{what} not found")
    return message


def _reply_to(bot: _BotState, user: _User, args: _Args) -> int | None:
    """reply_parameters / reply_to_message_id (Client::get_reply_parameters)."""
    allow_missing = _to_bool(args("allow_sending_without_reply"))
    message_id = 0
    if args("reply_parameters"):
        value = _json_arg(args("reply_parameters"), "can't parse reply parameters JSON object")
        if not isinstance(value, dict):
            raise _bad("object expected as reply parameters")
        raw_id = value.get("message_id")
        message_id = raw_id if isinstance(raw_id, int) else 0
        allow_missing = bool(value.get("allow_sending_without_reply", allow_missing))
    elif args("reply_to_message_id"):
        message_id = _to_int(args("reply_to_message_id"))
    if message_id <= 0:
        return None
    target = bot.messages.get(user.id, {}).get(message_id)
    if target is None or target.deleted:
        if allow_missing:
            return None
        raise _bad("message to be replied not found")
    return message_id


def _link_preview(args: _Args) -> dict[str, Any] | None:
    """Client::get_link_preview_options, as JsonLinkPreviewOptions returns them."""
    raw = args("link_preview_options")
    if not raw:
        return {"is_disabled": True} if _to_bool(args("disable_web_page_preview")) else None
    value = _json_arg(raw, "can't parse link preview options JSON object")
    if not isinstance(value, dict):
        raise _bad("object expected as link preview options")
    result: dict[str, Any] = {}
    if value.get("is_disabled"):
        result["is_disabled"] = True
    if value.get("url"):
        result["url"] = value["url"]
    for key in ("prefer_small_media", "prefer_large_media", "show_above_text"):
        if value.get(key):
            result[key] = True
    return result or None


def _check_flood(bot: _BotState, method: str, chat_id: int | None) -> None:
    """Telegram's flood control, when switched on (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
    about 1 message per second per chat with short bursts, about 30 per second overall (token
    buckets), and no more than 20 messages per minute to one group (a sliding window; group
    ids are negative). Over a limit: 429 "Too Many Requests: retry after N" with
    `parameters.retry_after` = N (https://core.telegram.org/bots/api#responseparameters), and
    the message is not sent. Each 429 is counted (`GET /sandbox/flood`)."""
    if bot.flood is None or method not in {
        "sendmessage",
        "sendphoto",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
    }:
        return
    now = time.monotonic()
    keys: list[tuple[int, float, float]] = [
        (0, bot.flood["global_burst"], bot.flood["global_per_second"])
    ]
    if chat_id is not None:
        keys.append((chat_id, bot.flood["chat_burst"], bot.flood["chat_per_second"]))
    waits: list[float] = []
    if chat_id is not None and chat_id < 0:
        window = bot.flood.get("group_window_seconds", 60.0)
        sent = bot.group_sends.setdefault(chat_id, deque())
        while sent and sent[0] <= now - window:
            sent.popleft()
        if len(sent) >= bot.flood.get("group_per_minute", 20):
            waits.append(sent[0] + window - now)
    for key, burst, rate in keys:
        bucket = bot.buckets.setdefault(key, _Bucket(burst, rate, burst, now))
        wait = bucket.peek(now)
        if wait > 0:
            waits.append(wait)
    if waits:
        seconds = max(1, math.ceil(max(waits)))
        bot.flood_rejected += 1
        bot.flood_rejected_chats[chat_id or 0] = bot.flood_rejected_chats.get(chat_id or 0, 0) + 1
        raise ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
    for key, _, _ in keys:  # within every limit: the message counts against each
        bot.buckets[key].take(now)
    if chat_id is not None and chat_id < 0:
        bot.group_sends[chat_id].append(now)


async def _get_me(bot: _BotState, args: _Args) -> Any:
    return bot.as_user(full=True)


async def _log_out(bot: _BotState, args: _Args) -> Any:
    return True


def _message_text(args: _Args) -> tuple[str, list[dict[str, Any]]]:
    """The `text` of sendMessage / editMessageText after entity parsing, checked as Telegram does:
    not empty, at most 4096 characters (Client::get_input_message_text)."""
    raw = args("text")
    if not raw:
        raise _bad("message text is empty")
    return _formatted(
        raw,
        args("parse_mode"),
        args("entities"),
        allow_empty=False,
        limit=TEXT_LENGTH_MAX,
        too_long="message is too long",
    )


async def _send_message(bot: _BotState, args: _Args) -> Any:
    """sendMessage: Client::process_send_message_query → get_input_message_text, check_chat."""
    text, entities = _message_text(args)
    preview = _link_preview(args)
    markup, other = _parse_reply_markup(args("reply_markup"))
    user = bot.writable_chat(args("chat_id"))
    reply_to = _reply_to(bot, user, args)
    _check_flood(bot, "sendmessage", user.id)
    message = _Message(
        message_id=bot.next_message_id(user.id),
        chat_id=user.id,
        date=bot.owner.now(),
        from_bot=True,
        text=text,
        entities=entities,
        reply_markup=markup,
        other_markup=other,
        link_preview_options=preview,
        protected=_to_bool(args("protect_content")),
        reply_to=reply_to,
    )
    return _store_bot_message(bot, message)


def _store_bot_message(bot: _BotState, message: _Message) -> dict[str, Any]:
    bot.messages.setdefault(message.chat_id, {})[message.message_id] = message
    bot.record(
        message.chat_id,
        {"kind": "bot_message", "message_id": message.message_id, "date": message.date},
    )
    return bot.message_json(message)


async def _send_photo(bot: _BotState, args: _Args) -> Any:
    """sendPhoto: Client::process_send_photo_query; uploads via multipart or `attach://<name>`."""
    upload = args.files.get("photo")
    reference = args("photo")
    if upload is None and reference.startswith("attach://"):
        upload = args.files.get(reference.removeprefix("attach://"))
        if upload is None:
            raise _bad("there is no photo in the request")
    if upload is None and not reference:
        raise _bad("there is no photo in the request")
    caption, caption_entities = _formatted(
        args("caption"),
        args("parse_mode"),
        args("caption_entities"),
        allow_empty=True,
        limit=CAPTION_LENGTH_MAX,
        too_long="message caption is too long",
    )
    markup, other = _parse_reply_markup(args("reply_markup"))
    user = bot.writable_chat(args("chat_id"))
    reply_to = _reply_to(bot, user, args)
    if upload is not None:
        size = image_size(upload.data)
        if not upload.data or size is None:
            raise _bad("IMAGE_PROCESS_FAILED")
        width, height = size
        if width + height > 10_000 or max(width, height) > 20 * max(1, min(width, height)):
            raise _bad("PHOTO_INVALID_DIMENSIONS")
        photo = _Photo(upload.data, _photo_sizes(upload.data, width, height))
        for item in photo.sizes:
            bot.files[item["file_id"]] = photo
    else:
        known = bot.files.get(reference)
        if known is None:
            raise _bad("wrong file identifier/HTTP URL specified")
        photo = known
    _check_flood(bot, "sendphoto", user.id)
    message = _Message(
        message_id=bot.next_message_id(user.id),
        chat_id=user.id,
        date=bot.owner.now(),
        from_bot=True,
        photo=photo,
        caption=caption,
        caption_entities=caption_entities,
        reply_markup=markup,
        other_markup=other,
        protected=_to_bool(args("protect_content")),
        reply_to=reply_to,
    )
    return _store_bot_message(bot, message)


def _editable(bot: _BotState, args: _Args) -> _Message:
    """check_message(..., "message to edit") plus td's "Message can't be edited" rule."""
    if not args("chat_id") and not args("message_id"):
        if not args("inline_message_id"):
            raise _bad("message identifier is not specified")
        raise _bad("invalid inline message identifier specified")  # no inline mode here
    user = bot.chat(args("chat_id"))
    message = _message_by_id(bot, user, args("message_id"), "message to edit")
    if not message.from_bot:
        raise _bad("message can't be edited")
    return message


def _snapshot(message: _Message) -> dict[str, Any]:
    snap: dict[str, Any] = {"reply_markup": message.reply_markup, "edit_date": message.edit_date}
    if message.photo is not None:
        snap["caption"] = message.caption
        snap["caption_entities"] = message.caption_entities
    else:
        snap["text"] = message.text
        snap["entities"] = message.entities
    return snap


def _apply_edit(bot: _BotState, message: _Message, **changes: Any) -> dict[str, Any]:
    """Apply an edit, or refuse it with MESSAGE_NOT_MODIFIED when nothing visible changes."""
    before = _snapshot(message)
    after = {key: changes.get(key, value) for key, value in before.items()}
    if after == before:
        raise ApiError(400, NOT_MODIFIED)
    message.edits.append(before)
    for key, value in changes.items():
        setattr(message, key, value)
    message.edit_date = bot.owner.now()
    return bot.message_json(message)


async def _edit_message_text(bot: _BotState, args: _Args) -> Any:
    """editMessageText: a missing reply_markup removes the inline keyboard, as in Telegram."""
    text, entities = _message_text(args)
    preview = _link_preview(args)
    markup, _ = _parse_reply_markup(args("reply_markup"))
    message = _editable(bot, args)
    if message.photo is not None:
        raise _bad("there is no text in the message to edit")
    _check_flood(bot, "editmessagetext", message.chat_id)
    return _apply_edit(
        bot,
        message,
        text=text,
        entities=entities,
        reply_markup=markup,
        link_preview_options=preview,
    )


async def _edit_message_caption(bot: _BotState, args: _Args) -> Any:
    """editMessageCaption on a photo message."""
    caption, caption_entities = _formatted(
        args("caption"),
        args("parse_mode"),
        args("caption_entities"),
        allow_empty=True,
        limit=CAPTION_LENGTH_MAX,
        too_long="message caption is too long",
    )
    markup, _ = _parse_reply_markup(args("reply_markup"))
    message = _editable(bot, args)
    if message.photo is None:
        raise _bad("there is no caption in the message to edit")
    _check_flood(bot, "editmessagecaption", message.chat_id)
    return _apply_edit(
        bot, message, caption=caption, caption_entities=caption_entities, reply_markup=markup
    )


async def _edit_message_reply_markup(bot: _BotState, args: _Args) -> Any:
    """editMessageReplyMarkup: no reply_markup means "remove the keyboard"."""
    markup, _ = _parse_reply_markup(args("reply_markup"))
    message = _editable(bot, args)
    _check_flood(bot, "editmessagereplymarkup", message.chat_id)
    return _apply_edit(bot, message, reply_markup=markup)


async def _delete_message(bot: _BotState, args: _Args) -> Any:
    """deleteMessage: the bot's own messages and, in private chats, the user's."""
    user = bot.chat(args("chat_id"))
    message = _message_by_id(bot, user, args("message_id"), "message to delete")
    message.deleted = True
    bot.record(
        user.id,
        {"kind": "deleted", "message_id": message.message_id, "date": bot.owner.now()},
    )
    return True


async def _answer_callback_query(bot: _BotState, args: _Args) -> Any:
    """answerCallbackQuery: an unknown, answered or expired id is QUERY_ID_INVALID."""
    query = bot.callback_queries.get(args("callback_query_id"))
    if (
        query is None
        or query.answered
        or time.monotonic() - query.created_at > bot.owner.callback_query_ttl_seconds
    ):
        raise _bad("query is too old and response timeout expired or query ID is invalid")
    query.answered = True
    bot.record(
        query.chat_id,
        {
            "kind": "callback_answer",
            "callback_query_id": query.id,
            "text": args("text"),
            "show_alert": _to_bool(args("show_alert")),
            "url": args("url") or None,
            "date": bot.owner.now(),
        },
    )
    return True


async def _send_chat_action(bot: _BotState, args: _Args) -> Any:
    """sendChatAction: Client::get_chat_action's list of actions."""
    action = args("action").lower()
    if action not in _CHAT_ACTIONS:
        raise _bad("wrong parameter action in request")
    user = bot.writable_chat(args("chat_id"))
    bot.record(user.id, {"kind": "chat_action", "action": action, "date": bot.owner.now()})
    return True


def _scope_key(bot: _BotState, args: _Args) -> tuple[str, dict[str, Any], str]:
    scope = _parse_scope(args("scope"))
    if "chat_id" in scope:
        user = bot.chat(str(scope["chat_id"]))
        scope["chat_id"] = user.id
    language = args("language_code")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise _bad("invalid language code specified")
    key = json.dumps([scope, language], sort_keys=True)
    return key, scope, language


async def _set_my_commands(bot: _BotState, args: _Args) -> Any:
    """setMyCommands: stored per (scope, language_code); an empty list deletes them."""
    commands = _parse_commands(args("commands"))
    key, scope, language = _scope_key(bot, args)
    if commands:
        bot.commands[key] = (scope, language, commands)
    else:
        bot.commands.pop(key, None)
    return True


async def _get_my_commands(bot: _BotState, args: _Args) -> Any:
    key, _, _ = _scope_key(bot, args)
    entry = bot.commands.get(key)
    return entry[2] if entry else []


async def _delete_my_commands(bot: _BotState, args: _Args) -> Any:
    key, _, _ = _scope_key(bot, args)
    bot.commands.pop(key, None)
    return True


def _allowed_updates(raw: str) -> frozenset[str] | None:
    """Client::get_allowed_update_types: None keeps the previous setting."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    names = frozenset(v.lower() for v in value) & frozenset(_UPDATE_TYPES)
    return names or _DEFAULT_UPDATE_TYPES


def _set_allowed(bot: _BotState, raw: str) -> None:
    allowed = _allowed_updates(raw)
    if allowed is not None:
        bot.allowed_updates = None if allowed == _DEFAULT_UPDATE_TYPES else allowed


async def _get_updates(bot: _BotState, args: _Args) -> Any:
    """getUpdates: confirm below `offset`, return up to `limit`, long-poll for `timeout` s."""
    if bot.webhook is not None:
        raise ApiError(409, GETUPDATES_CONFLICT)
    offset = _clamped_int(args("offset"), 0, -(2**31), 2**31 - 1)
    limit = _clamped_int(args("limit"), 100, 1, 100)
    timeout = _clamped_int(args("timeout"), 0, 0, LONG_POLL_MAX_TIMEOUT)
    _set_allowed(bot, args("allowed_updates"))

    def take() -> list[dict[str, Any]]:
        nonlocal offset
        if offset < 0:
            bot.pending = bot.pending[offset:] if -offset < len(bot.pending) else bot.pending
            offset = 0
        if offset > 0:
            bot.pending = [u for u in bot.pending if u.update_id >= offset]
        return [u.as_json() for u in bot.pending[:limit]]

    result = take()
    if result or timeout == 0 or bot.owner.closing:
        return result
    bot.abort_long_poll(
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )
    loop = asyncio.get_running_loop()
    aborted: asyncio.Future[str] = loop.create_future()
    arrived: asyncio.Future[None] = loop.create_future()
    bot.long_poll = aborted
    bot.update_waiters.append(arrived)
    waiting: set[asyncio.Future[Any]] = {aborted, arrived}
    try:
        await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if bot.long_poll is aborted:
            bot.long_poll = None
        if not arrived.done():
            arrived.cancel()
    if aborted.done() and aborted.result():
        raise ApiError(409, aborted.result())
    if bot.webhook is not None:
        return []
    return take()


def _valid_webhook_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


async def _set_webhook(bot: _BotState, args: _Args) -> Any:
    """setWebhook (Client::process_set_webhook_query / do_set_webhook / finish_set_webhook)."""
    url = args("url")
    drop = _to_bool(args("drop_pending_updates"))
    if not url:
        return await _delete_webhook(bot, args)
    secret = args("secret_token")
    max_connections = _clamped_int(args("max_connections"), 40, 1, 100)
    current = bot.webhook
    if (
        current is not None
        and current.url == url
        and current.secret_token == secret
        and current.max_connections == max_connections
        and not drop
    ):
        _set_allowed(bot, args("allowed_updates"))
        return _Described(True, "Webhook is already set")
    if not _valid_webhook_url(url):
        raise _bad("invalid webhook URL specified")
    if len(secret) > 256:
        raise _bad("secret token is too long")
    if not re.fullmatch(r"[A-Za-z0-9_-]*", secret):
        raise _bad("secret token contains unallowed characters")
    if drop:
        bot.pending.clear()
    bot.abort_long_poll("Conflict: terminated by setWebhook request")
    bot.webhook = _Webhook(url, secret, max_connections, args("ip_address") or "127.0.0.1")
    _set_allowed(bot, args("allowed_updates"))
    for update in bot.pending:
        update.fail_count, update.delay, update.wakeup_at = 0, 1.0, 0.0
    bot.wake.set()
    return _Described(True, "Webhook was set")


async def _delete_webhook(bot: _BotState, args: _Args) -> Any:
    """deleteWebhook: "Webhook was deleted" or "Webhook is already deleted"."""
    if _to_bool(args("drop_pending_updates")):
        bot.pending.clear()
    if bot.webhook is None:
        return _Described(True, "Webhook is already deleted")
    bot.webhook = None
    bot.wake.set()
    return _Described(True, "Webhook was deleted")


async def _get_webhook_info(bot: _BotState, args: _Args) -> Any:
    """getWebhookInfo (Client::JsonWebhookInfo: fields appear only when set)."""
    hook = bot.webhook
    result: dict[str, Any] = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.pending),
    }
    if hook is not None:
        if hook.last_error_date is not None:
            result["last_error_date"] = hook.last_error_date
            result["last_error_message"] = hook.last_error_message
        result["max_connections"] = hook.max_connections
        result["ip_address"] = hook.ip_address
    if bot.allowed_updates is not None:
        result["allowed_updates"] = [t for t in _UPDATE_TYPES if t in bot.allowed_updates]
    return result


@dataclass
class _Described:
    """A result with Telegram's optional human-readable `description` beside it."""

    result: Any
    description: str


_METHODS: Final[dict[str, _Handler]] = {
    "getme": _get_me,
    "logout": _log_out,
    "close": _log_out,
    "getupdates": _get_updates,
    "setwebhook": _set_webhook,
    "deletewebhook": _delete_webhook,
    "getwebhookinfo": _get_webhook_info,
    "sendmessage": _send_message,
    "sendphoto": _send_photo,
    "editmessagetext": _edit_message_text,
    "editmessagecaption": _edit_message_caption,
    "editmessagereplymarkup": _edit_message_reply_markup,
    "deletemessage": _delete_message,
    "answercallbackquery": _answer_callback_query,
    "sendchataction": _send_chat_action,
    "setmycommands": _set_my_commands,
    "getmycommands": _get_my_commands,
    "deletemycommands": _delete_my_commands,
}
"""The implemented methods, by lower-cased name ("All methods in the Bot API are case-insensitive")."""

_JSON_PARAMS: Final = frozenset(
    _words(
        "reply_markup entities caption_entities commands scope allowed_updates "
        "link_preview_options reply_parameters"
    )
)


async def _call_method(bot: _BotState, method: str, args: _Args) -> dict[str, Any]:
    """Run one Bot API method; returns the response body (ok/result or the error)."""
    name = method.lower()
    bot.call_seq += 1
    entry: dict[str, Any] = {
        "seq": bot.call_seq,
        "method": method,
        "params": _loggable(args),
        "time": bot.owner.clock(),
    }
    bot.calls.append(entry)
    try:
        for failure in list(bot.failures):
            if failure.method is None or failure.method == name:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    bot.failures.remove(failure)
                raise ApiError(
                    failure.error_code, failure.description, retry_after=failure.retry_after
                )
        handler = _METHODS.get(name)
        if handler is None:
            if name in _KNOWN_METHODS:
                raise ApiError(
                    500, f"Internal Server Error: {method} is not implemented by the sandbox"
                )
            raise ApiError(404, "Not Found")
        value = await handler(bot, args)
    except ApiError as err:
        entry.update(ok=False, error_code=err.code, description=err.description)
        return err.body()
    entry["ok"] = True
    if isinstance(value, _Described):
        return {"ok": True, "result": value.result, "description": value.description}
    return {"ok": True, "result": value}


def _loggable(args: _Args) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in args.values.items():
        if key == "secret_token":
            params[key] = "<redacted>"
        elif key in _JSON_PARAMS:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        else:
            params[key] = value
    for key, upload in args.files.items():
        params[key] = {"filename": upload.filename, "size": len(upload.data)}
    return params


async def _read_args(request: web.Request) -> _Args:
    """Parameters from the query string and the body, as tdlib's HttpReader reads them.

    "We support GET and POST HTTP methods. We support four ways of passing parameters in Bot API
    requests: URL query string, application/x-www-form-urlencoded, application/json (except for
    uploading files), multipart/form-data (use to upload files)" (Making requests). In a JSON
    body, non-string values are passed on as their JSON text; malformed JSON is ignored.
    """
    values: dict[str, str] = {}
    files: dict[str, _Upload] = {}
    for key, value in request.query.items():
        values.setdefault(key, value)
    if request.body_exists:
        ctype = request.content_type
        if ctype == "application/json":
            raw = await request.read()
            with contextlib.suppress(ValueError):
                body = json.loads(raw)
                if isinstance(body, dict):
                    for key, item in body.items():
                        values[str(key)] = (
                            item
                            if isinstance(item, str)
                            else json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                        )
        elif ctype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            form = await request.post()
            for key, item in form.items():
                if isinstance(item, web.FileField):
                    files[key] = _Upload(item.filename, item.file.read())
                elif isinstance(item, str):
                    values[key] = item
                else:
                    values[key] = bytes(item).decode("utf-8", "replace")
    return _Args(values, files)


def _json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )


# ---------------------------------------------------------------------------------------------
# Webhook delivery (WebhookActor.cpp)
# ---------------------------------------------------------------------------------------------


def _next_deliverable(bot: _BotState, now: float) -> tuple[_Update | None, float | None]:
    """The oldest update that is first in its chat's queue and due; else when one will be."""
    seen: set[int] = set()
    soonest: float | None = None
    for update in bot.pending:
        if update.queue_key in seen:
            continue
        seen.add(update.queue_key)
        if update.wakeup_at <= now:
            return update, None
        soonest = update.wakeup_at if soonest is None else min(soonest, update.wakeup_at)
    return None, soonest


async def _deliver_forever(bot: _BotState, session: aiohttp.ClientSession) -> None:
    """POST pending updates to the webhook in order, retrying failures with backoff."""
    loop = asyncio.get_running_loop()
    while True:
        hook = bot.webhook
        wait: float | None = None
        update: _Update | None = None
        if hook is not None and bot.pending:
            update, wait = _next_deliverable(bot, loop.time())
        if hook is None or update is None:
            bot.wake.clear()
            timeout = None if wait is None else max(0.0, wait - loop.time())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bot.wake.wait(), timeout)
            continue
        await _deliver_one(bot, hook, update, session)


async def _deliver_one(
    bot: _BotState, hook: _Webhook, update: _Update, session: aiohttp.ClientSession
) -> None:
    headers = {"Content-Type": "application/json"}
    if hook.secret_token:
        headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
    body = json.dumps(update.as_json(), ensure_ascii=False).encode()
    error: str | None = None
    retry_after = 0
    reply: tuple[str, bytes, Any] | None = None
    try:
        async with session.post(
            hook.url,
            data=body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=bot.owner.webhook_timeout_seconds),
        ) as response:
            content = await response.read()
            if 200 <= response.status <= 299:
                reply = (response.content_type, content, response.headers)
            else:
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
                retry_after = _to_int(response.headers.get("Retry-After", ""))
    except TimeoutError:
        error = "Read timeout expired"
    except aiohttp.ClientConnectorError as err:
        os_error = err.os_error
        if os_error.errno == errno.ECONNREFUSED:
            error = "Connection refused"
        else:
            error = os_error.strerror or "Failed to connect"
    except aiohttp.ClientError as err:
        error = f"Webhook connection closed: {type(err).__name__}"
    if bot.webhook is not hook:
        return  # the webhook changed while this delivery was in flight
    if error is None:
        with contextlib.suppress(ValueError):
            bot.pending.remove(update)
        if reply is not None:
            await _webhook_reply(bot, *reply)
        return
    log.info("webhook delivery of update %d failed: %s", update.update_id, error)
    hook.last_error_date = bot.owner.now()
    hook.last_error_message = error
    # WebhookActor::on_update_error: retry at once after the first failure, then double the
    # delay up to a random 60..120 s; a Retry-After header from the receiver wins.
    retry_after = max(0, min(retry_after, 3600))
    delay = float(retry_after)
    if retry_after == 0 and update.fail_count > 0:
        cap = WEBHOOK_MAX_RESEND_TIMEOUT * (1 + secrets.randbelow(1000) / 1000)
        update.delay = min(cap, update.delay * 2)
        delay = update.delay
    update.fail_count += 1
    loop = asyncio.get_running_loop()
    update.wakeup_at = loop.time() + delay * bot.owner.webhook_retry_scale


async def _webhook_reply(bot: _BotState, content_type: str, content: bytes, headers: Any) -> None:
    """ "If you're using webhooks, you can perform a request to the Bot API while sending an
    answer to the webhook" (Making requests when getting updates): run the method in the reply.
    """
    values: dict[str, str] = {}
    files: dict[str, _Upload] = {}
    if content_type == "application/json":
        with contextlib.suppress(ValueError):
            body = json.loads(content)
            if isinstance(body, dict):
                for key, item in body.items():
                    values[str(key)] = (
                        item
                        if isinstance(item, str)
                        else json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                    )
    elif content_type == "application/x-www-form-urlencoded":
        values = dict(parse_qsl(content.decode("utf-8", "replace"), keep_blank_values=True))
    elif content_type == "multipart/form-data":
        values, files = _parse_multipart(content, headers.get("Content-Type", ""))
    method = values.pop("method", "")
    name = method.lower()
    if not name or name in {"deletewebhook", "setwebhook", "close", "logout"}:
        return
    if name.startswith("get"):
        return
    await _call_method(bot, method, _Args(values, files))


def _parse_multipart(
    content: bytes, content_type: str
) -> tuple[dict[str, str], dict[str, _Upload]]:
    """Read a multipart/form-data body (aiogram answers webhooks this way)."""
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + content
    )
    values: dict[str, str] = {}
    files: dict[str, _Upload] = {}
    if not isinstance(message, EmailMessage):
        return values, files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename:
            files[name] = _Upload(filename, data)
        else:
            values[name] = data.decode("utf-8", "replace")
    return values, files


# ---------------------------------------------------------------------------------------------
# The aiohttp application
# ---------------------------------------------------------------------------------------------

STATE_KEY: Final = web.AppKey("telegram_state", TelegramState)


def create_telegram_app(state: TelegramState) -> web.Application:
    """The Telegram stand-in as an aiohttp application.

    Bot API: `GET|POST /bot<token>/<method>` (unknown token → 401 "Unauthorized").

    Control API (JSON; add `bot_id` to pick a bot when several tokens are configured, else the bot
    that called the Bot API last is used):

    - `POST /sandbox/send` {user_id, text, first_name?, last_name?, username?, language_code?,
      deliver?} → {update_id, message_id, chat_id}: the user sends a message (and has started
      the bot). With `"deliver": false` the update is not queued for getUpdates or the webhook;
      the answer carries it as `update` (the exact Update JSON) for the caller to deliver, e.g.
      many at once as Telegram's parallel webhook connections do (the benchmark).
    - `POST /sandbox/press` {user_id, message_id, data, deliver?} → {update_id,
      callback_query_id}; 400 if that bot message has no inline button with this
      callback_data. `"deliver": false` as for send.
    - `GET /sandbox/messages?chat_id=N` → {messages: [...]} the bot's messages (not deleted),
      each {message_id, date, text, entities, caption, caption_entities, photo (bool),
      reply_markup, edit_date, edits: [earlier versions with edit_date]}.
    - `GET /sandbox/transcript?chat_id=N` → {chat_id, events: [...]} both sides in order.
    - `GET /sandbox/photo?chat_id=N&message_id=M` → the uploaded image bytes.
    - `GET /sandbox/commands` → {commands: [{scope, language_code, commands}]}.
    - `POST /sandbox/block` {user_id, blocked} → the user blocks (or unblocks) the bot.
    - `GET /sandbox/calls?method=X&after=S` → {calls: [{seq, method, params, time, ok, ...}],
      last_seq}: the Bot API calls received (the last 10,000), oldest first; `time` is the unix
      time (float seconds) the call arrived, `seq` numbers them, `after` keeps only those with a
      larger `seq` (to follow the log without reading it all again).
    - `GET /sandbox/updates` → {pending: [...], webhook: url or null}.
    - `POST /sandbox/fail` {method?, error_code, description?, retry_after?, count?} → the next
      `count` matching Bot API calls fail with that error.
    - `POST /sandbox/flood` {enabled, chat_per_second?, chat_burst?, global_per_second?,
      global_burst?, group_per_minute?} → switch Telegram-style 429 flood control on or off
      (and reset its counters).
    - `GET /sandbox/flood` → {enabled, settings..., rejected, rejected_by_chat}: the 429s flood
      control answered since it was switched on.
    - `POST /sandbox/reset` {full?} → forget users, chats, messages, pending updates, callback
      queries, calls and forced failures. The webhook registration and the commands stay (the
      gateway registers them once at start-up); `{"full": true}` drops them too. update_id and
      message_id counters never go back, so a gateway that remembers processed update ids keeps
      working.
    """
    app = web.Application(client_max_size=60 * 1024 * 1024)
    app[STATE_KEY] = state
    app.router.add_route("*", "/bot{token}/{method}", _bot_api)
    app.router.add_route("*", "/bot{token}", _bot_api_no_method)
    app.router.add_post("/sandbox/send", _control_send)
    app.router.add_post("/sandbox/press", _control_press)
    app.router.add_get("/sandbox/messages", _control_messages)
    app.router.add_get("/sandbox/transcript", _control_transcript)
    app.router.add_get("/sandbox/photo", _control_photo)
    app.router.add_get("/sandbox/commands", _control_commands)
    app.router.add_post("/sandbox/block", _control_block)
    app.router.add_get("/sandbox/calls", _control_calls)
    app.router.add_get("/sandbox/updates", _control_updates)
    app.router.add_post("/sandbox/fail", _control_fail)
    app.router.add_post("/sandbox/flood", _control_flood)
    app.router.add_get("/sandbox/flood", _control_flood_status)
    app.router.add_post("/sandbox/reset", _control_reset)
    app.cleanup_ctx.append(_delivery_context)
    app.on_shutdown.append(_on_shutdown)
    return app


async def _delivery_context(app: web.Application) -> AsyncIterator[None]:
    state = app[STATE_KEY]
    state.closing = False
    session = aiohttp.ClientSession()
    tasks = [
        asyncio.create_task(_deliver_forever(bot, session), name=f"webhook-{bot.id}")
        for bot in state.bots.values()
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await session.close()


async def _on_shutdown(app: web.Application) -> None:
    state = app[STATE_KEY]
    state.closing = True
    for bot in state.bots.values():
        bot.abort_long_poll("")
        for waiter in bot.update_waiters:
            if not waiter.done():
                waiter.set_result(None)


async def _bot_api(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    bot = state.bots.get(request.match_info["token"])
    if bot is None:
        return _json_response(ApiError(401, "Unauthorized").body(), 401)
    state._last_used = bot
    args = await _read_args(request)
    body = await _call_method(bot, request.match_info["method"], args)
    return _json_response(body, 200 if body["ok"] else int(body["error_code"]))


async def _bot_api_no_method(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    if request.match_info["token"] not in state.bots:
        return _json_response(ApiError(401, "Unauthorized").body(), 401)
    return _json_response(ApiError(404, "Not Found").body(), 404)


# -- control API ------------------------------------------------------------------------------


class _ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def _control_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise _ControlError(400, "the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise _ControlError(400, "the body must be a JSON object")
    return body


def _int_field(source: Any, name: str, *, required: bool = True) -> int:
    raw = source.get(name)
    if raw is None or raw == "":
        if required:
            raise _ControlError(400, f"{name} is required")
        return 0
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise _ControlError(400, f"{name} must be an integer") from None


def _control_bot(request: web.Request, body: dict[str, Any] | None = None) -> _BotState:
    state = request.app[STATE_KEY]
    raw = (body or {}).get("bot_id", request.query.get("bot_id"))
    try:
        return state.bot(raw)
    except KeyError as err:
        raise _ControlError(404, str(err)) from None


def _control(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except _ControlError as err:
            return web.json_response({"error": str(err)}, status=err.status)

    wrapped.__doc__ = handler.__doc__
    return wrapped


def _deliver_flag(body: dict[str, Any]) -> bool:
    value = body.get("deliver", True)
    if not isinstance(value, bool):
        raise _ControlError(400, "deliver must be true or false")
    return value


@_control
async def _control_send(request: web.Request) -> web.StreamResponse:
    """A user sends a text message to the bot (this also "starts" the bot for them)."""
    body = await _control_body(request)
    bot = _control_bot(request, body)
    user_id = _int_field(body, "user_id")
    if user_id <= 0:
        raise _ControlError(400, "user_id must be positive")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _ControlError(400, "text must be a non-empty string")
    user = bot.users.get(user_id)
    if user is not None and user.blocked:
        raise _ControlError(409, "this user blocked the bot; unblock with /sandbox/block first")
    first_name = body.get("first_name") or (user.first_name if user else f"User{user_id}")
    user = _User(
        id=user_id,
        first_name=str(first_name),
        last_name=body.get("last_name") or (user.last_name if user else None),
        username=body.get("username") or (user.username if user else None),
        language_code=body.get("language_code") or (user.language_code if user else None),
    )
    bot.users[user_id] = user
    text, entities = _finish_text(text, [], allow_empty=False)
    message = _Message(
        message_id=bot.next_message_id(user_id),
        chat_id=user_id,
        date=bot.owner.now(),
        from_bot=False,
        text=text,
        entities=entities,
    )
    bot.messages.setdefault(user_id, {})[message.message_id] = message
    payload = bot.message_json(message)
    deliver = _deliver_flag(body)
    update_id = bot.add_update("message", payload, user_id, deliver=deliver)
    bot.record(
        user_id,
        {
            "kind": "user_message",
            "message_id": message.message_id,
            "text": text,
            "date": message.date,
            "update_id": update_id,
        },
    )
    answer: dict[str, Any] = {
        "update_id": update_id,
        "message_id": message.message_id,
        "chat_id": user_id,
    }
    if not deliver and update_id is not None:
        answer["update"] = {"update_id": update_id, "message": payload}
    return web.json_response(answer)


@_control
async def _control_press(request: web.Request) -> web.StreamResponse:
    """A user presses an inline button of a bot message."""
    body = await _control_body(request)
    bot = _control_bot(request, body)
    user_id = _int_field(body, "user_id")
    message_id = _int_field(body, "message_id")
    data = body.get("data")
    if not isinstance(data, str) or not data:
        raise _ControlError(400, "data (the button's callback_data) is required")
    user = bot.users.get(user_id)
    message = bot.messages.get(user_id, {}).get(message_id)
    if user is None or message is None or message.deleted or not message.from_bot:
        raise _ControlError(400, f"there is no bot message {message_id} in chat {user_id}")
    buttons = [b for row in (message.reply_markup or {}).get("inline_keyboard", []) for b in row]
    if not any(b.get("callback_data") == data for b in buttons):
        raise _ControlError(400, f"message {message_id} has no button with callback_data {data!r}")
    if user.blocked:
        raise _ControlError(409, "this user blocked the bot; unblock with /sandbox/block first")
    query_id = str(secrets.randbelow(2**63 - 2**60) + 2**60)
    bot.callback_queries[query_id] = _CallbackQuery(
        query_id, user_id, user_id, message_id, time.monotonic()
    )
    payload = {
        "id": query_id,
        "from": user.as_user(),
        "message": bot.message_json(message),
        "chat_instance": bot.chat_instance(user_id),
        "data": data,
    }
    deliver = _deliver_flag(body)
    update_id = bot.add_update("callback_query", payload, user_id, deliver=deliver)
    bot.record(
        user_id,
        {
            "kind": "button_press",
            "message_id": message_id,
            "data": data,
            "callback_query_id": query_id,
            "date": bot.owner.now(),
            "update_id": update_id,
        },
    )
    answer: dict[str, Any] = {"update_id": update_id, "callback_query_id": query_id}
    if not deliver and update_id is not None:
        answer["update"] = {"update_id": update_id, "callback_query": payload}
    return web.json_response(answer)


def _message_view(message: _Message) -> dict[str, Any]:
    view: dict[str, Any] = {
        "message_id": message.message_id,
        "date": message.date,
        "text": message.text,
        "entities": message.entities,
        "caption": (message.caption or None) if message.photo is not None else None,
        "caption_entities": message.caption_entities,
        "photo": message.photo is not None,
        "reply_markup": message.reply_markup,
        "edit_date": message.edit_date,
        "edits": message.edits,
    }
    if message.other_markup is not None:
        view["keyboard"] = message.other_markup
    return view


@_control
async def _control_messages(request: web.Request) -> web.StreamResponse:
    """The bot's messages in a chat, oldest first, as they stand now."""
    bot = _control_bot(request)
    chat_id = _int_field(request.query, "chat_id")
    messages = [
        _message_view(m)
        for m in bot.messages.get(chat_id, {}).values()
        if m.from_bot and not m.deleted
    ]
    return web.json_response({"messages": messages})


@_control
async def _control_transcript(request: web.Request) -> web.StreamResponse:
    """Both sides of a chat in order; bot messages show their final version."""
    bot = _control_bot(request)
    chat_id = _int_field(request.query, "chat_id")
    events: list[dict[str, Any]] = []
    chat_messages = bot.messages.get(chat_id, {})
    for event in bot.transcripts.get(chat_id, []):
        if event["kind"] == "bot_message":
            message = chat_messages[event["message_id"]]
            view = _message_view(message)
            view.pop("edits")
            view.update(kind="bot_message", edited=bool(message.edits), deleted=message.deleted)
            events.append(view)
        else:
            events.append(dict(event))
    return web.json_response({"chat_id": chat_id, "events": events})


@_control
async def _control_photo(request: web.Request) -> web.StreamResponse:
    """The image bytes the bot uploaded with sendPhoto."""
    bot = _control_bot(request)
    chat_id = _int_field(request.query, "chat_id")
    message_id = _int_field(request.query, "message_id")
    message = bot.messages.get(chat_id, {}).get(message_id)
    if message is None or message.photo is None:
        raise _ControlError(404, f"no photo message {message_id} in chat {chat_id}")
    data = message.photo.data
    return web.Response(body=data, content_type=_image_mime(data))


@_control
async def _control_commands(request: web.Request) -> web.StreamResponse:
    """What setMyCommands stored, per scope and language."""
    bot = _control_bot(request)
    return web.json_response(
        {
            "commands": [
                {"scope": scope, "language_code": language, "commands": commands}
                for scope, language, commands in bot.commands.values()
            ]
        }
    )


@_control
async def _control_block(request: web.Request) -> web.StreamResponse:
    """A user blocks or unblocks the bot: sends to them then fail with 403."""
    body = await _control_body(request)
    bot = _control_bot(request, body)
    user_id = _int_field(body, "user_id")
    user = bot.users.get(user_id)
    if user is None:
        raise _ControlError(404, f"user {user_id} never started the bot")
    user.blocked = bool(body.get("blocked", True))
    bot.record(
        user_id,
        {"kind": "blocked" if user.blocked else "unblocked", "date": bot.owner.now()},
    )
    return web.json_response({"user_id": user_id, "blocked": user.blocked})


@_control
async def _control_calls(request: web.Request) -> web.StreamResponse:
    """The Bot API calls received (the token is never part of them)."""
    bot = _control_bot(request)
    method = request.query.get("method", "").lower()
    after = _int_field(request.query, "after", required=False)
    newer: list[dict[str, Any]] = []
    for call in reversed(bot.calls):  # newest first: stop at the first one already seen
        if call["seq"] <= after:
            break
        newer.append(call)
    newer.reverse()
    calls = [c for c in newer if not method or c["method"].lower() == method]
    return web.json_response({"calls": calls, "last_seq": bot.call_seq})


@_control
async def _control_updates(request: web.Request) -> web.StreamResponse:
    """Updates not yet confirmed by getUpdates or accepted by the webhook."""
    bot = _control_bot(request)
    return web.json_response(
        {
            "pending": [u.as_json() for u in bot.pending],
            "webhook": bot.webhook.url if bot.webhook else None,
        }
    )


@_control
async def _control_fail(request: web.Request) -> web.StreamResponse:
    """Make the next Bot API call(s) fail with a given error (429, 5xx, ...)."""
    body = await _control_body(request)
    bot = _control_bot(request, body)
    code = _int_field(body, "error_code")
    retry_after = _int_field(body, "retry_after", required=False) or None
    default = {
        429: f"Too Many Requests: retry after {retry_after or 1}",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(code, "Bad Request")
    if code == 429 and retry_after is None:
        retry_after = 1
    method = body.get("method")
    bot.failures.append(
        _ForcedFailure(
            method=str(method).lower() if method else None,
            error_code=code,
            description=str(body.get("description") or default),
            retry_after=retry_after,
            remaining=max(1, _int_field(body, "count", required=False) or 1),
        )
    )
    return web.json_response({"ok": True})


@_control
async def _control_flood(request: web.Request) -> web.StreamResponse:
    """Switch flood control (429 "Too Many Requests: retry after N") on or off."""
    body = await _control_body(request)
    bot = _control_bot(request, body)
    bot.buckets.clear()
    bot.group_sends.clear()
    bot.flood_rejected = 0
    bot.flood_rejected_chats.clear()
    if not body.get("enabled", True):
        bot.flood = None
        return web.json_response({"enabled": False})
    bot.flood = {
        "chat_per_second": float(body.get("chat_per_second", 1.0)),
        "chat_burst": float(body.get("chat_burst", 3)),
        "global_per_second": float(body.get("global_per_second", 30.0)),
        "global_burst": float(body.get("global_burst", 30)),
        "group_per_minute": float(body.get("group_per_minute", 20)),
        "group_window_seconds": 60.0,
    }
    return web.json_response({"enabled": True, **bot.flood})


@_control
async def _control_flood_status(request: web.Request) -> web.StreamResponse:
    """Flood control's settings and the 429s it answered since it was switched on."""
    bot = _control_bot(request)
    return web.json_response(
        {
            "enabled": bot.flood is not None,
            **(bot.flood or {}),
            "rejected": bot.flood_rejected,
            "rejected_by_chat": {str(k): v for k, v in bot.flood_rejected_chats.items()},
        }
    )


@_control
async def _control_reset(request: web.Request) -> web.StreamResponse:
    """Clear the chats; keep the webhook and commands unless `full`."""
    body = await _control_body(request) if request.body_exists else {}
    bots = (
        [_control_bot(request, body)]
        if body.get("bot_id") or request.query.get("bot_id")
        else list(request.app[STATE_KEY].bots.values())
    )
    for bot in bots:
        bot.abort_long_poll("")
        bot.clear()
        bot.flood = None
        if body.get("full"):
            bot.webhook = None
            bot.allowed_updates = None
            bot.commands.clear()
    return web.json_response({"ok": True, "kept_webhook": not body.get("full")})
