"""The composition root: which routes and hooks each TELEGRAM_MODE gets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from aiogram import Bot

from xrpbot.gateway.app import create_service
from xrpbot.gateway.config import GatewaySettings
from xrpbot.gateway.entrypoints.webhook import WEBHOOK_PATH

TOKEN = "123456789:test-token-not-secret"


@pytest.fixture(autouse=True)
def _keep_root_filters() -> Iterator[None]:
    handlers = logging.getLogger().handlers
    saved = [list(h.filters) for h in handlers]
    yield
    for handler, filters in zip(handlers, saved, strict=True):
        handler.filters[:] = filters


async def _post(app: Any, secret: str) -> int:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": WEBHOOK_PATH,
        "headers": [(b"x-telegram-bot-api-secret-token", secret.encode())],
    }
    await app(scope, receive, send)
    return int(sent[0]["status"])


async def test_webhook_mode_serves_the_webhook_beside_the_probes(bot: Bot) -> None:
    settings = GatewaySettings(
        telegram_bot_token=TOKEN,
        telegram_mode="webhook",
        telegram_webhook_secret="abc",
        telegram_webhook_url="https://bot.example/telegram/webhook",
    )
    service = create_service(settings, bot=bot)
    assert {"/healthz", "/readyz", "/metrics", WEBHOOK_PATH} <= set(service.routes)
    assert await _post(service, "wrong") == 401
    assert await _post(service, "abc") == 503  # start-up has not run


async def test_polling_mode_has_no_webhook_and_polls_once_ready(bot: Bot) -> None:
    service = create_service(GatewaySettings(telegram_bot_token=TOKEN), bot=bot)
    assert WEBHOOK_PATH not in service.routes
    names = [hook.__name__ for hook in service.on_ready]
    assert "start_polling" in names


def test_the_token_never_reaches_the_log(bot: Bot) -> None:
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        create_service(GatewaySettings(telegram_bot_token=TOKEN), bot=bot)
        logging.getLogger("aiohttp.client").error("GET %s failed", f"/bot{TOKEN}/getMe")
    finally:
        root.removeHandler(handler)
    assert lines == ["GET /bot***/getMe failed"]
