"""The Telegram Bot API stand-in, driven by a real aiogram 3 Bot and pinned to recorded answers."""

from __future__ import annotations

import asyncio
import json
import struct
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.filters import Command, CommandStart
from aiogram.methods import TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from xrpbot.sandbox.telegram.entities import find_entities
from xrpbot.sandbox.telegram.state import TelegramState
from xrpbot.sandbox.testing import TelegramStandIn

TOKEN = "123456789:sandbox-local-token"
USER = 996202131
FIXTURES = Path(__file__).parents[1] / "fixtures" / "telegram"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG of the given size."""
    raw = b"".join(b"\x00" + b"\x10\x80\xf0" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def dump(value: Any) -> Any:
    """aiogram objects as plain JSON data (their == also compares the bound Bot)."""
    if isinstance(value, list):
        return [dump(v) for v in value]
    return value.model_dump(exclude_none=True) if value is not None else None


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def assert_same_shape(
    ours: Any, recorded: Any, *, extra: frozenset[str] = frozenset(), path: str = "$"
) -> None:
    """`ours` has the recorded keys (recursively) and value types; `extra` keys are allowed."""
    assert kind(ours) == kind(recorded), f"{path}: {kind(ours)} != {kind(recorded)}"
    if isinstance(recorded, dict):
        missing = set(recorded) - set(ours)
        added = set(ours) - set(recorded) - extra
        assert not missing, f"{path}: missing {sorted(missing)}"
        assert not added, f"{path}: unexpected {sorted(added)}"
        for key in recorded:
            assert_same_shape(ours[key], recorded[key], extra=extra, path=f"{path}.{key}")
    elif isinstance(recorded, list) and recorded and ours:
        for index, item in enumerate(ours):
            model = recorded[min(index, len(recorded) - 1)]
            assert_same_shape(item, model, extra=extra, path=f"{path}[{index}]")


@dataclass
class Telegram:
    """The stand-in on an ephemeral port, an aiogram Bot pointed at it, and control helpers."""

    base: str
    state: TelegramState
    bot: Bot
    http: aiohttp.ClientSession
    user: dict[str, Any] = field(
        default_factory=lambda: {
            "user_id": USER,
            "first_name": "Bijoy",
            "username": "bijoyvbabu123",
            "language_code": "en",
        }
    )

    async def control(self, verb: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.http.request(verb, f"{self.base}/sandbox/{path}", **kwargs) as r:
            return r.status, await r.json()

    async def send(self, text: str, **user: Any) -> dict[str, Any]:
        status, body = await self.control("POST", "send", json={**self.user, **user, "text": text})
        assert status == 200, body
        return dict(body)

    async def press(self, message_id: int, data: str, user_id: int = USER) -> tuple[int, Any]:
        return await self.control(
            "POST", "press", json={"user_id": user_id, "message_id": message_id, "data": data}
        )

    async def press_raw(self, message_id: int, data: str, **extra: Any) -> tuple[int, Any]:
        body = {"user_id": USER, "message_id": message_id, "data": data, **extra}
        return await self.control("POST", "press", json=body)

    async def messages(self, chat_id: int = USER) -> list[dict[str, Any]]:
        status, body = await self.control("GET", "messages", params={"chat_id": chat_id})
        assert status == 200
        return list(body["messages"])

    async def raw(self, method: str, http_method: str = "POST", **kwargs: Any) -> tuple[int, Any]:
        url = f"{self.base}/bot{TOKEN}/{method}"
        async with self.http.request(http_method, url, **kwargs) as r:
            return r.status, await r.json()


@pytest.fixture
def telegram_state() -> TelegramState:
    """The recorded answers' first update_id; webhook retries 50 times faster."""
    return TelegramState([TOKEN], first_update_id=734997090, webhook_retry_scale=0.02)


@pytest.fixture
async def tg(telegram_stand_in: TelegramStandIn) -> AsyncIterator[Telegram]:
    bot = Bot(
        TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram_stand_in.url))
    )
    async with aiohttp.ClientSession() as http:
        yield Telegram(telegram_stand_in.url, telegram_stand_in.state, bot, http)
    await bot.session.close()


@dataclass
class Receiver:
    """A webhook endpoint that records what arrives and fails while `failing` is set."""

    url: str
    received: list[tuple[dict[str, Any], str | None]]
    failing: bool = False
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    holder: list[Receiver] = []

    async def handle(request: web.Request) -> web.Response:
        rec = holder[0]
        if rec.failing:
            return web.Response(status=500, text="boom")
        rec.received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        rec.arrived.set()
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    holder.append(Receiver(f"http://127.0.0.1:{runner.addresses[0][1]}/hook", []))
    yield holder[0]
    await runner.cleanup()


