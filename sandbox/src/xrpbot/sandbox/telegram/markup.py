"""Keyboards and bot commands as the Bot API parameters carry them (Client::get_reply_markup, get_bot_commands)."""

from __future__ import annotations

import re
from typing import Any

from .args import json_arg
from .constants import CALLBACK_DATA_MAX_BYTES
from .errors import ApiError, bad_request
from .text import checked_link


def parse_reply_markup(raw: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Client::get_reply_markup: (inline keyboard as Telegram returns it, other markup as sent).

    Only an inline keyboard is part of the Message object ("reply_markup: Inline keyboard attached
    to the message"); reply keyboards, ForceReply and ReplyKeyboardRemove are accepted and kept
    for the control API only.
    """
    if not raw:
        return None, None
    value = json_arg(raw, "can't parse reply keyboard markup JSON object")
    if not isinstance(value, dict):
        raise bad_request("object expected as reply markup")
    keyboard = value.get("keyboard")
    if keyboard is not None and (
        not isinstance(keyboard, list) or not all(isinstance(r, list) for r in keyboard)
    ):
        raise bad_request('field "keyboard" must be an Array of Arrays')
    rows = value.get("inline_keyboard")
    if rows is not None and not keyboard:
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        result_rows = [[_inline_button(button) for button in row] for row in rows]
        if any(result_rows):
            return {"inline_keyboard": result_rows}, None
    if keyboard or value.get("remove_keyboard") or value.get("force_reply"):
        return None, value
    return None, None


def _inline_button(button: Any) -> dict[str, Any]:
    """Client::get_inline_keyboard_button, and the server's BUTTON_* checks."""

    def fail(message: str) -> ApiError:
        return bad_request(f"can't parse inline keyboard button: {message}")

    if not isinstance(button, dict):
        raise fail("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise fail('Field "text" must be of type String')
    result: dict[str, Any] = {"text": text}
    for key in ("icon_custom_emoji_id", "style"):
        if key in button:
            result[key] = button[key]
    url = button.get("url")
    if isinstance(url, str) and url:
        if checked_link(url) is None:
            raise bad_request("BUTTON_URL_INVALID")
        result["url"] = url
        return result
    data = button.get("callback_data")
    if isinstance(data, str) and data:
        if len(data.encode("utf-8")) > CALLBACK_DATA_MAX_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
        result["callback_data"] = data
        return result
    for key in (
        "callback_game",
        "pay",
        "switch_inline_query",
        "switch_inline_query_chosen_chat",
        "switch_inline_query_current_chat",
        "login_url",
        "web_app",
        "copy_text",
    ):
        if key in button:
            result[key] = button[key]
            return result
    raise fail("Text buttons are unallowed in the inline keyboard")


def parse_commands(raw: str) -> list[dict[str, str]]:
    """Client::get_bot_commands and td's set_commands checks (td/telegram/BotCommand.cpp)."""
    if not raw:
        return []
    value = json_arg(raw, "can't parse commands JSON object")
    if not isinstance(value, list):
        raise bad_request("expected an Array of BotCommand")
    commands: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str):
            raise bad_request('can\'t parse BotCommand: Field "command" must be of type String')
        if not isinstance(description, str):
            raise bad_request(
                'can\'t parse BotCommand: Field "description" must be of type String'
            )
        command = command.strip()
        command = command.removeprefix("/")
        description = description.strip()
        if not command:
            raise bad_request("command must be non-empty")
        if len(command) > 32:
            raise bad_request("command length must not exceed 32")
        if not description:
            raise bad_request("command description must be non-empty")
        if len(description) > 256:
            raise bad_request("command description length must not exceed 256")
        if not re.fullmatch(r"[a-z0-9_]+", command):
            raise bad_request(
                "BOT_COMMAND_INVALID"
            )  # the server allows lowercase letters, digits, _
        commands.append({"command": command, "description": description})
    return commands


def parse_scope(raw: str) -> dict[str, Any]:
    """Client::get_bot_command_scope: the BotCommandScope as a normalised dict."""
    if not raw:
        return {"type": "default"}
    value = json_arg(raw, "can't parse BotCommandScope JSON object")
    if not isinstance(value, dict):
        raise bad_request("can't parse BotCommandScope: BotCommandScope must be an Object")
    kind = value.get("type")
    if not isinstance(kind, str):
        raise bad_request('can\'t parse BotCommandScope: Field "type" must be of type String')
    if kind in {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}:
        return {"type": kind}
    if kind not in {"chat", "chat_administrators", "chat_member"}:
        raise bad_request("can't parse BotCommandScope: Unsupported type specified")
    chat_id = value.get("chat_id")
    if chat_id is None or chat_id == "":
        raise bad_request("can't parse BotCommandScope: Empty chat_id specified")
    scope: dict[str, Any] = {"type": kind, "chat_id": chat_id}
    if kind == "chat_member":
        user_id = value.get("user_id")
        if not isinstance(user_id, int) or user_id <= 0:
            raise bad_request("can't parse BotCommandScope: Invalid user_id specified")
        scope["user_id"] = user_id
    return scope
