"""/wallet and /balance: answer with a placeholder at once, then queue the wallet command.

The placeholder's message_id and the command go into the update's transaction (see
`middlewares.once`); the reply consumer later edits the placeholder into the answer.
Wallet commands work in private chats only, so an address or a balance never shows in a group.
"""

from __future__ import annotations

from uuid import UUID

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.types import Message

from xrpbot.schemas import Actor, CreateWallet, GetBalance, GetPrices

from .. import texts, use_cases
from ..ids import command_event_id
from ..ports import Placeholder, UnitOfWork

__all__ = [
    "build_router",
    "on_balance",
    "on_wallet",
    "on_wallet_outside_private_chat",
    "request_with_placeholder",
]

_private = (F.chat.type == ChatType.PRIVATE) & F.from_user


async def request_with_placeholder(
    message: Message,
    placeholder_text: str,
    command_type: type[CreateWallet] | type[GetBalance] | type[GetPrices],
    *,
    actor: Actor,
    correlation_id: UUID,
    uow: UnitOfWork,
) -> None:
    sent = await message.answer(placeholder_text)
    command = command_type.new(
        user=actor,
        chat_id=message.chat.id,
        correlation_id=correlation_id,
        event_id=command_event_id(correlation_id, command_type.ROUTING_KEY),
    )
    await use_cases.request(
        command, placeholder=Placeholder(message.chat.id, sent.message_id), uow=uow
    )


async def on_wallet(message: Message, actor: Actor, correlation_id: UUID, uow: UnitOfWork) -> None:
    """Create the user's wallet (or show the one they have): CreateWallet."""
    await request_with_placeholder(
        message,
        texts.creating_wallet(),
        CreateWallet,
        actor=actor,
        correlation_id=correlation_id,
        uow=uow,
    )


async def on_balance(
    message: Message, actor: Actor, correlation_id: UUID, uow: UnitOfWork
) -> None:
    """Report the balance, the reserve and what can be spent: GetBalance."""
    await request_with_placeholder(
        message,
        texts.checking_balance(),
        GetBalance,
        actor=actor,
        correlation_id=correlation_id,
        uow=uow,
    )


async def on_wallet_outside_private_chat(message: Message) -> None:
    """Wallet commands in groups and channels: point to a private chat."""
    await message.answer(texts.private_chat_only())


def build_router() -> Router:
    """/wallet and /balance (private chats; elsewhere a pointer to a private chat)."""
    router = Router(name="wallet")
    router.message.register(on_wallet, Command("wallet"), _private)
    router.message.register(on_balance, Command("balance"), _private)
    router.message.register(on_wallet_outside_private_chat, Command("wallet", "balance"))
    return router