async def eventually(check: Any, within: float = 5.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        value = await check()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


# -- identity, routing, errors ----------------------------------------------------------------


async def test_get_me_matches_recorded_shape(tg: Telegram) -> None:
    me = await tg.bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456789, True, "xrpbot_sandbox_bot")
    status, body = await tg.raw("getMe")
    assert status == 200
    assert_same_shape(
        body,
        fixture("getme.json"),
        extra=frozenset({"can_connect_to_business", "has_main_web_app"}),
    )


async def test_unknown_token_is_unauthorized(tg: Telegram) -> None:
    other = Bot("987654321:not-known", session=AiohttpSession(api=tg.bot.session.api))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await other.get_me()
    finally:
        await other.session.close()
    async with tg.http.get(f"{tg.base}/bot987654321:nope/getMe") as r:
        assert (r.status, await r.json()) == (401, fixture("errors.json")["unauthorized"])


async def test_method_names_are_case_insensitive_and_unknown_ones_are_not_found(
    tg: Telegram,
) -> None:
    for name in ("GETME", "getme", "GetMe"):
        status, body = await tg.raw(name, "GET")
        assert status == 200
        assert body["result"]["id"] == 123456789
    assert await tg.raw("noSuchMethod") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    status, body = await tg.raw("sendDice")  # real, but not provided by the stand-in
    assert status == 500
    assert "not implemented" in body["description"]


async def test_parameters_arrive_by_query_string_json_and_form(tg: Telegram) -> None:
    await tg.send("/start")
    status, body = await tg.raw("sendMessage", "GET", params={"chat_id": USER, "text": "q"})
    assert status == 200
    assert body["result"]["text"] == "q"
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    status, body = await tg.raw(
        "sendMessage", json={"chat_id": USER, "text": "j", "reply_markup": markup}
    )
    assert status == 200
    assert body["result"]["reply_markup"] == markup
    status, body = await tg.raw(
        "sendMessage",
        data={"chat_id": str(USER), "text": "f", "reply_markup": json.dumps(markup)},
    )
    assert status == 200
    assert body["result"]["reply_markup"] == markup


async def test_sending_to_a_chat_that_never_started_the_bot_fails(tg: Telegram) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await tg.bot.send_message(5550001, "hello")
    assert await tg.raw("sendMessage", data={"chat_id": "5550001", "text": "x"}) == (
        400,
        fixture("errors.json")["chat_not_found"],
    )
    assert (await tg.raw("sendMessage", data={"text": "x"}))[1]["description"] == (
        "Bad Request: chat_id is empty"
    )


async def test_blocked_user_gives_forbidden(tg: Telegram) -> None:
    await tg.send("/start")
    status, _ = await tg.control("POST", "block", json={"user_id": USER, "blocked": True})
    assert status == 200
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await tg.bot.send_message(USER, "hi")
    assert await tg.raw("sendMessage", data={"chat_id": str(USER), "text": "x"}) == (
        403,
        fixture("errors.json")["blocked"],
    )
    await tg.control("POST", "block", json={"user_id": USER, "blocked": False})
    assert (await tg.bot.send_message(USER, "back")).text == "back"


# -- updates ------------------------------------------------------------------------------------


async def test_message_update_matches_recorded_update(tg: Telegram) -> None:
    sent = await tg.send("/start YnZiMTIzbWlzY0BnbWFpbC5jb20=")
    status, body = await tg.raw("getUpdates")
    assert status == 200
    [update] = body["result"]
    recorded = fixture("update_message_start.json")
    assert_same_shape(update, recorded)
    assert update["update_id"] == sent["update_id"] == 734997090
    for key in ("from", "chat", "text", "entities"):
        assert update["message"][key] == recorded["message"][key]
    [parsed] = await tg.bot.get_updates()
    assert parsed.message is not None
    assert parsed.message.text is not None


async def test_bot_commands_with_bot_username_are_entities(tg: Telegram) -> None:
    await tg.send("/balance@xrpbot_sandbox_bot and /help, not a/b or /x/y")
    [update] = await tg.bot.get_updates()
    assert update.message is not None
    commands = [
        (e.offset, e.length) for e in update.message.entities or [] if e.type == "bot_command"
    ]
    assert commands == [(0, 27), (32, 5)]


