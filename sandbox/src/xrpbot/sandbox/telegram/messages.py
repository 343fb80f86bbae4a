"""Bot API methods on messages: send, edit, delete, answer callback queries, chat actions."""

from __future__ import annotations

import time
from typing import Any, Final

from .args import Args, json_arg, to_bool, to_int
from .constants import CAPTION_LENGTH_MAX, CHAT_ACTIONS, NOT_MODIFIED, TEXT_LENGTH_MAX
from .entities import formatted_text
from .errors import ApiError, bad_request
from .flood import check_flood
from .images import image_size, photo_sizes
from .markup import parse_reply_markup
from .state import BotState, Chat, Message, Photo


def _message_by_id(bot: BotState, chat: Chat, raw_message_id: str, what: str) -> Message:
    message_id = to_int(raw_message_id) if raw_message_id else 0
    message = bot.messages.get(chat.id, {}).get(message_id)
    if message_id <= 0 or message is None or message.deleted:
        raise bad_request(f"{what} not found")
    return message


def _reply_to(bot: BotState, chat: Chat, args: Args) -> int | None:
    """reply_parameters / reply_to_message_id (Client::get_reply_parameters)."""
    allow_missing = to_bool(args("allow_sending_without_reply"))
    message_id = 0
    if args("reply_parameters"):
        value = json_arg(args("reply_parameters"), "can't parse reply parameters JSON object")
        if not isinstance(value, dict):
            raise bad_request("object expected as reply parameters")
        raw_id = value.get("message_id")
        message_id = raw_id if isinstance(raw_id, int) else 0
        allow_missing = bool(value.get("allow_sending_without_reply", allow_missing))
    elif args("reply_to_message_id"):
        message_id = to_int(args("reply_to_message_id"))
    if message_id <= 0:
        return None
    target = bot.messages.get(chat.id, {}).get(message_id)
    if target is None or target.deleted:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return message_id


def _link_preview(args: Args) -> dict[str, Any] | None:
    """Client::get_link_preview_options, as JsonLinkPreviewOptions returns them."""
    raw = args("link_preview_options")
    if not raw:
        return {"is_disabled": True} if to_bool(args("disable_web_page_preview")) else None
    value = json_arg(raw, "can't parse link preview options JSON object")
    if not isinstance(value, dict):
        raise bad_request("object expected as link preview options")
    result: dict[str, Any] = {}
    if value.get("is_disabled"):
        result["is_disabled"] = True
    if value.get("url"):
        result["url"] = value["url"]
    for key in ("prefer_small_media", "prefer_large_media", "show_above_text"):
        if value.get(key):
            result[key] = True
    return result or None


def _message_text(args: Args) -> tuple[str, list[dict[str, Any]]]:
    """The `text` of sendMessage / editMessageText after entity parsing, checked as Telegram does:
    not empty, at most 4096 characters (Client::get_input_message_text)."""
    raw = args("text")
    if not raw:
        raise bad_request("message text is empty")
    return formatted_text(
        raw,
        args("parse_mode"),
        args("entities"),
        allow_empty=False,
        limit=TEXT_LENGTH_MAX,
        too_long="message is too long",
    )


async def _send_message(bot: BotState, args: Args) -> Any:
    """sendMessage: Client::process_send_message_query → get_input_message_text, check_chat."""
    text, entities = _message_text(args)
    preview = _link_preview(args)
    markup, other = parse_reply_markup(args("reply_markup"))
    chat = bot.writable_chat(args("chat_id"))
    reply_to = _reply_to(bot, chat, args)
    check_flood(bot, "sendmessage", chat.id)
    message = Message(
        message_id=bot.next_message_id(chat.id),
        chat_id=chat.id,
        date=bot.owner.now(),
        from_bot=True,
        text=text,
        entities=entities,
        reply_markup=markup,
        other_markup=other,
        link_preview_options=preview,
        protected=to_bool(args("protect_content")),
        reply_to=reply_to,
    )
    return _store_bot_message(bot, message)


def _store_bot_message(bot: BotState, message: Message) -> dict[str, Any]:
    bot.messages.setdefault(message.chat_id, {})[message.message_id] = message
    bot.record(
        message.chat_id,
        {"kind": "bot_message", "message_id": message.message_id, "date": message.date},
    )
    return bot.message_json(message)


async def _send_photo(bot: BotState, args: Args) -> Any:
    """sendPhoto: Client::process_send_photo_query; uploads via multipart or `attach://<name>`."""
    upload = args.files.get("photo")
    reference = args("photo")
    if upload is None and reference.startswith("attach://"):
        upload = args.files.get(reference.removeprefix("attach://"))
        if upload is None:
            raise bad_request("there is no photo in the request")
    if upload is None and not reference:
        raise bad_request("there is no photo in the request")
    caption, caption_entities = formatted_text(
        args("caption"),
        args("parse_mode"),
        args("caption_entities"),
        allow_empty=True,
        limit=CAPTION_LENGTH_MAX,
        too_long="message caption is too long",
    )
    markup, other = parse_reply_markup(args("reply_markup"))
    chat = bot.writable_chat(args("chat_id"))
    reply_to = _reply_to(bot, chat, args)
    if upload is not None:
        size = image_size(upload.data)
        if not upload.data or size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        width, height = size
        if width + height > 10_000 or max(width, height) > 20 * max(1, min(width, height)):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        photo = Photo(upload.data, photo_sizes(upload.data, width, height))
        for item in photo.sizes:
            bot.files[item["file_id"]] = photo
    else:
        known = bot.files.get(reference)
        if known is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        photo = known
    check_flood(bot, "sendphoto", chat.id)
    message = Message(
        message_id=bot.next_message_id(chat.id),
        chat_id=chat.id,
        date=bot.owner.now(),
        from_bot=True,
        photo=photo,
        caption=caption,
        caption_entities=caption_entities,
        reply_markup=markup,
        other_markup=other,
        protected=to_bool(args("protect_content")),
        reply_to=reply_to,
    )
    return _store_bot_message(bot, message)


