"""The envelope every message on the bus travels in, and its three kinds: Command, Reply, Event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, Self
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

__all__ = ["Actor", "Command", "Envelope", "Event", "Reply", "Response"]


class Actor(BaseModel):
    """The Telegram user on whose behalf a message travels."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    telegram_id: int = Field(description="Telegram user id (Bot API `User.id`).")
    username: str | None = Field(default=None, description="Telegram @username without the @.")
    first_name: str = Field(default="", description="Telegram first name, for greetings.")
    language_code: str | None = Field(
        default=None, description="IETF language tag from Telegram or the user's choice."
    )


class Envelope(BaseModel):
    """Metadata shared by every message; subclasses add a typed `payload`.

    `kind` equals the routing key and discriminates unions of messages.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")
    ROUTING_KEY: ClassVar[str]

    event_id: UUID = Field(
        default_factory=uuid4, description="Unique id of this message; the inbox key."
    )
    correlation_id: UUID = Field(
        description="Ties a reply to its command and to the Telegram update that caused it."
    )
    occurred_at: AwareDatetime = Field(
        default_factory=lambda: datetime.now(UTC), description="When it happened (UTC)."
    )
    schema_version: Literal[1] = Field(default=1, description="Version of this message's schema.")
    user: Actor = Field(description="The acting Telegram user.")
    chat_id: int = Field(description="Telegram chat the conversation happens in.")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Set ROUTING_KEY from the `kind` literal's default, so the two never disagree."""
        super().__pydantic_init_subclass__(**kwargs)
        kind = cls.model_fields.get("kind")
        if kind is not None and isinstance(kind.default, str):
            cls.ROUTING_KEY = kind.default

    @classmethod
    def replying_to(cls, cause: Envelope, **fields: Any) -> Self:
        """Build a message caused by `cause`: same correlation id, user and chat; new event id."""
        return cls(
            correlation_id=cause.correlation_id, user=cause.user, chat_id=cause.chat_id, **fields
        )


class Command(Envelope):
    """An instruction to one service (imperative name); published to `xrpbot.commands`."""

    @classmethod
    def new(
        cls, *, user: Actor, chat_id: int, correlation_id: UUID | None = None, **fields: Any
    ) -> Self:
        """Build a command with a fresh event_id (and correlation_id unless given)."""
        return cls(user=user, chat_id=chat_id, correlation_id=correlation_id or uuid4(), **fields)


class Reply(Envelope):
    """An answer to a command for the user (past-tense name); published to `xrpbot.replies`."""


class Event(Envelope):
    """A domain fact other services may react to; published to `xrpbot.events`."""


class Response(Envelope):
    """The answer to a request/reply call between services (e.g. transfer asks wallet to sign).

    Sent to the caller's `reply_to` queue, never to an exchange; the caller waits with a timeout.
    """