async def test_callback_query_update_matches_recorded_update(tg: Telegram) -> None:
    await tg.send("/start")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Button 1", callback_data="button1_bijoy"),
                InlineKeyboardButton(text="Button 2", callback_data="button2_bijoy"),
            ]
        ]
    )
    sent = await tg.bot.send_message(
        USER, "Hello! Please choose an option:", reply_markup=keyboard
    )
    status, pressed = await tg.press(sent.message_id, "button2_bijoy")
    assert status == 200
    _, body = await tg.raw("getUpdates", data={"offset": "734997091"})
    [update] = body["result"]
    recorded = fixture("update_callback_query.json")
    assert_same_shape(update, recorded)
    query = update["callback_query"]
    assert query["id"] == pressed["callback_query_id"]
    assert query["id"].isdigit()
    assert int(query["chat_instance"])  # a signed 64-bit number as a string
    for key in ("from", "data"):
        assert query[key] == recorded["callback_query"][key]
    for key in ("text", "reply_markup", "chat"):
        assert query["message"][key] == recorded["callback_query"]["message"][key]
    assert query["message"]["from"]["is_bot"] is True


async def test_update_ids_increase_and_offset_confirms(tg: Telegram) -> None:
    ids = [(await tg.send(f"m{i}"))["update_id"] for i in range(3)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    assert [u.update_id for u in await tg.bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await tg.bot.get_updates(offset=ids[1])] == ids[1:]
    assert await tg.bot.get_updates(offset=ids[2] + 1) == []
    await tg.send("again")
    [last] = await tg.bot.get_updates()
    assert last.update_id == ids[2] + 1


async def test_default_update_ids_start_at_a_random_point() -> None:
    first = {TelegramState([TOKEN]).bot().next_update_id for _ in range(5)}
    assert len(first) > 1
    assert all(x >= 100_000_000 for x in first)


async def test_long_polling_returns_as_soon_as_an_update_arrives(tg: Telegram) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(tg.bot.get_updates(timeout=10))
    await asyncio.sleep(0.3)
    assert not poll.done()
    await tg.send("hi")
    updates = await asyncio.wait_for(poll, 3)
    assert [u.message.text for u in updates if u.message] == ["hi"]
    assert 0.3 <= time.monotonic() - started < 3


async def test_long_polling_waits_for_the_timeout(tg: Telegram) -> None:
    started = time.monotonic()
    assert await tg.bot.get_updates(timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_a_second_long_poll_terminates_the_first(tg: Telegram) -> None:
    first = asyncio.create_task(tg.bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(tg.bot.get_updates(timeout=10))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 3)
    await tg.send("x")
    assert len(await asyncio.wait_for(second, 3)) == 1


async def test_allowed_updates_filter_new_updates(tg: Telegram) -> None:
    await tg.bot.get_updates(allowed_updates=["callback_query"])
    sent = await tg.send("ignored")
    assert sent["update_id"] is None
    assert await tg.bot.get_updates() == []


async def test_aiogram_dispatcher_long_polling_round_trip(tg: Telegram) -> None:
    router = Router()

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("<b>Welcome</b>, try /help", parse_mode="HTML")

    dp = Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(
        dp.start_polling(tg.bot, polling_timeout=1, handle_signals=False, close_bot_session=False)
    )
    try:
        await tg.send("/start")
        messages = await eventually(tg.messages)
        assert messages[0]["text"] == "Welcome, try /help"
        assert messages[0]["entities"] == [
            {"offset": 0, "length": 7, "type": "bold"},
            {"offset": 13, "length": 5, "type": "bot_command"},
        ]
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(polling, 5)


# -- sendMessage: text, entities, limits, keyboards ---------------------------------------------


async def test_send_message_returns_a_full_message(tg: Telegram) -> None:
    await tg.send("/start")
    status, body = await tg.raw(
        "sendMessage",
        data={
            "chat_id": str(USER),
            "text": "Hello! Please choose an option:",
            "reply_markup": json.dumps(
                {"inline_keyboard": [[{"text": "Button 1", "callback_data": "b1"}]]}
            ),
        },
    )
    assert status == 200
    recorded_message = fixture("update_callback_query.json")["callback_query"]["message"]
    assert_same_shape(body["result"], recorded_message)
    assert body["result"]["from"] == {
        "id": 123456789,
        "is_bot": True,
        "first_name": "xrpbot sandbox",
        "username": "xrpbot_sandbox_bot",
    }
    assert body["result"]["chat"] == recorded_message["chat"]


@pytest.mark.parametrize(
    ("html", "description"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("é<u", "Unclosed start tag at byte offset 2"),
    ],
)
async def test_malformed_html_is_refused_like_telegram(
    tg: Telegram, html: str, description: str
) -> None:
    await tg.send("/start")
    with pytest.raises(TelegramBadRequest) as err:
        await tg.bot.send_message(USER, html, parse_mode="HTML")
    assert err.value.message == f"Bad Request: can't parse entities: {description}"


async def test_parse_modes_through_send_message(tg: Telegram) -> None:
    await tg.send("/start")
    sent = await tg.bot.send_message(USER, "*Balance*: 10\\.5 XRP", parse_mode="MarkdownV2")
    assert sent.text == "Balance: 10.5 XRP"
    with pytest.raises(TelegramBadRequest) as err:
        await tg.bot.send_message(USER, "10.5 XRP", parse_mode="MarkdownV2")
    assert err.value.message == (
        "Bad Request: can't parse entities: "
        "Character '.' is reserved and must be escaped with the preceding '\\'"
    )
    with pytest.raises(TelegramBadRequest, match="unsupported parse_mode"):
        await tg.bot.send_message(USER, "x", parse_mode="BBCode")


async def test_text_limits(tg: Telegram) -> None:
    await tg.send("/start")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await tg.bot.send_message(USER, "")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await tg.bot.send_message(USER, "x" * 4097)
    assert len((await tg.bot.send_message(USER, "x" * 4096)).text or "") == 4096
    # the limit counts the text after entity parsing: tags are free
    tagged = await tg.bot.send_message(USER, "<b>" + "y" * 4096 + "</b>", parse_mode="HTML")
    assert len(tagged.text or "") == 4096
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await tg.bot.send_message(USER, "<b>" + "y" * 4097 + "</b>", parse_mode="HTML")


async def test_automatic_entities_and_trimming(tg: Telegram) -> None:
    await tg.send("/start")
    sent = await tg.bot.send_message(USER, "  see https://xrpl.org, ask @xrpbot_support  \n")
    assert sent.text == "see https://xrpl.org, ask @xrpbot_support"
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [
        ("url", 4, 16),
        ("mention", 26, 15),
    ]
    assert find_entities("mail me@example.com #tag $XRP") == [
        (5, 19, "email"),
        (20, 24, "hashtag"),
        (25, 29, "cashtag"),
    ]


async def test_inline_keyboard_validation(tg: Telegram) -> None:
    await tg.send("/start")

    def markup(button: dict[str, Any]) -> str:
        return json.dumps({"inline_keyboard": [[button]]})

    status, body = await tg.raw(
        "sendMessage",
        data={
            "chat_id": str(USER),
            "text": "t",
            "reply_markup": markup({"text": "x", "callback_data": "d" * 65}),
        },
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    ok = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="é" * 32)]]
    )
    assert (await tg.bot.send_message(USER, "64 bytes is fine", reply_markup=ok)).reply_markup
    status, body = await tg.raw(
        "sendMessage",
        data={"chat_id": str(USER), "text": "t", "reply_markup": markup({"text": "plain"})},
    )
    assert body["description"] == (
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard"
    )
    status, body = await tg.raw(
        "sendMessage",
        data={"chat_id": str(USER), "text": "t", "reply_markup": "{not json"},
    )
    assert body["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


async def test_link_preview_and_reply_parameters(tg: Telegram) -> None:
    first = await tg.send("/start")
    sent = await tg.bot.send_message(
        USER,
        "x",
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        reply_parameters=ReplyParameters(message_id=first["message_id"]),
    )
    assert sent.link_preview_options is not None
    assert sent.link_preview_options.is_disabled
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "/start"
    _, body = await tg.raw(
        "sendMessage",
        data={"chat_id": str(USER), "text": "y", "disable_web_page_preview": "true"},
    )
    assert body["result"]["link_preview_options"] == {"is_disabled": True}
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await tg.bot.send_message(USER, "z", reply_parameters=ReplyParameters(message_id=999))


# -- editing, callback answers -----------------------------------------------------------------


async def test_edit_message_text(tg: Telegram) -> None:
    await tg.send("/start")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="OK", callback_data="ok")]]
    )
    sent = await tg.bot.send_message(USER, "working on it…", reply_markup=keyboard)
    edited = await tg.bot.edit_message_text(
        "<b>done</b>",
        chat_id=USER,
        message_id=sent.message_id,
        parse_mode="HTML",
        reply_markup=keyboard,
    )
    assert isinstance(edited, Message)
    assert edited.text == "done"
    assert edited.edit_date is not None
    assert dump(edited.reply_markup) == dump(keyboard)
    with pytest.raises(TelegramBadRequest) as err:
        await tg.bot.edit_message_text(
            "<b>done</b>",
            chat_id=USER,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard,
        )
    assert err.value.message == fixture("errors.json")["not_modified"]["description"]
    # without reply_markup the keyboard goes away, as on Telegram
    plain = await tg.bot.edit_message_text("done", chat_id=USER, message_id=sent.message_id)
    assert isinstance(plain, Message)
    assert plain.reply_markup is None
    [view] = await tg.messages()
    assert [e["text"] for e in view["edits"]] == ["working on it…", "done"]
    assert view["edits"][0]["edit_date"] is None
    assert view["edits"][1]["edit_date"] is not None
    assert view["edits"][0]["reply_markup"] == keyboard.model_dump(exclude_none=True)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await tg.bot.edit_message_text("x", chat_id=USER, message_id=9999)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await tg.bot.edit_message_text("x", chat_id=USER, message_id=1)  # the user's /start


async def test_edit_reply_markup_and_caption(tg: Telegram) -> None:
    await tg.send("/start")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="a")]]
    )
    sent = await tg.bot.send_message(USER, "pick")
    edited = await tg.bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=keyboard
    )
    assert isinstance(edited, Message)
    assert dump(edited.reply_markup) == dump(keyboard)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await tg.bot.edit_message_reply_markup(
            chat_id=USER, message_id=sent.message_id, reply_markup=keyboard
        )
    with pytest.raises(TelegramBadRequest, match="there is no caption in the message to edit"):
        await tg.bot.edit_message_caption(chat_id=USER, message_id=sent.message_id, caption="c")
    photo = await tg.bot.send_photo(USER, BufferedInputFile(png(10, 10), "p.png"), caption="a")
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await tg.bot.edit_message_text("t", chat_id=USER, message_id=photo.message_id)
    recaptioned = await tg.bot.edit_message_caption(
        chat_id=USER, message_id=photo.message_id, caption="b"
    )
    assert isinstance(recaptioned, Message)
    assert recaptioned.caption == "b"


async def test_answer_callback_query(tg: Telegram) -> None:
    await tg.send("/start")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Yes", callback_data="cf:yes:7")]]
    )
    sent = await tg.bot.send_message(USER, "Send 10 XRP?", reply_markup=keyboard)
    assert (await tg.press(sent.message_id, "cf:no:7"))[0] == 400  # no such button
    assert (await tg.press(9999, "cf:yes:7"))[0] == 400  # no such message
    status, _pressed = await tg.press(sent.message_id, "cf:yes:7")
    assert status == 200
    [_, update] = await tg.bot.get_updates()
    query = update.callback_query
    assert isinstance(query, CallbackQuery)
    assert query.data == "cf:yes:7"
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert await tg.bot.answer_callback_query(query.id, text="Sending…", show_alert=True)
    with pytest.raises(TelegramBadRequest, match="query is too old and response timeout expired"):
        await tg.bot.answer_callback_query(query.id)  # already answered
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await tg.bot.answer_callback_query("12345")
    _, transcript = await tg.control("GET", "transcript", params={"chat_id": USER})
    assert [e["kind"] for e in transcript["events"]] == [
        "user_message",
        "bot_message",
        "button_press",
        "callback_answer",
    ]
    assert transcript["events"][-1]["text"] == "Sending…"
    assert transcript["events"][-1]["show_alert"] is True


