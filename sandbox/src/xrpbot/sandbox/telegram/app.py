"""The Telegram stand-in as an aiohttp application: the Bot API, the control API, webhook delivery."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp import web

from .args import read_args
from .control import add_control_routes
from .errors import ApiError
from .methods import call_method
from .state import STATE_KEY, TelegramState
from .webhook import deliver_forever


def create_telegram_app(state: TelegramState) -> web.Application:
    """The Telegram stand-in as an aiohttp application.

    Bot API: `GET|POST /bot<token>/<method>` (unknown token → 401 "Unauthorized").

    Control API (JSON; add `bot_id` to pick a bot when several tokens are configured, else the bot
    that called the Bot API last is used):

    - `POST /sandbox/send` {user_id, text, first_name?, last_name?, username?, language_code?,
      chat_id?, chat_title?, chat_type?, deliver?} → {update_id, message_id, chat_id}: the user
      sends a message in their private chat (and has started the bot), or, with a negative
      `chat_id`, in that group: the update's `chat` is the group (`type` "group" or
      "supergroup", `title`; the first message in a group needs `chat_title`; `chat_type`
      defaults to "supergroup" for -100… ids, else "group"), its `from` the user, and the bot,
      an admin there, gets every message; writing in a group does not start the bot (a
      sendMessage to that user then fails with 403 until they write in private). With
      `"deliver": false` the update is not queued for getUpdates or the webhook; the answer
      carries it as `update` (the exact Update JSON) for the caller to deliver, e.g. many at
      once as Telegram's parallel webhook connections do (the benchmark).
    - `POST /sandbox/press` {user_id, message_id, data, chat_id?, deliver?} → {update_id,
      callback_query_id}; 400 if that bot message (in the user's private chat, or in group
      `chat_id`) has no inline button with this callback_data. `"deliver": false` as for send.
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
    add_control_routes(app.router)
    app.cleanup_ctx.append(_delivery_context)
    app.on_shutdown.append(_on_shutdown)
    return app


async def _delivery_context(app: web.Application) -> AsyncIterator[None]:
    state = app[STATE_KEY]
    state.closing = False
    session = aiohttp.ClientSession()
    tasks = [
        asyncio.create_task(deliver_forever(bot, session), name=f"webhook-{bot.id}")
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
        return json_response(ApiError(401, "Unauthorized").body(), 401)
    state.last_used = bot
    args = await read_args(request)
    body = await call_method(bot, request.match_info["method"], args)
    return json_response(body, 200 if body["ok"] else int(body["error_code"]))


async def _bot_api_no_method(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    if request.match_info["token"] not in state.bots:
        return json_response(ApiError(401, "Unauthorized").body(), 401)
    return json_response(ApiError(404, "Not Found").body(), 404)


# -- control API ------------------------------------------------------------------------------


def json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    """A JSON answer, non-ASCII text kept as it is (as Telegram sends it)."""
    return web.Response(
        text=json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )
