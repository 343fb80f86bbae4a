"""Groups in the Telegram stand-in: messages from a group, the bot's answers there, flood limits."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from xrpbot.sandbox.telegram.constants import DEFAULT_TOKEN as TOKEN
from xrpbot.sandbox.testing import TelegramStandIn
from xrpbot.sandbox.tools.telegram_control import SandboxUser, TelegramSandbox

USER = 996202131
SUPERGROUP = -1001234567890
GROUP = -4519283746


@dataclass
class Stand:
    """The stand-in, an aiogram Bot on it and a plain HTTP session for the control API."""

    base: str
    bot: Bot
    http: aiohttp.ClientSession

    async def control(self, verb: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.http.request(verb, f"{self.base}/sandbox/{path}", **kwargs) as r:
            return r.status, await r.json()

    async def send(self, text: str, **fields: Any) -> dict[str, Any]:
        body = {"user_id": USER, "first_name": "Bijoy", "username": "bijoy", **fields}
        status, answer = await self.control("POST", "send", json={**body, "text": text})
        assert status == 200, answer
        return dict(answer)

    async def updates(self, *, confirm: bool = True) -> list[dict[str, Any]]:
        """The pending updates as getUpdates returns them; `confirm`: then confirm them."""
        async with self.http.post(f"{self.base}/bot{TOKEN}/getUpdates") as r:
            body = await r.json()
        result = list(body["result"])
        if result and confirm:  # as a poller does
            offset = {"offset": result[-1]["update_id"] + 1}
            async with self.http.post(f"{self.base}/bot{TOKEN}/getUpdates", data=offset):
                pass
        return result


@pytest.fixture
async def stand(telegram_stand_in: TelegramStandIn) -> AsyncIterator[Stand]:
    bot = Bot(
        TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram_stand_in.url))
    )
    async with aiohttp.ClientSession() as http:
        yield Stand(telegram_stand_in.url, bot, http)
    await bot.session.close()


async def test_a_group_message_comes_from_the_user_in_the_group(stand: Stand) -> None:
    sent = await stand.send("/balance@OtherBot", chat_id=SUPERGROUP, chat_title="XRP friends")
    assert sent["chat_id"] == SUPERGROUP
    [update] = await stand.updates(confirm=False)
    message = update["message"]
    assert message["chat"] == {"id": SUPERGROUP, "title": "XRP friends", "type": "supergroup"}
    assert message["from"] == {
        "id": USER,
        "is_bot": False,
        "first_name": "Bijoy",
        "username": "bijoy",
    }
    assert message["entities"] == [{"offset": 0, "length": 17, "type": "bot_command"}]
    # aiogram reads it as a group message (https://core.telegram.org/bots/api#message)
    [parsed] = await stand.bot.get_updates(offset=update["update_id"])
    assert parsed.message is not None
    assert parsed.message.chat.type == "supergroup"
    assert parsed.message.chat.title == "XRP friends"
    assert parsed.message.from_user is not None
    assert parsed.message.from_user.id == USER


async def test_group_types_follow_the_id_unless_given(stand: Stand) -> None:
    await stand.send("hello", chat_id=GROUP, chat_title="Basic")
    await stand.send("/help", chat_id=-77, chat_title="Made super", chat_type="supergroup")
    await stand.send("again", chat_id=GROUP)  # a known group keeps its title and type
    chats = [u["message"]["chat"] for u in await stand.updates()]
    assert chats == [
        {"id": GROUP, "title": "Basic", "type": "group"},
        {"id": -77, "title": "Made super", "type": "supergroup"},
        {"id": GROUP, "title": "Basic", "type": "group"},
    ]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"chat_id": GROUP}, "chat_title is required"),
        ({"chat_id": GROUP, "chat_title": " "}, "chat_title must be"),
        ({"chat_id": GROUP, "chat_title": "G", "chat_type": "channel"}, "chat_type must be"),
        ({"chat_id": USER + 1}, "groups' are negative"),
    ],
)
async def test_a_group_message_needs_a_group(
    stand: Stand, fields: dict[str, Any], error: str
) -> None:
    body = {"user_id": USER, "text": "/help", **fields}
    status, answer = await stand.control("POST", "send", json=body)
    assert status == 400
    assert error in answer["error"]


async def test_the_bots_answers_land_in_the_group_and_are_listed_there(stand: Stand) -> None:
    await stand.send("/help", chat_id=SUPERGROUP, chat_title="XRP friends")
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Week", callback_data="px:usd:7d")]]
    )
    sent = await stand.bot.send_message(SUPERGROUP, "Prices", reply_markup=keyboard)
    assert sent.chat.id == SUPERGROUP
    assert sent.chat.type == "supergroup"
    _, group = await stand.control("GET", "messages", params={"chat_id": SUPERGROUP})
    assert [m["text"] for m in group["messages"]] == ["Prices"]
    _, private = await stand.control("GET", "messages", params={"chat_id": USER})
    assert private["messages"] == []
    # the user's message and the bot's answer, in order, in the group's transcript
    _, transcript = await stand.control("GET", "transcript", params={"chat_id": SUPERGROUP})
    assert [(e["kind"], e.get("user_id")) for e in transcript["events"]] == [
        ("user_message", USER),
        ("bot_message", None),
    ]

    # a button under the group message: the query comes from the user, its message is the group's
    await stand.updates()
    status, pressed = await stand.control(
        "POST",
        "press",
        json={
            "user_id": USER,
            "chat_id": SUPERGROUP,
            "message_id": sent.message_id,
            "data": "px:usd:7d",
        },
    )
    assert status == 200, pressed
    [update] = await stand.updates()
    query = update["callback_query"]
    assert query["from"]["id"] == USER
    assert query["message"]["chat"]["id"] == SUPERGROUP
    assert query["message"]["from"]["is_bot"] is True
    assert await stand.bot.answer_callback_query(pressed["callback_query_id"], text="ok")


async def test_writing_in_a_group_does_not_start_the_bot(stand: Stand) -> None:
    await stand.send("/balance", chat_id=GROUP, chat_title="Basic")
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await stand.bot.send_message(USER, "hi in private")
    status, _ = await stand.control("POST", "block", json={"user_id": USER})
    assert status == 404  # never started the bot
    await stand.send("/start")  # now they have
    assert (await stand.bot.send_message(USER, "hi in private")).chat.type == "private"
    await stand.send("more", chat_id=GROUP)  # writing in the group again changes nothing
    assert (await stand.bot.send_message(USER, "still")).chat.id == USER


async def test_an_unknown_group_is_not_found(stand: Stand) -> None:
    async with stand.http.post(
        f"{stand.base}/bot{TOKEN}/sendMessage", data={"chat_id": str(GROUP), "text": "hi"}
    ) as r:
        assert r.status == 400
        assert (await r.json())["description"] == "Bad Request: chat not found"


async def test_flood_control_allows_20_messages_a_minute_to_each_group(stand: Stand) -> None:
    await stand.send("/help", chat_id=SUPERGROUP, chat_title="Busy")
    await stand.send("/help", chat_id=GROUP, chat_title="Quiet")
    status, _ = await stand.control(
        "POST", "flood", json={"chat_per_second": 1000, "chat_burst": 1000}
    )
    assert status == 200
    for i in range(20):
        await stand.bot.send_message(SUPERGROUP, f"answer {i}")
    with pytest.raises(TelegramRetryAfter) as err:
        await stand.bot.send_message(SUPERGROUP, "one too many")
    assert 1 <= err.value.retry_after <= 60
    await stand.bot.send_message(GROUP, "another group has its own minute")
    _, flood = await stand.control("GET", "flood")
    assert flood["rejected_by_chat"] == {str(SUPERGROUP): 1}


async def test_the_control_client_writes_in_groups(telegram_stand_in: TelegramStandIn) -> None:
    # the client is synchronous (httpx): run it beside the stand-in's event loop
    client = TelegramSandbox(telegram_stand_in.url)
    user = SandboxUser(USER, "Bijoy", "bijoy")
    update_id = await asyncio.to_thread(
        client.send, user, "/prices", chat_id=SUPERGROUP, chat_title="XRP friends"
    )
    [pending] = telegram_stand_in.state.bot().pending
    assert pending.update_id == update_id
    assert pending.payload["chat"]["type"] == "supergroup"
    assert pending.payload["from"]["id"] == USER
    assert await asyncio.to_thread(client.messages, SUPERGROUP) == []
    client.client.close()