def _editable(bot: BotState, args: Args) -> Message:
    """check_message(..., "message to edit") plus td's "Message can't be edited" rule."""
    if not args("chat_id") and not args("message_id"):
        if not args("inline_message_id"):
            raise bad_request("message identifier is not specified")
        raise bad_request("invalid inline message identifier specified")  # no inline mode here
    chat = bot.chat(args("chat_id"))
    message = _message_by_id(bot, chat, args("message_id"), "message to edit")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _snapshot(message: Message) -> dict[str, Any]:
    snap: dict[str, Any] = {"reply_markup": message.reply_markup, "edit_date": message.edit_date}
    if message.photo is not None:
        snap["caption"] = message.caption
        snap["caption_entities"] = message.caption_entities
    else:
        snap["text"] = message.text
        snap["entities"] = message.entities
    return snap


def _apply_edit(bot: BotState, message: Message, **changes: Any) -> dict[str, Any]:
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


async def _edit_message_text(bot: BotState, args: Args) -> Any:
    """editMessageText: a missing reply_markup removes the inline keyboard, as in Telegram."""
    text, entities = _message_text(args)
    preview = _link_preview(args)
    markup, _ = parse_reply_markup(args("reply_markup"))
    message = _editable(bot, args)
    if message.photo is not None:
        raise bad_request("there is no text in the message to edit")
    check_flood(bot, "editmessagetext", message.chat_id)
    return _apply_edit(
        bot,
        message,
        text=text,
        entities=entities,
        reply_markup=markup,
        link_preview_options=preview,
    )


async def _edit_message_caption(bot: BotState, args: Args) -> Any:
    """editMessageCaption on a photo message."""
    caption, caption_entities = formatted_text(
        args("caption"),
        args("parse_mode"),
        args("caption_entities"),
        allow_empty=True,
        limit=CAPTION_LENGTH_MAX,
        too_long="message caption is too long",
    )
    markup, _ = parse_reply_markup(args("reply_markup"))
    message = _editable(bot, args)
    if message.photo is None:
        raise bad_request("there is no caption in the message to edit")
    check_flood(bot, "editmessagecaption", message.chat_id)
    return _apply_edit(
        bot, message, caption=caption, caption_entities=caption_entities, reply_markup=markup
    )


async def _edit_message_reply_markup(bot: BotState, args: Args) -> Any:
    """editMessageReplyMarkup: no reply_markup means "remove the keyboard"."""
    markup, _ = parse_reply_markup(args("reply_markup"))
    message = _editable(bot, args)
    check_flood(bot, "editmessagereplymarkup", message.chat_id)
    return _apply_edit(bot, message, reply_markup=markup)


async def _delete_message(bot: BotState, args: Args) -> Any:
    """deleteMessage: the bot's own messages and users' (in groups the bot is an admin)."""
    chat = bot.chat(args("chat_id"))
    message = _message_by_id(bot, chat, args("message_id"), "message to delete")
    message.deleted = True
    bot.record(
        chat.id,
        {"kind": "deleted", "message_id": message.message_id, "date": bot.owner.now()},
    )
    return True


async def _answer_callback_query(bot: BotState, args: Args) -> Any:
    """answerCallbackQuery: an unknown, answered or expired id is QUERY_ID_INVALID."""
    query = bot.callback_queries.get(args("callback_query_id"))
    if (
        query is None
        or query.answered
        or time.monotonic() - query.created_at > bot.owner.callback_query_ttl_seconds
    ):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    query.answered = True
    bot.record(
        query.chat_id,
        {
            "kind": "callback_answer",
            "callback_query_id": query.id,
            "text": args("text"),
            "show_alert": to_bool(args("show_alert")),
            "url": args("url") or None,
            "date": bot.owner.now(),
        },
    )
    return True


async def _send_chat_action(bot: BotState, args: Args) -> Any:
    """sendChatAction: Client::get_chat_action's list of actions."""
    action = args("action").lower()
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat = bot.writable_chat(args("chat_id"))
    bot.record(chat.id, {"kind": "chat_action", "action": action, "date": bot.owner.now()})
    return True


METHODS: Final = {
    "sendmessage": _send_message,
    "sendphoto": _send_photo,
    "editmessagetext": _edit_message_text,
    "editmessagecaption": _edit_message_caption,
    "editmessagereplymarkup": _edit_message_reply_markup,
    "deletemessage": _delete_message,
    "answercallbackquery": _answer_callback_query,
    "sendchataction": _send_chat_action,
}
"""This module's methods, by lower-cased name (`methods.call_method` looks them up)."""
