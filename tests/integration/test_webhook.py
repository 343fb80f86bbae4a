"""The gateway's webhook: wrong or missing secret → 401 and nothing processed;
a body over the limit → 413; malformed JSON or an unknown update type → 200, ignored; a repeated
update_id changes nothing; the answer comes before the work (the update is processed after)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import SandboxUser, TelegramSandbox

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


def test_a_body_over_the_limit_is_413(ready: Stack) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": ready.env["TELEGRAM_WEBHOOK_SECRET"]}
    r = httpx.post(_webhook(ready), content=b" " * (1024 * 1024 + 1), headers=headers, timeout=10)
    assert r.status_code == 413


def test_an_unknown_update_type_is_acknowledged_and_ignored(ready: Stack, db: Any) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": ready.env["TELEGRAM_WEBHOOK_SECRET"]}
    update = {"update_id": 900_000_777, "some_future_update": {"id": 1}}
    r = httpx.post(_webhook(ready), json=update, headers=headers, timeout=10)
    assert r.status_code == 200
    assert db.val("SELECT count(*) FROM gateway.webhook_updates WHERE update_id = 900000777") == 0


def test_the_webhook_answers_before_the_work_and_the_work_follows(
    ready: Stack, telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    user = new_user("Quinn")
    telegram.send(user, "/start")
    telegram.wait_for(user.chat_id, lambda ms: len(ms) >= 1)
    before = len(telegram.messages(user.chat_id))
    update_id = 900_100_000 + user.user_id % 100_000
    headers = {"X-Telegram-Bot-Api-Secret-Token": ready.env["TELEGRAM_WEBHOOK_SECRET"]}
    # Telegram answers the bot's next message with 429 retry_after=3: the 200 must not wait
    telegram.client.post(
        f"{telegram.base_url}/sandbox/fail",
        json={"method": "sendMessage", "error_code": 429, "retry_after": 3},
    ).raise_for_status()
    r = httpx.post(
        _webhook(ready), json=_update(update_id, user, "/help"), headers=headers, timeout=10
    )
    assert r.status_code == 200
    assert db.val("SELECT count(*) FROM gateway.webhook_updates WHERE update_id = %s", update_id)
    assert len(telegram.messages(user.chat_id)) == before  # answered before the work was done
    telegram.wait_for(user.chat_id, lambda ms: len(ms) > before, timeout=60)
    deadline = time.monotonic() + 30
    while not db.val(
        "SELECT done_at IS NOT NULL FROM gateway.webhook_updates WHERE update_id = %s", update_id
    ):
        assert time.monotonic() < deadline, "the update was never marked processed"
        time.sleep(0.1)
