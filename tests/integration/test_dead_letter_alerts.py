"""End to end: a dead-letter queue filling up tells the admin once when it reaches 80 % of its
bound and once when it is full, in words, through the gateway and the Telegram stand-in.

pricing is restarted for this test with a bound of 5 (DEAD_LETTER_MAX_LENGTH) and a broker
policy bounding `pricing.dead-letter` to 5 as well (above the provisioned one, so the two
agree), then given back its usual settings."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import uuid
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

import aio_pika
import pytest

from xrpbot.access.rights import DEAD_LETTER_BOUNDS
from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

ADMIN_ID = 5_999_999_999  # the conftest's ADMIN_IDS
BOUND = 5
QUEUE = "pricing.dead-letter"
POLICY = "xrpbot-test-small-dead-letter-bound"
FILLING = "pricing's dead-letter queue is 80% full"
FULL = "pricing's dead-letter queue is full"


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def small_bound(ready: Stack) -> Iterator[Stack]:
    """pricing with a dead-letter queue bounded to BOUND, empty; restored afterwards."""
    vhost = unquote(urlsplit(ready.env["RABBITMQ_URL"]).path.lstrip("/")) or "/"
    _rabbitmqctl(
        "set_policy",
        "-p",
        vhost,
        "--apply-to",
        "queues",
        "--priority",
        "10",
        POLICY,
        f"^{QUEUE.replace('.', '[.]')}$",
        json.dumps({**DEAD_LETTER_BOUNDS.definition, "max-length": BOUND}),
    )
    _rabbitmqctl("purge_queue", "-p", vhost, QUEUE)
    own = ready.service_env.setdefault("pricing", {})
    saved = dict(own)
    own.update({"DEAD_LETTER_MAX_LENGTH": str(BOUND), "DEAD_LETTER_CHECK_SECONDS": "0.2"})
    ready.restart("pricing")
    try:
        yield ready
    finally:
        _rabbitmqctl("clear_policy", "-p", vhost, POLICY)
        _rabbitmqctl("purge_queue", "-p", vhost, QUEUE)
        own.clear()
        own.update(saved)
        ready.restart("pricing")


async def _dead_letter(stack: Stack, count: int) -> None:
    """Publish `count` bodies pricing cannot read: each is dead-lettered at once."""
    connection = await aio_pika.connect(stack.env["RABBITMQ_URL"])  # the test's admin
    async with connection:
        channel = await connection.channel()
        commands = await channel.get_exchange("xrpbot.commands")
        for _ in range(count):
            await commands.publish(
                aio_pika.Message(b'{"not": "a command"}', message_id=str(uuid.uuid4())),
                routing_key="pricing.get_prices",
            )


def _alerts(messages: list[BotMessage]) -> list[str]:
    return [m.text for m in messages if "pricing's dead-letter queue" in m.text]


def test_an_admin_is_told_once_at_80_percent_and_once_when_full(
    small_bound: Stack, telegram: TelegramSandbox
) -> None:
    admin = SandboxUser(ADMIN_ID, "Admin", "the_admin")
    telegram.ask(admin, "/help", "Custodial")  # the admin's chat with the bot exists
    assert _alerts(telegram.messages(admin.chat_id)) == []

    asyncio.run(_dead_letter(small_bound, BOUND - 1))  # 4 of 5: 80 %
    telegram.wait_for(admin.chat_id, lambda ms: any(FILLING in t for t in _alerts(ms)), 60)

    asyncio.run(_dead_letter(small_bound, 2))  # 5 of 5, the sixth refused
    shown = telegram.wait_for(admin.chat_id, lambda ms: any(FULL in t for t in _alerts(ms)), 60)

    # the full alert came from a later sample than the filling one: samples in between, and the
    # ones of the same crossing, told nobody again
    alerts = _alerts(shown)
    assert len(alerts) == 2, alerts
    assert alerts[0].startswith(f"⚠️ {FILLING} (4 of 5 messages in {QUEUE}).")
    # the broker checks the bound once a message is in, so one may go over it
    assert re.match(rf"🚨 {FULL} \([56] of 5 messages in {QUEUE}\): new dead letters", alerts[1])
