"""Ask another service: answer at once, publish the command, remember where the reply goes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar
from uuid import UUID

from xrpbot.schemas import Actor, Command

from ..domain.delivery import Placeholder, ReplyView
from ..domain.ids import command_event_id
from ..ports import Chat, UnitOfWork
from ..render.message import Rendered

__all__ = ["Origin", "ask"]

C = TypeVar("C", bound=Command)


@dataclass(frozen=True, slots=True)
class Origin:
    """Who asks, in which chat, for which update: the envelope of the commands it causes.

    Attributes:
        actor: the user (Telegram id, username, language).
        chat_id: the chat the update came from (a private chat's id is the user's).
        correlation_id: derived from the update (`domain.ids.correlation_id_for`), so a
            retried update publishes the very same command.
    """

    actor: Actor
    chat_id: int
    correlation_id: UUID

    def in_private_chat(self) -> Origin:
        """The same origin in the user's private chat (its id is the user's): where a quote or
        a /history page of theirs lives, whichever chat the button was pressed in."""
        return replace(self, chat_id=self.actor.telegram_id)


async def ask(
    command_type: type[C],
    origin: Origin,
    *,
    uow: UnitOfWork,
    answer: Chat | Placeholder | None,
    waiting: str = "",
    view: ReplyView | None = None,
    **payload: Any,
) -> C:
    """Answer at once, publish a `command_type` command, remember where its reply goes.

    Runs inside the update's transaction (the update claim is already in it), so the command
    is published if and only if the update is recorded as processed; its event_id comes from
    the correlation id, so a retried update publishes the same command.

    Args:
        command_type: the command to publish (its payload fields in `payload`).
        origin: who asks, where, for which update.
        uow: the update's unit of work.
        answer: where the reply goes: a chat to say `waiting` in (the placeholder the reply
            will replace; sent only if the reply is slower than the placeholder delay), an
            existing message to replace, or None (the reply comes as a new message).
        waiting: the placeholder's text ("Checking your balance…").
        view: how the reply is to be shown besides its default (/receive, /stats).

    Returns:
        the command published.
    """
    placeholder = answer
    if answer is not None and not isinstance(answer, Placeholder):
        placeholder = await answer.say(Rendered(waiting), placeholder=True)
    command = command_type.new(
        user=origin.actor,
        chat_id=origin.chat_id,
        correlation_id=origin.correlation_id,
        event_id=command_event_id(origin.correlation_id, command_type.ROUTING_KEY),
        **payload,
    )
    if view is not None:
        await uow.set_reply_view(command.correlation_id, view)
    if isinstance(placeholder, Placeholder):
        await uow.expect_reply(command.correlation_id, placeholder)
    await uow.send_command(command)
    return command
