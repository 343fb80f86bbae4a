"""The control API under `/sandbox/...`: play the users and read what the bot did (see `create_telegram_app`)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .entities import finish_text
from .images import image_mime
from .state import STATE_KEY, BotState, CallbackQuery, ForcedFailure, Group, Message, User


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


def _control_bot(request: web.Request, body: dict[str, Any] | None = None) -> BotState:
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


def _sender(bot: BotState, body: dict[str, Any], user_id: int, *, private: bool) -> User:
    """The user who writes, their profile updated from `body`; writing in the private chat
    starts the bot for them, writing in a group does not."""
    known = bot.users.get(user_id)
    if private and known is not None and known.blocked:
        raise _ControlError(409, "this user blocked the bot; unblock with /sandbox/block first")
    first_name = body.get("first_name") or (known.first_name if known else f"User{user_id}")
    user = User(
        id=user_id,
        first_name=str(first_name),
        last_name=body.get("last_name") or (known.last_name if known else None),
        username=body.get("username") or (known.username if known else None),
        language_code=body.get("language_code") or (known.language_code if known else None),
        blocked=known.blocked if known else False,
        started=private or (known.started if known else False),
    )
    bot.users[user_id] = user
    return user


def _group(bot: BotState, body: dict[str, Any], chat_id: int) -> Group:
    """The group a message goes to; the first message there needs its `chat_title`.

    `chat_type` is "group" or "supergroup" (default: a supergroup for ids of the -100… form,
    below -10^12, else a group), as in https://core.telegram.org/bots/api#chat.
    """
    known = bot.groups.get(chat_id)
    title = body.get("chat_title")
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise _ControlError(400, "chat_title must be a non-empty string")
    if known is None and title is None:
        raise _ControlError(400, "chat_title is required for a group the bot has not seen")
    kind = body.get("chat_type") or (
        known.type if known else "supergroup" if chat_id < -(10**12) else "group"
    )
    if kind not in {"group", "supergroup"}:
        raise _ControlError(400, "chat_type must be 'group' or 'supergroup'")
    group = Group(chat_id, title or (known.title if known else ""), kind)
    bot.groups[chat_id] = group
    return group


@_control
async def _control_send(request: web.Request) -> web.StreamResponse:
    """A user sends a text message to the bot, in their private chat (this also "starts" the
    bot for them) or, with a negative `chat_id`, in a group."""
    body = await _control_body(request)
    bot = _control_bot(request, body)
    user_id = _int_field(body, "user_id")
    if user_id <= 0:
        raise _ControlError(400, "user_id must be positive")
    chat_id = _int_field(body, "chat_id", required=False) or user_id
    if chat_id > 0 and chat_id != user_id:
        raise _ControlError(400, "a private chat's chat_id is its user's id; groups' are negative")
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _ControlError(400, "text must be a non-empty string")
    group = _group(bot, body, chat_id) if chat_id < 0 else None
    _sender(bot, body, user_id, private=group is None)
    text, entities = finish_text(text, [], allow_empty=False)
    message = Message(
        message_id=bot.next_message_id(chat_id),
        chat_id=chat_id,
        date=bot.owner.now(),
        from_bot=False,
        sender_id=user_id,
        text=text,
        entities=entities,
    )
    bot.messages.setdefault(chat_id, {})[message.message_id] = message
    payload = bot.message_json(message)
    deliver = _deliver_flag(body)
    update_id = bot.add_update("message", payload, chat_id, deliver=deliver)
    event: dict[str, Any] = {
        "kind": "user_message",
        "message_id": message.message_id,
        "text": text,
        "date": message.date,
        "update_id": update_id,
    }
    if group is not None:
        event["user_id"] = user_id
    bot.record(chat_id, event)
    answer: dict[str, Any] = {
        "update_id": update_id,
        "message_id": message.message_id,
        "chat_id": chat_id,
    }
    if not deliver and update_id is not None:
        answer["update"] = {"update_id": update_id, "message": payload}
    return web.json_response(answer)


@_control
async def _control_press(request: web.Request) -> web.StreamResponse:
    """A user presses an inline button of a bot message in their private chat or, with a
    negative `chat_id`, in a group where they have written before."""
    body = await _control_body(request)
    bot = _control_bot(request, body)
    user_id = _int_field(body, "user_id")
    chat_id = _int_field(body, "chat_id", required=False) or user_id
    message_id = _int_field(body, "message_id")
    data = body.get("data")
    if not isinstance(data, str) or not data:
        raise _ControlError(400, "data (the button's callback_data) is required")
    user = bot.users.get(user_id)
    message = bot.messages.get(chat_id, {}).get(message_id)
    if (
        user is None
        or (chat_id != user_id and chat_id not in bot.groups)
        or message is None
        or message.deleted
        or not message.from_bot
    ):
        raise _ControlError(400, f"there is no bot message {message_id} in chat {chat_id}")
    buttons = [b for row in (message.reply_markup or {}).get("inline_keyboard", []) for b in row]
    if not any(b.get("callback_data") == data for b in buttons):
        raise _ControlError(400, f"message {message_id} has no button with callback_data {data!r}")
    if chat_id == user_id and user.blocked:
        raise _ControlError(409, "this user blocked the bot; unblock with /sandbox/block first")
    query_id = str(secrets.randbelow(2**63 - 2**60) + 2**60)
    bot.callback_queries[query_id] = CallbackQuery(
        query_id, user_id, chat_id, message_id, time.monotonic()
    )
    payload = {
        "id": query_id,
        "from": user.as_user(),
        "message": bot.message_json(message),
        "chat_instance": bot.chat_instance(chat_id),
        "data": data,
    }
    deliver = _deliver_flag(body)
    update_id = bot.add_update("callback_query", payload, chat_id, deliver=deliver)
    event: dict[str, Any] = {
        "kind": "button_press",
        "message_id": message_id,
        "data": data,
        "callback_query_id": query_id,
        "date": bot.owner.now(),
        "update_id": update_id,
    }
    if chat_id != user_id:
        event["user_id"] = user_id
    bot.record(chat_id, event)
    answer: dict[str, Any] = {"update_id": update_id, "callback_query_id": query_id}
    if not deliver and update_id is not None:
        answer["update"] = {"update_id": update_id, "callback_query": payload}
    return web.json_response(answer)


def _message_view(message: Message) -> dict[str, Any]:
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
    return web.Response(body=data, content_type=image_mime(data))


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
    if user is None or not user.started:
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
        ForcedFailure(
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


def add_control_routes(router: web.UrlDispatcher) -> None:
    """Serve the control API (listed in `create_telegram_app`) under `/sandbox/`."""
    router.add_post("/sandbox/send", _control_send)
    router.add_post("/sandbox/press", _control_press)
    router.add_get("/sandbox/messages", _control_messages)
    router.add_get("/sandbox/transcript", _control_transcript)
    router.add_get("/sandbox/photo", _control_photo)
    router.add_get("/sandbox/commands", _control_commands)
    router.add_post("/sandbox/block", _control_block)
    router.add_get("/sandbox/calls", _control_calls)
    router.add_get("/sandbox/updates", _control_updates)
    router.add_post("/sandbox/fail", _control_fail)
    router.add_post("/sandbox/flood", _control_flood)
    router.add_get("/sandbox/flood", _control_flood_status)
    router.add_post("/sandbox/reset", _control_reset)
