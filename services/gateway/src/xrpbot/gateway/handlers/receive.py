"""/receive [amount]: the user's address, destination-tag guidance and a QR code of a payment
link (issue 5). Private chats only (groups: `middlewares.groups`).

The gateway does not keep addresses: /receive answers "Getting your address…" and queues
GetBalance with a "receive" view (`reply_views`); the wallet service's BalanceReported is then
shown as the address and its QR (`views.render_view`) instead of the balance, and a user
without a wallet is told to create one (WalletFailed), as for /balance.
"""

from __future__ import annotations

from uuid import UUID

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from xrpbot.schemas import Actor, GetBalance

from .. import texts, use_cases
from ..ids import command_event_id
from ..ports import Placeholder, ReplyView, UnitOfWork
from ..views import ReceiveAmountError, parse_receive_amount

__all__ = ["build_router", "on_receive", "request_receive"]

_private = (F.chat.type == ChatType.PRIVATE) & F.from_user


async def request_receive(
    message: Message,
    amount_drops: int | None,
    *,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """Answer "Getting your address…" in `message`'s chat and queue GetBalance shown as the
    "receive" view (with `amount_drops` in the payment link, when given)."""
    sent = await message.answer(texts.getting_address())
    command = GetBalance.new(
        user=actor,
        chat_id=message.chat.id,
        correlation_id=correlation_id,
        event_id=command_event_id(correlation_id, GetBalance.ROUTING_KEY),
    )
    await uow.set_reply_view(correlation_id, ReplyView("receive", {"amount_drops": amount_drops}))
    await use_cases.request(
        command, placeholder=Placeholder(message.chat.id, sent.message_id), uow=uow
    )


async def on_receive(
    message: Message,
    command: CommandObject,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    """`/receive [amount]` (``/receive 25``, ``/receive 0.5 XRP``)."""
    try:
        amount_drops = parse_receive_amount(command.args)
    except ReceiveAmountError:
        await message.answer(texts.receive_usage())
        return
    await request_receive(
        message, amount_drops, actor=actor, correlation_id=correlation_id, uow=uow
    )


def build_router() -> Router:
    """/receive in private chats."""
    router = Router(name="receive")
    router.message.register(on_receive, Command("receive"), _private)
    return router