async def test_old_callback_queries_expire(tg: Telegram) -> None:
    tg.state.callback_query_ttl_seconds = 0.1
    await tg.send("/start")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Yes", callback_data="y")]]
    )
    sent = await tg.bot.send_message(USER, "?", reply_markup=keyboard)
    _, pressed = await tg.press(sent.message_id, "y")
    await asyncio.sleep(0.2)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await tg.bot.answer_callback_query(pressed["callback_query_id"])


async def test_delete_message(tg: Telegram) -> None:
    await tg.send("/start")
    sent = await tg.bot.send_message(USER, "temporary")
    assert await tg.bot.delete_message(USER, sent.message_id)
    assert await tg.messages() == []
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await tg.bot.delete_message(USER, sent.message_id)


# -- photos, chat actions, commands -------------------------------------------------------------


async def test_send_photo_upload_and_file_id(tg: Telegram) -> None:
    await tg.send("/start")
    image = png(1000, 700)
    sent = await tg.bot.send_photo(
        USER, BufferedInputFile(image, "chart.png"), caption="<b>XRP</b> 7 days", parse_mode="HTML"
    )
    assert sent.photo is not None
    assert [(p.width, p.height) for p in sent.photo] == [
        (90, 63),
        (320, 224),
        (800, 560),
        (1000, 700),
    ]
    assert all(p.file_id and p.file_unique_id and p.file_size for p in sent.photo)
    assert sent.caption == "XRP 7 days"
    assert [(e.type, e.offset, e.length) for e in sent.caption_entities or []] == [("bold", 0, 3)]
    params = {"chat_id": USER, "message_id": sent.message_id}
    async with tg.http.get(f"{tg.base}/sandbox/photo", params=params) as r:
        assert r.status == 200
        assert r.content_type == "image/png"
        assert await r.read() == image
    again = await tg.bot.send_photo(USER, sent.photo[-1].file_id)
    assert dump(again.photo) == dump(sent.photo)
    [first, second] = await tg.messages()
    assert first["photo"] is True
    assert first["caption"] == "XRP 7 days"
    assert second["caption"] is None
    with pytest.raises(TelegramBadRequest, match="wrong file identifier/HTTP URL specified"):
        await tg.bot.send_photo(USER, "AgACAgIAAxkDAAnope")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await tg.bot.send_photo(USER, sent.photo[-1].file_id, caption="c" * 1025)
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await tg.bot.send_photo(USER, BufferedInputFile(b"not an image", "x.png"))


