"""Where a reply goes, how it is shown, and how delivering it can fail. Pure values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = [
    "ChatUnavailable",
    "Delivery",
    "MessageGone",
    "Placeholder",
    "QueuedMessage",
    "ReplyView",
    "TelegramUnavailable",
]


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A bot message a reply will replace: the "working on it…" message, or a pressed one.

    One of the two ids names it: `slot_id` for a message the gateway queued
    (`gateway.chat_messages`; Telegram's id may not exist yet: it is sent after the commit),
    `message_id` for a message Telegram showed us (the one whose button was pressed).

    Attributes:
        chat_id: Telegram chat id.
        message_id: id of the bot's message in that chat (Telegram's), or None.
        slot_id: id of the queued message (`chat_messages.id`), or None.
    """

    chat_id: int
    message_id: int | None = None
    slot_id: int | None = None


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """A due bot message, leased to one sender (a row of `gateway.chat_messages`).

    Attributes:
        slot_id: the row's id (what a `Placeholder.slot_id` names).
        chat_id: Telegram chat id.
        message_id: Telegram's id of the message it shows, if it was sent (then it is edited),
            else None (then it is sent).
        body: what it should show (`render.message.rendered_to_json`).
        version: the body's version; once shown it is the row's `shown_version`.
        attempts: sends tried so far, this one included.
    """

    slot_id: int
    chat_id: int
    message_id: int | None
    body: dict[str, Any]
    version: int
    attempts: int


@dataclass(frozen=True, slots=True)
class ReplyView:
    """How a reply is to be shown besides its default (stored with the command).

    Attributes:
        view: "receive" (BalanceReported as the address and its QR) or "stats" (StatsReported
            plus the gateway's numbers).
        args: the view's data: receive {"amount_drops": int | None}; stats {"users": int,
            "active_today": int, "inactive": int, "queues": {name: messages | None}}.
    """

    view: str
    args: dict[str, Any]


class Delivery(StrEnum):
    """What delivering one reply did."""

    EDITED = "edited"
    """The placeholder now shows the answer."""
    SENT = "sent"
    """No placeholder (or it was gone): the answer went out as a new message."""
    DUPLICATE = "duplicate"
    """The reply was delivered before (a redelivery): nothing was done."""
    UNDELIVERABLE = "undeliverable"
    """The chat cannot receive it (bot blocked, chat gone): dropped after logging."""
    SKIPPED = "skipped"
    """A progress reply (TransferSubmitted) whose message no longer waits: its final
    answer was delivered already (or will say everything); nothing was shown. Also a
    PaymentReceived for a user who turned notifications off (/settings)."""


class TelegramUnavailable(Exception):
    """Telegram could not be reached, answered 5xx, or kept answering 429: try again later."""


class ChatUnavailable(Exception):
    """Nothing can be delivered to the chat: the user blocked the bot, or the chat is gone."""


class MessageGone(Exception):
    """The placeholder can no longer be edited (deleted, or too old): send a new message."""
