"""The in-memory Telegram: bots, their users, chats, messages, updates, webhooks and call logs."""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from aiohttp import web

from .args import to_int
from .constants import DEFAULT_UPDATE_TYPES
from .errors import ApiError, bad_request


@dataclass
class User:
    """A user who started the bot: the private chat with them has their id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    blocked: bool = False
    started: bool = True  # False: seen only in a group; the bot may not write to them first

    def as_user(self) -> dict[str, Any]:
        """The User object (Client::JsonUser)."""
        result: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            result["last_name"] = self.last_name
        if self.username:
            result["username"] = self.username
        if self.language_code:
            result["language_code"] = self.language_code
        return result

    def as_chat(self) -> dict[str, Any]:
        """The private Chat object (Client::JsonChat, ChatInfo::Type::Private)."""
        result: dict[str, Any] = {"id": self.id, "first_name": self.first_name}
        if self.last_name:
            result["last_name"] = self.last_name
        if self.username:
            result["username"] = self.username
        result["type"] = "private"
        return result


@dataclass
class Group:
    """A group or supergroup the bot is in; its id is negative (supergroups: -100…).

    The bot is one of the group's admins, so it receives every message sent there whatever its
    privacy mode (https://core.telegram.org/bots/features#privacy-mode).
    """

    id: int
    title: str
    type: str  # "group" or "supergroup" (https://core.telegram.org/bots/api#chat)

    def as_chat(self) -> dict[str, Any]:
        """The group's Chat object (Client::JsonChat: id, title, type)."""
        return {"id": self.id, "title": self.title, "type": self.type}


Chat = User | Group
"""A chat the bot can write to: a user's private chat (its id is theirs) or a group."""


@dataclass
class Photo:
    """An uploaded photo: its bytes and the PhotoSize array Telegram reports for it."""

    data: bytes
    sizes: list[dict[str, Any]]


@dataclass
class Message:
    """A message in a chat, from the bot or a user, with its edit history."""

    message_id: int
    chat_id: int
    date: int
    from_bot: bool
    sender_id: int | None = None  # the user who sent it in a group (a private chat: its user)
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    photo: Photo | None = None
    caption: str = ""
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    other_markup: dict[str, Any] | None = None
    link_preview_options: dict[str, Any] | None = None
    protected: bool = False
    reply_to: int | None = None
    edit_date: int | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False


@dataclass
class Update:
    """A queued update; `queue_key` is its chat, whose updates are delivered in order."""

    update_id: int
    kind: str
    payload: dict[str, Any]
    queue_key: int  # the chat: Telegram keeps one chat's updates in order
    delay: float = 1.0
    fail_count: int = 0
    wakeup_at: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """The Update object as getUpdates and the webhook send it."""
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass
class Webhook:
    """The webhook registration (setWebhook) and its last delivery error."""

    url: str
    secret_token: str
    max_connections: int
    ip_address: str
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class CallbackQuery:
    """A button press awaiting answerCallbackQuery; `created_at` is monotonic seconds."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    created_at: float
    answered: bool = False


@dataclass
class Bucket:
    """A token bucket for flood control: `capacity` tokens, refilled at `rate` per second."""

    capacity: float
    rate: float
    tokens: float
    stamp: float

    def peek(self, now: float) -> float:
        """0 if a token is available now, else the seconds until one is (takes nothing)."""
        tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def take(self, now: float) -> float:
        """Take one token; 0 if granted, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


@dataclass
class ForcedFailure:
    """The next `remaining` calls of `method` (any method if None) fail with this error."""

    method: str | None
    error_code: int
    description: str
    retry_after: int | None
    remaining: int


class BotState:
    """One bot (one token): its chats, updates, webhook, commands and call log."""

    def __init__(self, owner: TelegramState, token: str, username: str, first_name: str) -> None:
        self.owner = owner
        self.token = token
        self.id = int(token.split(":", 1)[0])
        self.username = username
        self.first_name = first_name
        self.next_update_id = owner._first_update_id()
        self.message_counters: dict[int, int] = {}  # per chat; survives reset
        self.files: dict[str, Photo] = {}  # file_id → photo; file ids stay valid like Telegram's
        self.commands: dict[str, tuple[dict[str, Any], str, list[dict[str, str]]]] = {}
        self.webhook: Webhook | None = None
        self.allowed_updates: frozenset[str] | None = None
        self.wake = asyncio.Event()
        self.update_waiters: list[asyncio.Future[None]] = []
        self.long_poll: asyncio.Future[str] | None = None
        self.calls: deque[dict[str, Any]] = deque(maxlen=10_000)
        self.call_seq = 0  # numbers the calls log; never goes back, not even on reset
        self.flood: dict[str, float] | None = None
        self.buckets: dict[int, Bucket] = {}
        self.group_sends: dict[int, deque[float]] = {}  # group chat → send times (monotonic)
        self.flood_rejected = 0  # 429s flood control answered since it was switched on
        self.flood_rejected_chats: dict[int, int] = {}
        self.failures: list[ForcedFailure] = []
        self.clear()

    def clear(self) -> None:
        """Forget chats, users, updates and calls (what `POST /sandbox/reset` clears)."""
        self.users: dict[int, User] = {}
        self.groups: dict[int, Group] = {}
        self.messages: dict[int, dict[int, Message]] = {}
        self.transcripts: dict[int, list[dict[str, Any]]] = {}
        self.pending: list[Update] = []
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.calls.clear()
        self.buckets.clear()
        self.group_sends.clear()
        self.failures.clear()
        if self.webhook is not None:
            self.webhook.last_error_date = None
            self.webhook.last_error_message = None
        self.wake.set()

    # -- identity ---------------------------------------------------------------------------

    def as_user(self, *, full: bool = False) -> dict[str, Any]:
        """The bot's User object; `full` adds getMe's extra fields (Client::JsonUser)."""
        result: dict[str, Any] = {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }
        if full:
            result.update(
                can_join_groups=True,
                can_read_all_group_messages=False,
                supports_inline_queries=False,
                can_connect_to_business=False,
                has_main_web_app=False,
            )
        return result

    # -- messages -----------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        """The next message_id of a chat (message ids count per chat, from 1)."""
        value = self.message_counters.get(chat_id, 0) + 1
        self.message_counters[chat_id] = value
        return value

    def message_json(self, message: Message, *, with_reply: bool = True) -> dict[str, Any]:
        """The Message object (Client::JsonMessage): `from` the bot or the user who wrote it,
        `chat` the private chat or the group."""
        chat = self.groups.get(message.chat_id) or self.users[message.chat_id]
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.as_user()
            if message.from_bot
            else self.users[message.sender_id or message.chat_id].as_user(),
            "chat": chat.as_chat(),
            "date": message.date,
        }
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if with_reply and message.reply_to is not None:
            replied = self.messages.get(message.chat_id, {}).get(message.reply_to)
            if replied is not None and not replied.deleted:
                result["reply_to_message"] = self.message_json(replied, with_reply=False)
        if message.protected:
            result["has_protected_content"] = True
        if message.photo is not None:
            result["photo"] = message.photo.sizes
            if message.caption:
                result["caption"] = message.caption
                if message.caption_entities:
                    result["caption_entities"] = message.caption_entities
        else:
            result["text"] = message.text or ""
            if message.entities:
                result["entities"] = message.entities
            if message.link_preview_options:
                result["link_preview_options"] = message.link_preview_options
        if message.reply_markup is not None:
            result["reply_markup"] = message.reply_markup
        return result

    def chat_instance(self, chat_id: int) -> str:
        """CallbackQuery.chat_instance: a stable signed 64-bit number per (bot, chat)."""
        mixed = (chat_id * 0x9E3779B97F4A7C15 + self.id * 0xBF58476D1CE4E5B9) & (2**64 - 1)
        return str(mixed - 2**63)

    # -- updates ------------------------------------------------------------------------------

    def add_update(
        self, kind: str, payload: dict[str, Any], chat_id: int, *, deliver: bool = True
    ) -> int | None:
        """Queue an update unless allowed_updates excludes its type; returns its update_id.

        With `deliver=False` the update only gets its update_id: the caller delivers it.
        """
        allowed = self.allowed_updates or DEFAULT_UPDATE_TYPES
        if kind not in allowed:
            return None
        update = Update(self.next_update_id, kind, payload, chat_id)
        self.next_update_id += 1
        if not deliver:
            return update.update_id
        self.pending.append(update)
        for waiter in self.update_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.update_waiters.clear()
        self.wake.set()
        return update.update_id

    def abort_long_poll(self, reason: str) -> None:
        """End a waiting getUpdates; a non-empty `reason` makes it answer 409 with it."""
        if self.long_poll is not None and not self.long_poll.done():
            self.long_poll.set_result(reason)
        self.long_poll = None

    def record(self, chat_id: int, event: dict[str, Any]) -> None:
        """Add an event to a chat's transcript (`GET /sandbox/transcript`)."""
        self.transcripts.setdefault(chat_id, []).append(event)

    def chat(self, chat_id_raw: str) -> Chat:
        """Client::check_chat: a private chat with a user the bot knows, or a group it is in."""
        if not chat_id_raw:
            raise bad_request("chat_id is empty")
        chat_id = to_int(chat_id_raw)
        chat: Chat | None = self.groups.get(chat_id) if chat_id < 0 else self.users.get(chat_id)
        if chat_id_raw.startswith("@") or chat is None:
            raise bad_request("chat not found")
        return chat

    def writable_chat(self, chat_id_raw: str) -> Chat:
        """`chat`, refusing with 403 a user who blocked the bot or never started it."""
        chat = self.chat(chat_id_raw)
        if isinstance(chat, User) and chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if isinstance(chat, User) and not chat.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return chat


