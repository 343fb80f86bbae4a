"""Gateway use cases: queue a command for an update, deliver a reply to the chat.

They talk to ports only; Telegram types stop in `handlers` and `adapters`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from xrpbot.schemas import AnyReply, Command

from .ports import ChatUnavailable, MessageGone, Messenger, Placeholder, UnitOfWork
from .render import render

__all__ = ["Delivery", "GatewayDeps", "deliver_reply", "request"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GatewayDeps:
    """What the replies consumer needs, built once by the composition root.

    Attributes:
        new_uow: a unit of work whose inbox claims are recorded for the given consumer.
        messenger: sends and edits Telegram messages.
    """

    new_uow: Callable[[str], UnitOfWork]
    messenger: Messenger


class Delivery(StrEnum):
    """What `deliver_reply` did."""

    EDITED = "edited"
    """The placeholder now shows the answer."""
    SENT = "sent"
    """No placeholder (or it was gone): the answer went out as a new message."""
    DUPLICATE = "duplicate"
    """The reply was delivered before (a redelivery): nothing was done."""
    UNDELIVERABLE = "undeliverable"
    """The chat cannot receive it (bot blocked, chat gone): dropped after logging."""


async def request(command: Command, *, placeholder: Placeholder, uow: UnitOfWork) -> None:
    """Queue `command` and remember that its reply replaces `placeholder`.

    Runs inside the update's transaction (the update claim is already in it), so the command
    is published if and only if the update is recorded as processed.
    """
    await uow.expect_reply(command.correlation_id, placeholder)
    await uow.send_command(command)


async def deliver_reply(reply: AnyReply, *, uow: UnitOfWork, messenger: Messenger) -> Delivery:
    """Render `reply` and show it: edit the placeholder, or send a new message.

    The inbox claim is taken first, inside the transaction, so a concurrent duplicate waits;
    the transaction commits (claim + placeholder removed) only after Telegram accepted the
    message. A failure before that rolls back and the broker redelivers; the edit is then
    repeated and "not modified" counts as success.

    Raises:
        TelegramUnavailable: Telegram failed transiently; the message should be requeued.
    """
    message = render(reply)
    async with uow:
        if not await uow.claim(reply):
            return Delivery.DUPLICATE
        placeholder = await uow.placeholder(reply.correlation_id)
        outcome = Delivery.SENT
        try:
            if placeholder is None:
                await messenger.send(reply.chat_id, message)
            else:
                try:
                    await messenger.edit(placeholder, message)
                    outcome = Delivery.EDITED
                except MessageGone:
                    await messenger.send(placeholder.chat_id, message)
        except ChatUnavailable:
            log.info(
                "chat %s cannot receive messages; reply %s dropped", reply.chat_id, reply.kind
            )
            outcome = Delivery.UNDELIVERABLE
        if placeholder is not None:
            await uow.forget_placeholder(reply.correlation_id)
        await uow.commit()
    return outcome
