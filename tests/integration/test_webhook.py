"""The gateway's webhook: the secret header is required, and a replayed update_id changes nothing."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from xrpbot.sandbox.client import SandboxUser, TelegramSandbox
from xrpbot.sandbox.stack import Stack

pytestmark = pytest.mark.integration


def _update(update_id: int, user: SandboxUser, text: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10_000 + update_id % 1000,
            "from": {
                "id": user.user_id,
                "is_bot": False,
                "first_name": user.first_name,
                "language_code": "en",
            },
            "chat": {"id": user.chat_id, "first_name": user.first_name, "type": "private"},
            "date": int(time.time()),
            "text": text,
            "entities": [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}],
        },
    }


def _webhook(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.port('gateway')}/telegram/webhook"


def test_wrong_or_missing_secret_gets_401_and_nothing_happens(
    ready: Stack, telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    user = new_user("Mallory")
    telegram.send(user, "/start")  # the chat exists, so a reply could be delivered
    telegram.wait_for(user.chat_id, lambda ms: len(ms) >= 1)
    before = len(telegram.messages(user.chat_id))
    update = _update(900_000_001, user, "/wallet")
    for headers in ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {}):
        r = httpx.post(_webhook(ready), json=update, headers=headers, timeout=10)
        assert r.status_code == 401
    time.sleep(2)
    assert len(telegram.messages(user.chat_id)) == before
    assert db.val("SELECT count(*) FROM wallet.wallets WHERE telegram_id = %s", user.user_id) == 0
    assert (
        db.val("SELECT count(*) FROM gateway.processed_updates WHERE update_id = 900000001") == 0
    )


def test_replayed_update_id_changes_nothing(
    ready: Stack, telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    user = new_user("Rita")
    telegram.send(user, "/start")
    telegram.wait_for(user.chat_id, lambda ms: len(ms) >= 1)
    before = len(telegram.messages(user.chat_id))
    update = _update(900_000_002 + user.user_id % 1000, user, "/balance")
    headers = {"X-Telegram-Bot-Api-Secret-Token": ready.env["TELEGRAM_WEBHOOK_SECRET"]}
    for _ in range(3):
        r = httpx.post(_webhook(ready), json=update, headers=headers, timeout=10)
        assert r.status_code == 200
    telegram.wait_for(user.chat_id, lambda ms: len(ms) > before and "/wallet" in ms[-1].text)
    time.sleep(2)  # let any duplicate surface
    assert len(telegram.messages(user.chat_id)) == before + 1
    commands = db.val(
        "SELECT count(*) FROM gateway.outbox WHERE routing_key = 'wallet.get_balance' "
        "AND body::jsonb -> 'user' ->> 'telegram_id' = %s",
        str(user.user_id),
    )
    assert commands == 1


def test_malformed_body_is_acknowledged_and_ignored(ready: Stack) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": ready.env["TELEGRAM_WEBHOOK_SECRET"]}
    r = httpx.post(_webhook(ready), content=b"{not json", headers=headers, timeout=10)
    assert r.status_code == 200
