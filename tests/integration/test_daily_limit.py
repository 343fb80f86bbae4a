"""End to end: a user lowers their own daily sending limit in /settings, and wallet holds them
to it: a confirmed /send over it ends "not sent" with what is left today, one within it is
sent, and Default lifts it again; a SetDailyLimit above the default, published with the
gateway's own broker credentials, is refused. Users act through the Telegram stand-in; wallet
keeps the limit in its own schema."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import aio_pika
import httpx
import pytest

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox
from xrpbot.schemas import Actor, SetDailyLimit

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
XRP = 1_000_000


def _open_wallet(tg: TelegramSandbox, user: SandboxUser) -> str:
    found = ADDRESS.search(tg.ask(user, "/wallet", "XRP", timeout=60).text)
    assert found
    return found.group(0)


def _press(tg: TelegramSandbox, user: SandboxUser, message: BotMessage, label: str) -> None:
    tg.press(user, message.message_id, message.button(label))


def _choose_limit(
    tg: TelegramSandbox, user: SandboxUser, screen: BotMessage, label: str, shows: str
) -> BotMessage:
    """/settings → Daily limit → `label`; the settings screen once it `shows` the new limit."""
    _press(tg, user, screen, "Daily limit")
    choice = tg.wait_message(
        user, screen.message_id, lambda m: "Choose your daily sending limit" in m.text
    )
    _press(tg, user, choice, label)
    return tg.wait_message(user, screen.message_id, lambda m: shows in m.text)


def _send(tg: TelegramSandbox, user: SandboxUser, text: str) -> BotMessage:
    """`/send …`, Confirm; the message once it says Sent or not sent."""
    quote = tg.ask(user, text, "Confirm within", timeout=60)
    tg.press(user, quote.message_id, quote.button("Confirm"))
    return tg.wait_message(
        user, quote.message_id, lambda m: m.text.startswith(("✅ Sent", "❌")), timeout=60
    )


def _own_limit(db: Any, user: SandboxUser, expected: int | None) -> Any:
    """wallet.wallets.daily_limit_drops, polled until it is `expected` or 10 seconds pass."""
    deadline = time.monotonic() + 10
    while True:
        value = db.val(
            "SELECT daily_limit_drops FROM wallet.wallets WHERE telegram_id = %s", user.user_id
        )
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


async def _publish_as_gateway(stack: Stack, command: SetDailyLimit) -> None:
    """Publish `command` on xrpbot.commands with the gateway's own broker credentials."""
    connection = await aio_pika.connect(stack.service_env["gateway"]["RABBITMQ_URL"])
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        commands = await channel.get_exchange("xrpbot.commands", ensure=False)
        await commands.publish(
            aio_pika.Message(command.model_dump_json().encode(), content_type="application/json"),
            routing_key=command.kind,
        )


def _balance(xrpl: Any, address: str) -> int:
    info = xrpl("account_info", account=address, ledger_index="validated")
    return int(info["account_data"]["Balance"])


def test_a_lowered_daily_limit_is_kept_by_wallet(
    ready: Stack, telegram: TelegramSandbox, new_user: Any, db: Any, xrpl: Any
) -> None:
    tg, alice, bob = telegram, new_user("Alice"), new_user("Bob")
    alice_address = _open_wallet(tg, alice)
    _open_wallet(tg, bob)
    # enough XRP that only the limit can stop a send (the faucet's first payment is 100 XRP)
    httpx.post(
        ready.env["XRPL_FAUCET_URL"],
        json={"destination": alice_address, "xrpAmount": "1000"},
        timeout=30,
    ).raise_for_status()
    deadline = time.monotonic() + 60
    while _balance(xrpl, alice_address) < 1_000 * XRP:
        assert time.monotonic() < deadline, "the faucet's second payment was not validated"
        time.sleep(0.2)

    screen = tg.ask(alice, "/settings", "Daily sending limit")
    assert "Daily sending limit: 10,000 XRP (the default)" in screen.text
    screen = _choose_limit(tg, alice, screen, "100 XRP", "Daily sending limit: 100 XRP (yours")
    assert "You can send up to 100 XRP more in the next 24 hours." in screen.text
    assert _own_limit(db, alice, 100 * XRP) == 100 * XRP

    # whoever publishes it (here: a gateway taken over), a limit above the default is refused
    seen = {m.message_id for m in tg.messages(alice.chat_id)}
    raise_it = SetDailyLimit.new(
        user=Actor(telegram_id=alice.user_id, username=alice.username),
        chat_id=alice.user_id,
        limit_drops=1_000_000 * XRP,
    )
    asyncio.run(_publish_as_gateway(ready, raise_it))
    refused = tg.wait_new(alice, seen, "never raised above the default")
    assert "nothing was changed" in refused.text
    assert _own_limit(db, alice, 100 * XRP) == 100 * XRP

    over = _send(tg, alice, f"/send 150 @{bob.username}")
    assert over.text.startswith(f"❌ 150 XRP to @{bob.username} — not sent."), over.text
    assert "over your daily sending limit" in over.text
    assert "up to 100 XRP more in the next 24 hours" in over.text

    within = _send(tg, alice, f"/send 60 @{bob.username}")
    assert within.text.startswith(f"✅ Sent 60 XRP to @{bob.username}"), within.text
    left = tg.ask(alice, "/settings", "Daily sending limit")
    assert "You can send up to 40 XRP more in the next 24 hours." in left.text

    screen = _choose_limit(tg, alice, left, "Default", "(the default)")
    assert "Daily sending limit: 10,000 XRP (the default)" in screen.text
    assert _own_limit(db, alice, None) is None
    again = _send(tg, alice, f"/send 150 @{bob.username}")
    assert again.text.startswith(f"✅ Sent 150 XRP to @{bob.username}"), again.text