async def test_send_photo_form_field_names(tg: Telegram) -> None:
    """aiogram uploads under a random field named by `attach://`; a direct field works too."""
    await tg.send("/start")
    form = aiohttp.FormData()
    form.add_field("chat_id", str(USER))
    form.add_field("photo", png(90, 90), filename="direct.png", content_type="image/png")
    status, body = await tg.raw("sendPhoto", data=form)
    assert status == 200
    assert [p["width"] for p in body["result"]["photo"]] == [90]
    [call] = list((await tg.control("GET", "calls"))[1]["calls"])
    assert call["params"]["photo"] == {"filename": "direct.png", "size": len(png(90, 90))}
    status, body = await tg.raw("sendPhoto", data={"chat_id": str(USER)})
    assert body["description"] == "Bad Request: there is no photo in the request"


async def test_send_chat_action(tg: Telegram) -> None:
    await tg.send("/start")
    assert await tg.bot.send_chat_action(USER, "upload_photo")
    with pytest.raises(TelegramBadRequest, match="wrong parameter action in request"):
        await tg.bot.send_chat_action(USER, "dancing")


async def test_my_commands_per_scope_and_language(tg: Telegram) -> None:
    await tg.send("/start")
    default = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]
    russian = [BotCommand(command="start", description="Начать")]
    assert await tg.bot.set_my_commands(default)
    assert await tg.bot.set_my_commands(russian, language_code="ru")
    assert await tg.bot.set_my_commands(russian, scope=BotCommandScopeChat(chat_id=USER))
    assert dump(await tg.bot.get_my_commands()) == dump(default)
    assert dump(await tg.bot.get_my_commands(language_code="ru")) == dump(russian)
    assert await tg.bot.get_my_commands(language_code="de") == []
    _, stored = await tg.control("GET", "commands")
    assert len(stored["commands"]) == 3
    assert await tg.bot.delete_my_commands(language_code="ru")
    assert await tg.bot.get_my_commands(language_code="ru") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await tg.bot.set_my_commands([BotCommand(command="Start", description="x")])
    with pytest.raises(TelegramBadRequest, match="command description must be non-empty"):
        await tg.bot.set_my_commands([BotCommand(command="start", description=" ")])
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await tg.bot.set_my_commands(default, scope=BotCommandScopeChat(chat_id=1))


# -- webhooks -------------------------------------------------------------------------------------


async def test_set_webhook_validates_the_secret(tg: Telegram, receiver: Receiver) -> None:
    with pytest.raises(TelegramBadRequest, match="secret token contains unallowed characters"):
        await tg.bot.set_webhook(receiver.url, secret_token="not allowed!")
    with pytest.raises(TelegramBadRequest, match="secret token is too long"):
        await tg.bot.set_webhook(receiver.url, secret_token="a" * 257)
    with pytest.raises(TelegramBadRequest, match="invalid webhook URL specified"):
        await tg.bot.set_webhook("ftp://example.com/hook")
    _, body = await tg.raw("setWebhook", data={"url": receiver.url, "secret_token": "A-z_0"})
    assert body == {"ok": True, "result": True, "description": "Webhook was set"}
    _, body = await tg.raw("setWebhook", data={"url": receiver.url, "secret_token": "A-z_0"})
    assert body["description"] == "Webhook is already set"
    _, body = await tg.raw("deleteWebhook")
    assert body["description"] == "Webhook was deleted"
    _, body = await tg.raw("deleteWebhook")
    assert body["description"] == "Webhook is already deleted"


async def test_webhook_delivers_updates_in_order_with_the_secret(
    tg: Telegram, receiver: Receiver
) -> None:
    await tg.send("before")  # queued while nothing listens, delivered once the webhook is set
    assert await tg.bot.set_webhook(receiver.url, secret_token="s3cr3t_-X")
    with pytest.raises(TelegramConflictError) as err:
        await tg.bot.get_updates()
    assert err.value.message == fixture("errors.json")["getupdates_conflict"]["description"]
    for text in ("one", "two"):
        await tg.send(text)

    async def all_arrived() -> bool:
        return len(receiver.received) == 3

    await eventually(all_arrived)
    assert [u["message"]["text"] for u, _ in receiver.received] == ["before", "one", "two"]
    assert {secret for _, secret in receiver.received} == {"s3cr3t_-X"}
    info = await tg.bot.get_webhook_info()
    assert info.url == receiver.url
    assert info.pending_update_count == 0
    assert info.last_error_date is None


