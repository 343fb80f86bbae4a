"""The gateway on the real RabbitMQ and Postgres with the Telegram stand-in.

A /wallet update produces exactly one CreateWallet on `xrpbot.commands`; the same update_id
again produces none; a WalletCreated on `xrpbot.replies` edits the placeholder, once.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest
import pytest_asyncio

from xrpbot.gateway.domain.ids import correlation_id_for
from xrpbot.schemas import (
    Actor,
    CreateWallet,
    ErrorCode,
    GetBalance,
    WalletCreated,
    WalletFailed,
    WalletInfo,
)

pytestmark = pytest.mark.integration

BOT_ID = 123456789
ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"
Eventually = Callable[..., Awaitable[Any]]


class Bus:
    """A test listener on `xrpbot.commands` (exclusive, auto-deleted) and a replies publisher."""

    def __init__(self, connection: aio_pika.abc.AbstractRobustConnection) -> None:
        self.connection = connection
        self.commands: list[dict[str, Any]] = []

    async def listen(self) -> None:
        channel = await self.connection.channel()
        self.channel = channel
        commands = await channel.declare_exchange(
            "xrpbot.commands", aio_pika.ExchangeType.TOPIC, durable=True
        )
        self.replies = await channel.declare_exchange(
            "xrpbot.replies", aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(commands, routing_key="wallet.#")

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                self.commands.append(json.loads(message.body))

        await queue.consume(collect)

    async def reply(self, reply: WalletCreated | WalletFailed) -> None:
        await self.replies.publish(
            aio_pika.Message(
                reply.model_dump_json().encode(),
                content_type="application/json",
                message_id=str(reply.event_id),
                correlation_id=str(reply.correlation_id),
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=reply.ROUTING_KEY,
        )


@pytest_asyncio.fixture
async def bus(rabbitmq_url: str) -> AsyncIterator[Bus]:
    connection = await aio_pika.connect_robust(rabbitmq_url)
    bus = Bus(connection)
    await bus.listen()
    try:
        yield bus
    finally:
        await connection.close()


@pytest_asyncio.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection[Any]]:
    conn = await asyncpg.connect(database_url, server_settings={"search_path": "gateway"})
    try:
        yield conn
    finally:
        await conn.close()


def _update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "from": {"id": user_id, "is_bot": False, "first_name": "Ada", "language_code": "en"},
            "chat": {"id": user_id, "first_name": "Ada", "type": "private"},
            "date": int(time.time()),
            "text": text,
            "entities": [{"offset": 0, "length": len(text), "type": "bot_command"}],
        },
    }


async def test_wallet_update_to_command_and_reply_to_edited_placeholder(
    gateway_factory: Any, sandbox: Any, bus: Bus, db: Any, eventually_: Eventually
) -> None:
    gateway = await gateway_factory("webhook")
    await eventually_(lambda: _webhook_registered(sandbox, gateway.webhook_url), what="setWebhook")
    user_id = 5_000_001

    update_id = await sandbox.send(user_id, "/wallet")
    await eventually_(lambda: _at_least(bus.commands, 1), what="CreateWallet on the bus")
    [raw] = bus.commands
    command = CreateWallet.model_validate(raw)
    assert command.correlation_id == correlation_id_for(BOT_ID, update_id)
    assert command.user == Actor(
        telegram_id=user_id, username=f"user{user_id}", first_name="Ada", language_code="en"
    )
    assert command.chat_id == user_id
    # shown after the update's commit, by the outgoing sender
    [placeholder] = await eventually_(
        lambda: sandbox.messages(user_id), what="the placeholder in the chat"
    )
    assert placeholder["text"] == "Creating your wallet…"

    # Telegram re-sends the same update (a lost 200): nothing new happens
    async with httpx.AsyncClient(timeout=10) as http:
        for _ in range(2):
            r = await http.post(
                gateway.webhook_url,
                json=_update(update_id, user_id, "/wallet"),
                headers={"X-Telegram-Bot-Api-Secret-Token": gateway.settings.webhook_secret},
            )
            assert r.status_code == 200
    await asyncio.sleep(1.5)  # give a duplicate every chance to surface
    assert len(bus.commands) == 1
    assert len(await sandbox.messages(user_id)) == 1
    outbox = await db.fetch("SELECT exchange, routing_key FROM outbox ORDER BY id")
    assert [(r["exchange"], r["routing_key"]) for r in outbox] == [
        ("xrpbot.events", "gateway.user_seen"),  # the user, reported once
        ("xrpbot.commands", "wallet.create_wallet"),
    ]
    assert await db.fetchval("SELECT count(*) FROM processed_updates") == 1

    reply = WalletCreated.replying_to(
        command,
        wallet=WalletInfo(address=ADDRESS, funded=True),
        already_existed=False,
        funded_now=True,
        balance_drops=100_000_000,
    )
    await bus.reply(reply)
    [message] = await eventually_(lambda: _edited(sandbox, user_id), what="the placeholder edited")
    assert message["message_id"] == placeholder["message_id"]
    assert ADDRESS in message["text"]
    assert "funded with 100 XRP from the Testnet faucet" in message["text"]
    assert message["edits"][0]["text"] == "Creating your wallet…"
    assert message["reply_markup"]["inline_keyboard"][0][0]["url"].endswith(ADDRESS)
    await eventually_(
        lambda: _no_rows(db, "SELECT count(*) FROM pending_replies"), what="placeholder forgotten"
    )

    # the broker redelivers the reply (same event_id): Telegram is not called again
    await bus.reply(reply)
    await asyncio.sleep(1.0)
    assert len(await sandbox.calls("editMessageText")) == 1
    assert len(await sandbox.messages(user_id)) == 1


async def test_polling_mode_balance_without_wallet(
    gateway_factory: Any, sandbox: Any, bus: Bus, db: Any, eventually_: Eventually
) -> None:
    await gateway_factory("polling")
    user_id = 5_000_002
    update_id = await sandbox.send(user_id, "/balance")
    await eventually_(lambda: _at_least(bus.commands, 1), what="GetBalance on the bus")
    command = GetBalance.model_validate(bus.commands[0])
    assert command.correlation_id == correlation_id_for(BOT_ID, update_id)
    # a reply slower than the placeholder delay: the placeholder is shown, then edited
    await eventually_(lambda: sandbox.messages(user_id), what="the placeholder")

    await bus.reply(
        WalletFailed.replying_to(
            command, code=ErrorCode.WALLET_NOT_FOUND, command=GetBalance.ROUTING_KEY
        )
    )
    [message] = await eventually_(lambda: _edited(sandbox, user_id), what="placeholder edited")
    assert message["text"] == "You don't have a wallet yet — send /wallet to create one."
    assert message["edits"][0]["text"] == "Checking your balance…"
    assert (await sandbox.updates())["webhook"] is None


async def test_start_and_plain_text_need_no_backend(
    gateway_factory: Any, sandbox: Any, bus: Bus, db: Any, eventually_: Eventually
) -> None:
    await gateway_factory("polling")
    user_id = 5_000_003
    await sandbox.send(user_id, "/start")
    await sandbox.send(user_id, "hello?")
    messages = await eventually_(lambda: _messages(sandbox, user_id, 2), what="welcome and hint")
    assert "Testnet" in messages[0]["text"]
    assert "/help" in messages[1]["text"]
    assert bus.commands == []

    async def both_claimed() -> bool:  # the answers go out after their transactions commit
        return bool(await db.fetchval("SELECT count(*) FROM processed_updates") == 2)

    await eventually_(both_claimed, what="both updates claimed")
    assert await db.fetchval("SELECT language_code FROM chats WHERE chat_id = $1", user_id) == "en"


async def _webhook_registered(sandbox: Any, url: str) -> bool:
    return bool((await sandbox.updates())["webhook"] == url)


async def _at_least(items: list[Any], n: int) -> bool:
    return len(items) >= n


async def _edited(sandbox: Any, chat_id: int) -> list[dict[str, Any]] | None:
    messages: list[dict[str, Any]] = await sandbox.messages(chat_id)
    return messages if messages and messages[-1]["edits"] else None


async def _messages(sandbox: Any, chat_id: int, n: int) -> list[dict[str, Any]] | None:
    messages: list[dict[str, Any]] = await sandbox.messages(chat_id)
    return messages if len(messages) >= n else None


async def _no_rows(db: Any, sql: str) -> bool:
    return bool(await db.fetchval(sql) == 0)
