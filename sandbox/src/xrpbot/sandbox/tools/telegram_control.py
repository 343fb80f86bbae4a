"""A small client for the Telegram stand-in's control API: act as a user, read what the bot sent.

Used by the demo, `make chat` and the integration tests. It sits with the tools rather than in
`telegram/` because it drives the stand-in from outside over HTTP (httpx), as they do; the
stand-in never uses it, and its server side is `telegram/control.py`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["BotMessage", "SandboxUser", "TelegramSandbox"]


@dataclass(frozen=True)
class BotMessage:
    """A message the bot sent, as it stands now.

    Attributes:
        message_id: Telegram message id in the chat.
        text: its text (or the photo's caption), HTML tags removed as Telegram stores it.
        buttons: inline keyboard rows of (button text, callback data or URL).
        photo: True if it is a photo.
        edits: earlier versions of the text, oldest first.
    """

    message_id: int
    text: str
    buttons: list[list[tuple[str, str]]]
    photo: bool
    edits: list[str]

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> BotMessage:
        """Build from one item of `GET /sandbox/messages`."""
        markup = raw.get("reply_markup") or {}
        rows = [
            [(b.get("text", ""), b.get("callback_data") or b.get("url") or "") for b in row]
            for row in markup.get("inline_keyboard", [])
        ]
        return cls(
            message_id=int(raw["message_id"]),
            text=raw.get("text") or raw.get("caption") or "",
            buttons=rows,
            photo=bool(raw.get("photo")),
            edits=[e.get("text") or e.get("caption") or "" for e in raw.get("edits", [])],
        )

    def button(self, label: str) -> str:
        """The callback data (or URL) of the first button whose text contains `label`.

        Raises:
            LookupError: no such button.
        """
        for row in self.buttons:
            for text, data in row:
                if label.lower() in text.lower():
                    return data
        raise LookupError(f"no {label!r} button in {self.buttons}")


@dataclass
class TelegramSandbox:
    """The stand-in's control API at `base_url` (e.g. http://127.0.0.1:8081)."""

    base_url: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def send(
        self,
        user: SandboxUser,
        text: str,
        *,
        chat_id: int | None = None,
        chat_title: str | None = None,
        chat_type: str | None = None,
    ) -> int:
        """The user sends `text` to the bot; returns the update_id.

        Args:
            user: who writes.
            text: the message.
            chat_id: a group's (negative) id to write there; None: the user's private chat.
            chat_title: the group's title (needed for the first message in a group).
            chat_type: "group" or "supergroup" (default: a supergroup for -100… ids).
        """
        body: dict[str, Any] = {
            "user_id": user.user_id,
            "username": user.username,
            "first_name": user.first_name,
            "language_code": user.language_code,
            "text": text,
        }
        for key, value in (
            ("chat_id", chat_id),
            ("chat_title", chat_title),
            ("chat_type", chat_type),
        ):
            if value is not None:
                body[key] = value
        r = self.client.post(f"{self.base_url}/sandbox/send", json=body)
        r.raise_for_status()
        return int(r.json()["update_id"])

    def press(
        self, user: SandboxUser, message_id: int, data: str, *, chat_id: int | None = None
    ) -> int:
        """The user presses the inline button with callback `data` of bot message `message_id`
        in their private chat, or in group `chat_id`; returns the update_id."""
        body: dict[str, Any] = {"user_id": user.user_id, "message_id": message_id, "data": data}
        if chat_id is not None:
            body["chat_id"] = chat_id
        r = self.client.post(f"{self.base_url}/sandbox/press", json=body)
        r.raise_for_status()
        return int(r.json()["update_id"])

    def flood(self, enabled: bool = True, **limits: float) -> dict[str, Any]:
        """Switch Telegram-style flood control (429 answers) on or off; resets its counters.

        Args:
            enabled: on or off.
            limits: chat_per_second, chat_burst, global_per_second, global_burst,
                group_per_minute (Telegram's FAQ values by default).
        """
        r = self.client.post(f"{self.base_url}/sandbox/flood", json={"enabled": enabled, **limits})
        r.raise_for_status()
        answer: dict[str, Any] = r.json()
        return answer

    def flood_status(self) -> dict[str, Any]:
        """Flood control's settings and `rejected`: the 429s it answered since switched on."""
        r = self.client.get(f"{self.base_url}/sandbox/flood")
        r.raise_for_status()
        status: dict[str, Any] = r.json()
        return status

    def messages(self, chat_id: int) -> list[BotMessage]:
        """The bot's messages in the chat, in order."""
        r = self.client.get(f"{self.base_url}/sandbox/messages", params={"chat_id": chat_id})
        r.raise_for_status()
        return [BotMessage.from_api(m) for m in r.json()["messages"]]

    def wait_for(
        self,
        chat_id: int,
        predicate: Callable[[list[BotMessage]], bool],
        timeout: float = 30.0,
    ) -> list[BotMessage]:
        """Poll the chat until `predicate(messages)` holds.

        Raises:
            TimeoutError: it did not hold within `timeout` seconds (the message says what was there).
        """
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages(chat_id)
            if predicate(messages):
                return messages
            if time.monotonic() > deadline:
                seen = "\n---\n".join(m.text for m in messages[-3:])
                raise TimeoutError(f"chat {chat_id}: condition not met; last messages:\n{seen}")
            time.sleep(0.1)

    def wait_new(
        self,
        user: SandboxUser,
        seen: set[int],
        expect: str,
        timeout: float = 40.0,
        *,
        chat_id: int | None = None,
    ) -> BotMessage:
        """The first bot message not in `seen` whose text contains `expect` (any case), in the
        user's private chat or in group `chat_id`.

        Raises:
            TimeoutError: none within `timeout` seconds.
        """

        def fits(m: BotMessage) -> bool:
            return m.message_id not in seen and expect.lower() in m.text.lower()

        chat = user.chat_id if chat_id is None else chat_id
        messages = self.wait_for(chat, lambda ms: any(fits(m) for m in ms), timeout)
        return next(m for m in messages if fits(m))

    def ask(
        self,
        user: SandboxUser,
        text: str,
        expect: str,
        timeout: float = 40.0,
        *,
        chat_id: int | None = None,
        chat_title: str | None = None,
    ) -> BotMessage:
        """Send `text` (in group `chat_id`, if given); the first new bot message in that chat
        whose (final) text contains `expect`.

        Raises:
            TimeoutError: none within `timeout` seconds.
        """
        chat = user.chat_id if chat_id is None else chat_id
        seen = {m.message_id for m in self.messages(chat)}
        self.send(user, text, chat_id=chat_id, chat_title=chat_title)
        return self.wait_new(user, seen, expect, timeout, chat_id=chat_id)

    def wait_message(
        self,
        user: SandboxUser,
        message_id: int,
        condition: Callable[[BotMessage], bool],
        timeout: float = 60.0,
    ) -> BotMessage:
        """Bot message `message_id` in the user's chat, once `condition` holds for it.

        Raises:
            TimeoutError: it did not within `timeout` seconds.
        """
        messages = self.wait_for(
            user.chat_id,
            lambda ms: any(m.message_id == message_id and condition(m) for m in ms),
            timeout,
        )
        return next(m for m in messages if m.message_id == message_id)


@dataclass(frozen=True)
class SandboxUser:
    """A Telegram user played through the stand-in; in a private chat, chat_id == user_id."""

    user_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "en"

    @property
    def chat_id(self) -> int:
        """The private chat with the bot."""
        return self.user_id