async def test_failing_webhook_keeps_the_update_and_retries(
    tg: Telegram, receiver: Receiver
) -> None:
    receiver.failing = True
    await tg.bot.set_webhook(receiver.url)
    sent = await tg.send("retry me")

    async def failed() -> bool:
        return (await tg.bot.get_webhook_info()).last_error_date is not None

    await eventually(failed)
    _status, info = await tg.raw("getWebhookInfo")
    assert info["result"]["pending_update_count"] == 1
    assert info["result"]["last_error_message"] == (
        "Wrong response from the webhook: 500 Internal Server Error"
    )
    assert_same_shape(info, fixture("webhook_info.json"))
    receiver.failing = False
    await asyncio.wait_for(receiver.arrived.wait(), 10)
    [(update, secret)] = receiver.received
    assert update["update_id"] == sent["update_id"]
    assert secret is None
    assert (await tg.bot.get_webhook_info()).pending_update_count == 0


async def test_unreachable_webhook_is_reported(tg: Telegram) -> None:
    await tg.bot.set_webhook("http://127.0.0.1:9/hook")  # discard port: nothing listens
    await tg.send("hello?")

    async def failed() -> Any:
        return (await tg.bot.get_webhook_info()).last_error_message

    assert await eventually(failed) == "Connection refused"


async def test_drop_pending_updates(tg: Telegram, receiver: Receiver) -> None:
    await tg.send("old")
    receiver.failing = True
    await tg.bot.set_webhook(receiver.url, drop_pending_updates=True)
    assert (await tg.bot.get_webhook_info()).pending_update_count == 0
    await tg.bot.delete_webhook()
    await tg.send("new")
    assert [u.message.text for u in await tg.bot.get_updates() if u.message] == ["new"]


async def test_aiogram_webhook_reply_runs_the_returned_method(tg: Telegram) -> None:
    """aiogram's SimpleRequestHandler(handle_in_background=False) answers with the method."""
    router = Router()

    @router.message(Command("ping"))
    async def ping(message: Message) -> TelegramMethod[Any]:
        return message.answer("pong")

    dp = Dispatcher()
    dp.include_router(router)
    app = web.Application()
    SimpleRequestHandler(
        dispatcher=dp, bot=tg.bot, secret_token="hook-secret", handle_in_background=False
    ).register(app, path="/tg")
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/tg"
        await tg.bot.set_webhook(url, secret_token="hook-secret")
        await tg.send("/ping")
        messages = await eventually(tg.messages)
        assert messages[0]["text"] == "pong"
    finally:
        await runner.cleanup()


# -- control API: calls, reset, failures, flood control ------------------------------------------


async def test_calls_log_never_holds_the_token_or_the_secret(tg: Telegram) -> None:
    await tg.send("/start")
    await tg.bot.send_message(USER, "hi")
    await tg.bot.set_webhook("http://127.0.0.1:9/x", secret_token="topsecret")
    _, body = await tg.control("GET", "calls", params={"method": "sendmessage"})
    [call] = body["calls"]
    assert call["method"] == "sendMessage"
    assert call["ok"] is True
    assert call["params"] == {"chat_id": str(USER), "text": "hi"}
    _, everything = await tg.control("GET", "calls")
    dumped = json.dumps(everything)
    assert TOKEN not in dumped
    assert "topsecret" not in dumped


async def test_reset_keeps_the_webhook_and_commands(tg: Telegram) -> None:
    await tg.send("/start")
    await tg.bot.set_my_commands([BotCommand(command="start", description="Start")])
    await tg.bot.set_webhook("http://127.0.0.1:9/hook")
    last = (await tg.send("x"))["update_id"]
    assert (await tg.control("POST", "reset"))[0] == 200
    info = await tg.bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook"
    assert info.pending_update_count == 0
    assert len(await tg.bot.get_my_commands()) == 1
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await tg.bot.send_message(USER, "gone")
    assert (await tg.send("y"))["update_id"] == last + 1  # ids never go back
    await tg.control("POST", "reset", json={"full": True})
    assert (await tg.bot.get_webhook_info()).url == ""
    assert await tg.bot.get_my_commands() == []