class TelegramState:
    """The in-memory Telegram: one bot per token, the users who talk to it, their chats.

    Args:
        tokens: bot tokens the stand-in accepts ("<bot id>:<secret>"); each is its own bot.
        bot_username: the first bot's username (later tokens get `<name>_<n>_bot`).
        bot_first_name: the bots' display name.
        first_update_id: the first update_id (default: random, as Telegram starts bots at a
            random point; it never goes back, not even on reset).
        webhook_retry_scale: multiplies webhook retry delays (tests use a small value).
        webhook_timeout_seconds: how long a webhook delivery waits for the receiver's answer.
        callback_query_ttl_seconds: how long answerCallbackQuery accepts a query id.
        clock: wall clock for message dates (unix seconds).
    """

    def __init__(
        self,
        tokens: Iterable[str],
        bot_username: str = "xrpbot_sandbox_bot",
        *,
        bot_first_name: str = "xrpbot sandbox",
        first_update_id: int | None = None,
        webhook_retry_scale: float = 1.0,
        webhook_timeout_seconds: float = 60.0,
        callback_query_ttl_seconds: float = 15.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._update_id_seed = first_update_id
        self.webhook_retry_scale = webhook_retry_scale
        self.webhook_timeout_seconds = webhook_timeout_seconds
        self.callback_query_ttl_seconds = callback_query_ttl_seconds
        self.clock = clock
        self.bots: dict[str, BotState] = {}
        self.closing = False
        self.last_used: BotState | None = None
        for index, token in enumerate(dict.fromkeys(t.strip() for t in tokens if t.strip())):
            if not re.fullmatch(r"\d+:[A-Za-z0-9_-]+", token):
                raise ValueError("a bot token looks like '<digits>:<letters, digits, _ or ->'")
            if any(b.id == int(token.split(":")[0]) for b in self.bots.values()):
                raise ValueError("two tokens for the same bot id")
            name = (
                bot_username
                if index == 0
                else f"{bot_username.removesuffix('bot')}{index + 1}_bot"
            )
            self.bots[token] = BotState(self, token, name, bot_first_name)
        if not self.bots:
            raise ValueError("at least one bot token is needed")

    def _first_update_id(self) -> int:
        if self._update_id_seed is not None:
            return self._update_id_seed
        return 100_000_000 + secrets.randbelow(800_000_000)

    def now(self) -> int:
        """The current unix time in whole seconds (Message.date)."""
        return int(self.clock())

    def bot(self, bot_id: int | str | None = None) -> BotState:
        """The bot the control API acts on: by id, else the one that called the Bot API last."""
        if bot_id is not None and str(bot_id) != "":
            for bot in self.bots.values():
                if str(bot.id) == str(bot_id):
                    return bot
            raise KeyError(f"no bot with id {bot_id}")
        if self.last_used is not None:
            return self.last_used
        return next(iter(self.bots.values()))


STATE_KEY: Final = web.AppKey("telegram_state", TelegramState)
"""Where an application built by `create_telegram_app` keeps its state."""
