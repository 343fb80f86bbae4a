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
    "ReplyView",
    "TelegramUnavailable",
]


@dataclass(frozen=True, slots=True)
class Placeholder:
    """The "working on it…" message a command's reply will replace.

    Attributes:
        chat_id: Telegram chat id.
        message_id: id of the bot's message in that chat.
    """

    chat_id: int
    message_id: int


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