async def test_forced_failures_and_flood_control(tg: Telegram) -> None:
    await tg.send("/start")
    await tg.control(
        "POST", "fail", json={"method": "sendMessage", "error_code": 429, "retry_after": 5}
    )
    with pytest.raises(TelegramRetryAfter) as err:
        await tg.bot.send_message(USER, "x")
    assert err.value.retry_after == 5
    assert (await tg.bot.send_message(USER, "x")).text == "x"
    status, _body = await tg.raw("getMe")  # other methods are not affected
    assert status == 200
    await tg.control("POST", "fail", json={"error_code": 429, "retry_after": 5})
    assert await tg.raw("getMe") == (429, fixture("errors.json")["too_many_requests"])
    await tg.control("POST", "flood", json={"enabled": True, "chat_burst": 2})
    await tg.bot.send_message(USER, "1")
    await tg.bot.send_message(USER, "2")
    with pytest.raises(TelegramRetryAfter) as err:
        await tg.bot.send_message(USER, "3")
    assert err.value.retry_after >= 1
    await tg.control("POST", "flood", json={"enabled": False})
    assert (await tg.bot.send_message(USER, "4")).text == "4"


async def test_flood_answers_429_with_retry_after_and_counts_it(tg: Telegram) -> None:
    await tg.send("/start")
    await tg.control("POST", "flood", json={"enabled": True, "chat_burst": 1})
    await tg.bot.send_message(USER, "1")
    status, body = await tg.raw("sendMessage", data={"chat_id": str(USER), "text": "2"})
    assert status == 429
    assert body["ok"] is False
    assert body["error_code"] == 429
    assert (
        body["description"]
        == f"Too Many Requests: retry after {body['parameters']['retry_after']}"
    )
    assert body["parameters"]["retry_after"] >= 1  # ResponseParameters.retry_after (seconds)
    assert [m["text"] for m in await tg.messages()] == ["1"]  # the limited one was not sent
    _, flood = await tg.control("GET", "flood")
    assert flood["enabled"] is True
    assert flood["rejected"] == 1
    assert flood["rejected_by_chat"] == {str(USER): 1}
    await tg.control("POST", "flood", json={"enabled": True})  # switching on resets the count
    assert (await tg.control("GET", "flood"))[1]["rejected"] == 0


async def test_control_api_errors_are_plain(tg: Telegram) -> None:
    status, body = await tg.control("POST", "send", json={"user_id": USER})
    assert status == 400
    assert "text" in body["error"]
    status, body = await tg.control("POST", "block", json={"user_id": 1})
    assert status == 404
    status, _ = await tg.control("GET", "photo", params={"chat_id": USER, "message_id": 1})
    assert status == 404


async def test_several_tokens_are_separate_bots(tg: Telegram) -> None:
    state = TelegramState([TOKEN, "42:other-bot"])
    assert [b.username for b in state.bots.values()] == [
        "xrpbot_sandbox_bot",
        "xrpbot_sandbox_2_bot",
    ]
    assert state.bot(42).id == 42
    with pytest.raises(ValueError, match="bot token"):
        TelegramState(["not-a-token"])


async def test_calls_log_is_numbered_and_can_be_followed(tg: Telegram) -> None:
    await tg.send("/start")
    await tg.bot.send_message(USER, "one")
    _, first = await tg.control("GET", "calls")
    last = first["last_seq"]
    assert [c["seq"] for c in first["calls"]] == list(
        range(last - len(first["calls"]) + 1, last + 1)
    )
    before = time.time()
    await tg.bot.send_message(USER, "two")
    await tg.bot.get_me()
    _, newer = await tg.control("GET", "calls", params={"after": last})
    assert [c["method"] for c in newer["calls"]] == ["sendMessage", "getMe"]
    assert newer["calls"][0]["params"]["text"] == "two"
    assert newer["calls"][0]["time"] >= before  # unix seconds with a fraction
    _, only = await tg.control("GET", "calls", params={"after": last, "method": "getme"})
    assert [c["seq"] for c in only["calls"]] == [last + 2]


async def test_send_and_press_without_delivery_return_the_update(
    tg: Telegram, receiver: Receiver
) -> None:
    await tg.bot.set_webhook(receiver.url)
    sent = await tg.send("/balance", deliver=False)
    update = sent["update"]
    assert update["update_id"] == sent["update_id"]
    assert update["message"]["text"] == "/balance"
    assert update["message"]["entities"] == [{"offset": 0, "length": 8, "type": "bot_command"}]
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="OK", callback_data="ok")]]
    )
    message = await tg.bot.send_message(USER, "press", reply_markup=keyboard)
    status, pressed = await tg.press_raw(message.message_id, "ok", deliver=False)
    assert status == 200
    query = pressed["update"]["callback_query"]
    assert query["id"] == pressed["callback_query_id"]
    assert pressed["update"]["update_id"] == sent["update_id"] + 1
    assert await tg.bot.answer_callback_query(query["id"])  # the stand-in knows the query
    _, pending = await tg.control("GET", "updates")
    assert pending["pending"] == []
    await asyncio.sleep(0.1)
    assert receiver.received == []  # nothing was delivered
    status, body = await tg.control("POST", "send", json={**tg.user, "text": "x", "deliver": "no"})
    assert status == 400
    assert "deliver" in body["error"]
