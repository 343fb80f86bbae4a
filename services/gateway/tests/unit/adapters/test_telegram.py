"""BotMessenger's mapping of Bot API answers, the 429 middleware, log redaction, create_bot."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from xrpbot.gateway.adapters.messenger import BotMessenger
from xrpbot.gateway.adapters.telegram import RedactSecrets, create_bot
from xrpbot.gateway.domain.delivery import (
    ChatUnavailable,
    MessageGone,
    Placeholder,
    TelegramUnavailable,
)
from xrpbot.gateway.render.message import Rendered

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="x", url="https://testnet.xrpl.org/")]]
)
MESSAGE = Rendered("<b>hi</b>", KEYBOARD)
PLACEHOLDER = Placeholder(chat_id=77, message_id=501)


@pytest.fixture
def messenger(bot: Bot) -> BotMessenger:
    return BotMessenger(bot)


async def test_send_returns_the_message_id(messenger: BotMessenger, telegram: Any) -> None:
    message_id = await messenger.send(77, MESSAGE)
    [call] = telegram.sent("sendMessage")
    assert (call.chat_id, call.text, call.reply_markup) == (77, "<b>hi</b>", KEYBOARD)
    assert message_id == telegram.next_message_id


async def test_edit_replaces_text_and_keyboard(messenger: BotMessenger, telegram: Any) -> None:
    await messenger.edit(PLACEHOLDER, MESSAGE)
    [call] = telegram.sent("editMessageText")
    assert (call.chat_id, call.message_id, call.text, call.reply_markup) == (
        77,
        501,
        "<b>hi</b>",
        KEYBOARD,
    )


async def test_not_modified_counts_as_success(messenger: BotMessenger, telegram: Any) -> None:
    telegram.fail(
        "editMessageText",
        400,
        "Bad Request: message is not modified: specified new message content and reply "
        "markup are exactly the same as a current content and reply markup of the message",
    )
    await messenger.edit(PLACEHOLDER, MESSAGE)


@pytest.mark.parametrize(
    "description",
    ["Bad Request: message to edit not found", "Bad Request: message can't be edited"],
)
async def test_an_uneditable_placeholder_is_gone(
    messenger: BotMessenger, telegram: Any, description: str
) -> None:
    telegram.fail("editMessageText", 400, description)
    with pytest.raises(MessageGone):
        await messenger.edit(PLACEHOLDER, MESSAGE)


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (403, "Forbidden: bot was blocked by the user"),
        (403, "Forbidden: user is deactivated"),
        (400, "Bad Request: chat not found"),
    ],
)
@pytest.mark.parametrize("method", ["send", "edit"])
async def test_unreachable_chats_are_unavailable(
    messenger: BotMessenger, telegram: Any, status: int, description: str, method: str
) -> None:
    telegram.fail("sendMessage" if method == "send" else "editMessageText", status, description)
    call = (
        messenger.send(77, MESSAGE) if method == "send" else messenger.edit(PLACEHOLDER, MESSAGE)
    )
    with pytest.raises(ChatUnavailable):
        await call


@pytest.mark.parametrize(
    ("status", "description"),
    [(500, "Internal Server Error"), (502, "Bad Gateway"), (401, "Unauthorized")],
)
async def test_server_errors_are_transient(
    messenger: BotMessenger, telegram: Any, status: int, description: str
) -> None:
    tries = 1 if status == 401 else 3  # the outbound middleware retries 5xx, twice
    for _ in range(tries):
        telegram.fail("sendMessage", status, description)
    with pytest.raises(TelegramUnavailable):
        await messenger.send(77, MESSAGE)
    assert len(telegram.sent("sendMessage")) == tries


async def test_a_non_json_answer_is_transient(messenger: BotMessenger, telegram: Any) -> None:
    for _ in range(3):  # the outbound middleware's tries
        telegram.script("editMessageText", 502, {"unexpected": "proxy page"})
    with pytest.raises(TelegramUnavailable):
        await messenger.edit(PLACEHOLDER, MESSAGE)


async def test_our_own_bad_markup_is_not_hidden(messenger: BotMessenger, telegram: Any) -> None:
    telegram.fail("sendMessage", 400, "Bad Request: can't parse entities: unclosed tag")
    with pytest.raises(TelegramBadRequest):
        await messenger.send(77, MESSAGE)


async def test_429_is_retried_after_the_time_telegram_asks(
    messenger: BotMessenger, telegram: Any
) -> None:
    telegram.fail("editMessageText", 429, "Too Many Requests: retry after 2", retry_after=2)
    telegram.fail("editMessageText", 429, "Too Many Requests: retry after 1", retry_after=1)
    await messenger.edit(PLACEHOLDER, MESSAGE)
    assert telegram.waits == [2, 1]
    assert len(telegram.sent("editMessageText")) == 3


async def test_429_that_persists_becomes_transient(messenger: BotMessenger, telegram: Any) -> None:
    for _ in range(3):
        telegram.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    with pytest.raises(TelegramUnavailable):
        await messenger.send(77, MESSAGE)
    assert telegram.waits == [1, 1]


async def test_a_very_long_429_is_not_slept_through(bot: Bot, telegram: Any) -> None:
    telegram.fail("getMe", 429, "Too Many Requests: retry after 3600", retry_after=3600)
    with pytest.raises(TelegramRetryAfter):
        await bot.get_me()
    assert telegram.waits == []


async def test_create_bot_talks_to_the_configured_server_in_html() -> None:
    bot = create_bot("42:abc", "http://127.0.0.1:8081")
    try:
        assert bot.id == 42
        assert (
            bot.session.api.api_url("42:abc", "getMe") == "http://127.0.0.1:8081/bot42:abc/getMe"
        )
        assert bot.default.parse_mode == "HTML"
        assert bot.default.link_preview_is_disabled is True
    finally:
        await bot.session.close()


def test_redaction_scrubs_messages_arguments_and_tracebacks() -> None:
    token = "42:very-secret-token"
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "url=%s", (f"/bot{token}/x",), None
    )
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{token}/getMe failed")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert RedactSecrets([token, None]).filter(record)
    formatted = logging.Formatter().format(record)
    assert token not in formatted
    assert "/bot***/x" in formatted
    assert "bot***/getMe" in formatted
