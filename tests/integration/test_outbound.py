"""Replies go out within Telegram's limits: with the stand-in's flood control on, a burst of 500
replies to 100 chats gets no 429 and loses nothing, also when the gateway restarts mid-burst.

The replies are published straight onto `xrpbot.replies` (as wallet would publish them), each
a BalanceReported whose balance numbers it (101-105 XRP: the chat's 1st-5th reply), so the test
can tell which reply each message is, count them per chat, and check their order.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from typing import Any
from uuid import uuid4

import pytest
from faststream.rabbit import RabbitBroker

from xrpbot.runtime.topology import REPLIES
from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import SandboxUser, TelegramSandbox
from xrpbot.schemas import Actor, BalanceReported

pytestmark = pytest.mark.integration

CHATS = 100
PER_CHAT = 5
ADDRESS = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"
BALANCE = re.compile(r"Balance:\s*(\d+) XRP")


def _reply(user: SandboxUser, k: int) -> BalanceReported:
    return BalanceReported(
        correlation_id=uuid4(),  # no placeholder waits for it: it goes out as a new message
        user=Actor(telegram_id=user.user_id, first_name=user.first_name),
        chat_id=user.chat_id,
        address=ADDRESS,
        balance_drops=(100 + k) * 1_000_000,
        reserve_base_drops=1_000_000,
        reserve_owner_drops=200_000,
        owner_count=0,
        reserve_drops=1_000_000,
        ledger_index=1000 + k,
    )


async def _publish(url: str, replies: list[BalanceReported]) -> None:
    async with RabbitBroker(url, logger=None) as broker:
        for reply in replies:
            await broker.publish(
                reply.model_dump_json().encode(),
                exchange=REPLIES,
                routing_key=reply.ROUTING_KEY,
                message_id=str(reply.event_id),
                correlation_id=str(reply.correlation_id),
                content_type="application/json",
                persist=True,
            )


def _numbers(telegram: TelegramSandbox, user: SandboxUser) -> list[int]:
    """Which of the burst's replies the chat shows, in the order the bot sent them."""
    found = []
    for message in telegram.messages(user.chat_id):
        match = BALANCE.search(message.text)
        if match and 101 <= int(match.group(1)) <= 100 + PER_CHAT:
            found.append(int(match.group(1)) - 100)
    return found


def _wait_all(telegram: TelegramSandbox, users: list[SandboxUser], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    missing = list(users)
    while missing:
        missing = [u for u in missing if len(_numbers(telegram, u)) < PER_CHAT]
        if missing and time.monotonic() > deadline:
            raise TimeoutError(f"{len(missing)} chats still miss replies")
        time.sleep(0.5)


def _delivered(telegram: TelegramSandbox) -> int:
    calls = telegram.client.get(
        f"{telegram.base_url}/sandbox/calls", params={"method": "sendMessage"}
    ).json()["calls"]
    return sum(1 for c in calls if c.get("ok") and "Balance" in str(c["params"].get("text", "")))


@pytest.fixture
def chats(ready: Stack, telegram: TelegramSandbox, new_user: Any) -> list[SandboxUser]:
    """100 users who started the bot (so the stand-in accepts messages to them)."""
    users = [new_user(f"Burst{i}") for i in range(CHATS)]
    for user in users:
        telegram.send(user, "/start")
    for user in users:
        telegram.wait_for(user.chat_id, lambda ms: len(ms) >= 1, timeout=120)
    return users


@pytest.fixture
def flood(telegram: TelegramSandbox) -> Any:
    """Flood control on with Telegram's FAQ limits, the ones the gateway is configured for
    (TELEGRAM_CHAT_BURST 3: 1 message a second per chat with bursts of 3, 30 a second in
    all); off afterwards. A stand-in stricter than the gateway's configuration (no burst in a
    chat) would refuse what the gateway rightly sends: a chat whose previous message waited
    for the global limit may get its next one right after."""
    telegram.flood(True, chat_per_second=1, chat_burst=3, global_per_second=30, global_burst=30)
    yield telegram
    telegram.flood(False)


def test_a_burst_of_500_replies_to_100_chats_gets_no_429_and_loses_nothing(
    ready: Stack, chats: list[SandboxUser], flood: TelegramSandbox
) -> None:
    telegram = flood
    replies = [_reply(u, k) for k in range(1, PER_CHAT + 1) for u in chats]
    asyncio.run(_publish(ready.env["RABBITMQ_URL"], replies))
    _wait_all(telegram, chats, timeout=300)
    assert telegram.flood_status()["rejected"] == 0
    for user in chats:
        assert _numbers(telegram, user) == [1, 2, 3, 4, 5]  # each once, in order


@pytest.mark.parametrize("crash", [False], ids=["sigterm"])
def test_the_same_burst_with_the_gateway_restarted_midway_delivers_each_reply_once(
    ready: Stack, chats: list[SandboxUser], flood: TelegramSandbox, crash: bool
) -> None:
    telegram = flood
    before = _delivered(telegram)
    replies = [_reply(u, k) for k in range(1, PER_CHAT + 1) for u in chats]
    asyncio.run(_publish(ready.env["RABBITMQ_URL"], replies))
    deadline = time.monotonic() + 120
    while _delivered(telegram) - before < 100:  # mid-burst: some delivered, most not yet
        assert time.monotonic() < deadline, "the burst did not start"
        time.sleep(0.2)
    ready.restart("gateway", crash=crash)
    _wait_all(telegram, chats, timeout=300)
    time.sleep(3)  # let a duplicate, if any, surface
    assert telegram.flood_status()["rejected"] == 0
    for user in chats:
        assert Counter(_numbers(telegram, user)) == Counter(range(1, PER_CHAT + 1))


def _shown(telegram: TelegramSandbox, user: SandboxUser) -> int:
    """How many messages and edits the bot has made in the user's chat so far."""
    return sum(1 + len(m.edits) for m in telegram.messages(user.chat_id))


def test_a_flood_from_one_user_does_not_hold_another_users_answer(
    ready: Stack, new_user: Any, flood: TelegramSandbox
) -> None:
    """Sixty /wallet from one user, then /balance from another: the other's answer does not
    wait for the flooder's send slots.

    Measured in the flooder's own pace (its chat gets 1 message a second): while the other
    user waits for the answer, the flooder's chat may move by a message or two, not by the
    backlog of its queued answers (which is what an update holding its chat's slot costs).
    """
    telegram = flood
    flooder, other = new_user("Flooder"), new_user("Other")
    for _ in range(60):
        telegram.send(flooder, "/wallet")
    telegram.wait_for(flooder.chat_id, lambda ms: len(ms) >= 1, timeout=60)
    before = _shown(telegram, flooder)
    telegram.send(other, "/balance")
    telegram.wait_for(
        other.chat_id,
        lambda ms: any(
            "wallet" in m.text.lower() and "checking" not in m.text.lower() for m in ms
        ),
        timeout=60,
    )
    during = _shown(telegram, flooder) - before
    final, deadline = before + during, time.monotonic() + 120
    while time.monotonic() < deadline:  # until the flooder's answers stop coming
        time.sleep(3)
        now = _shown(telegram, flooder)
        if now == final:
            break
        final = now
    backlog = final - before
    assert backlog >= 5, "the flooder still had answers queued when the other user asked"
    assert during <= 3, f"the other user's answer waited for {during} of the flooder's messages"
    assert telegram.flood_status()["rejected"] == 0
