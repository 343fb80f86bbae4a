"""`python -m xrpbot.gateway set-webhook | delete-webhook`: Bot API parameters, no secret printed."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot

from xrpbot.gateway.cli import main

SECRET = "cli_Secret-42"
URL = "https://bot.example.com/telegram/webhook"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, bot: Bot) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", bot.token)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", URL)
    monkeypatch.setenv("TELEGRAM_MODE", "webhook")


def _info(telegram: Any, url: str) -> None:
    telegram.script(
        "getWebhookInfo",
        200,
        {
            "ok": True,
            "result": {"url": url, "has_custom_certificate": False, "pending_update_count": 3},
        },
    )


def test_set_webhook_sends_the_secret_and_the_update_types_and_prints_neither_secret(
    env: None, bot: Bot, telegram: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _info(telegram, URL)
    assert main(["set-webhook", "--drop-pending-updates", "--max-connections", "20"], bot=bot) == 0
    [call] = telegram.sent("setWebhook")
    assert call.url == URL
    assert call.secret_token == SECRET
    assert call.drop_pending_updates is True
    assert call.max_connections == 20
    assert "message" in call.allowed_updates
    assert "callback_query" in call.allowed_updates
    out, err = capsys.readouterr()
    assert "pending_update_count: 3" in out
    assert SECRET not in out + err
    assert bot.token not in out + err


def test_delete_webhook(
    env: None, bot: Bot, telegram: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _info(telegram, "")
    assert main(["delete-webhook"], bot=bot) == 0
    [call] = telegram.sent("deleteWebhook")
    assert not call.drop_pending_updates
    assert "webhook deleted" in capsys.readouterr().out


def test_telegram_refusing_is_exit_1_without_secrets(
    env: None, bot: Bot, telegram: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    telegram.fail("setWebhook", 400, f"Bad Request: bad webhook: {SECRET} {bot.token}")
    assert main(["set-webhook"], bot=bot) == 1
    err = capsys.readouterr().err
    assert "bad webhook" in err
    assert SECRET not in err
    assert bot.token not in err
