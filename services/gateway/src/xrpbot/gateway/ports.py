"""What the gateway's handlers and use cases need from the outside world."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from xrpbot.runtime.ports import Transaction

from .render import Rendered

__all__ = [
    "ChatUnavailable",
    "MessageGone",
    "Messenger",
    "Placeholder",
    "TelegramUnavailable",
    "UnitOfWork",
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


class TelegramUnavailable(Exception):
    """Telegram could not be reached, answered 5xx, or kept answering 429: try again later."""


class ChatUnavailable(Exception):
    """Nothing can be delivered to the chat: the user blocked the bot, or the chat is gone."""


class MessageGone(Exception):
    """The placeholder can no longer be edited (deleted, or too old): send a new message."""


class Messenger(Protocol):
    """Sends and edits the bot's messages (Bot API sendMessage / editMessageText)."""

    async def send(self, chat_id: int, message: Rendered) -> int:
        """Send `message` to `chat_id`; returns the new message_id.

        Raises:
            ChatUnavailable: the chat cannot receive messages from the bot.
            TelegramUnavailable: a transient failure.
        """
        ...

    async def edit(self, placeholder: Placeholder, message: Rendered) -> None:
        """Replace the placeholder's text and keyboard with `message`.

        An edit that changes nothing ("message is not modified") succeeds: it is what a
        redelivery after a crash sees.

        Raises:
            MessageGone: the placeholder cannot be edited any more.
            ChatUnavailable: the chat cannot receive messages from the bot.
            TelegramUnavailable: a transient failure.
        """
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the gateway's schema: update claims, pending replies, inbox, outbox."""

    async def claim_update(self, update_id: int) -> bool:
        """Record a Telegram update as processed; False if it already was (then do nothing).

        A concurrent claim of the same update waits until this transaction ends.
        """
        ...

    async def see_chat(self, chat_id: int, language_code: str | None) -> None:
        """Remember the chat (first/last seen, the user's language)."""
        ...

    async def expect_reply(self, correlation_id: UUID, placeholder: Placeholder) -> None:
        """Remember which message the reply with `correlation_id` should replace."""
        ...

    async def placeholder(self, correlation_id: UUID) -> Placeholder | None:
        """The message waiting for the reply with `correlation_id`, if any."""
        ...

    async def forget_placeholder(self, correlation_id: UUID) -> None:
        """The reply was delivered: the placeholder waits no more."""
        ...
