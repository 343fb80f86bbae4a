"""End to end: the bot in a group answers /help and /prices there, points /balance and /send to
the private chat without showing anything private, and ignores commands for other bots. Users
act through the Telegram stand-in's groups."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest

from xrpbot.sandbox.tools.telegram_control import BotMessage, TelegramSandbox

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
POINTER = "continue in a private chat"


def test_group_rules(telegram: TelegramSandbox, new_user: Any) -> None:
    tg, user = telegram, new_user("Grouped")
    # a wallet first, so that a leak into the group would have an address and a balance to show
    funded = tg.ask(user, "/wallet", "XRP", timeout=60)
    address = ADDRESS.search(funded.text)
    assert address
    private = [m.message_id for m in tg.messages(user.chat_id)]
    group = -1_000_000_000_000 - secrets.randbelow(10**9)  # a supergroup's id

    assert (
        "/prices" in tg.ask(user, "/help", "Custodial", chat_id=group, chat_title="Friends").text
    )
    seen = {m.message_id for m in tg.messages(group)}
    tg.send(user, "/prices", chat_id=group)

    def priced(messages: list[BotMessage]) -> bool:
        return any(m.message_id not in seen and "…" not in m.text for m in messages)

    tg.wait_for(group, priced, timeout=30)

    for command in ("/balance", "/send 1 @somebody"):
        pointer = tg.ask(user, command, POINTER, chat_id=group)
        assert pointer.button("private chat").endswith("?start=menu")
    # a command for another bot gets nothing: one chat's updates are handled in order and its
    # messages sent in order, so once the /help that follows is answered, the pointers of every
    # update before it are there
    tg.send(user, "/balance@OtherBot", chat_id=group)
    tg.send(user, "/balance", chat_id=group)
    tg.ask(user, "/help", "Custodial", chat_id=group)

    messages = tg.messages(group)
    assert [POINTER in m.text.lower() for m in messages].count(True) == 3
    assert not any(ADDRESS.search(m.text) for m in messages)
    assert [m.message_id for m in tg.messages(user.chat_id)] == private  # nothing sent there
