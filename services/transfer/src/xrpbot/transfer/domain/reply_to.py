"""Where the replies about a transfer go: the command whose Telegram message they answer."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from xrpbot.schemas import Actor

__all__ = ["ReplyTo"]


@dataclass(frozen=True, slots=True)
class ReplyTo:
    """The address of a later reply: the correlation id, user and chat of the command it answers.

    A transfer keeps its /send's until Confirm is pressed, then the Confirm's (the outcome
    replies edit the message that carried the button). Stored as JSON in `transfers.reply_to`.

    Attributes:
        correlation_id: the command's correlation id (ties the reply to the Telegram update).
        user: the acting Telegram user, as the command carried them (language included).
        chat_id: the Telegram chat.
    """

    correlation_id: UUID
    user: Actor
    chat_id: int
