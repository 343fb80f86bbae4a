"""/wallet, /balance and /receive [amount], in private chats only, so an address or a balance
never shows in a group (there `middlewares.groups` points to the private chat).

Each answers with a placeholder at once and queues the wallet command in the update's
transaction (`use_cases.wallet`); the replies consumer later edits the placeholder into the
answer.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from ..adapters.messenger import TelegramChat
from ..filters import PRIVATE
from ..ports import UnitOfWork
from ..use_cases import wallet
from ..use_cases.ask import Origin

__all__ = ["build_router", "on_balance", "on_receive", "on_wallet"]


async def on_wallet(message: Message, origin: Origin, chat: TelegramChat, uow: UnitOfWork) -> None:
    """/wallet: create the user's wallet, or show the one they have."""
    await wallet.open_wallet(origin, chat=chat, uow=uow)


async def on_balance(
    message: Message, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """/balance: the balance, the reserve and what can be spent."""
    await wallet.show_balance(origin, chat=chat, uow=uow)


async def on_receive(
    message: Message, command: CommandObject, origin: Origin, chat: TelegramChat, uow: UnitOfWork
) -> None:
    """`/receive [amount]` (``/receive 25``, ``/receive 0.5 XRP``)."""
    await wallet.show_receive(origin, command.args, chat=chat, uow=uow)


def build_router() -> Router:
    """/wallet, /balance, /receive."""
    router = Router(name="wallet")
    router.message.register(on_wallet, Command("wallet"), PRIVATE)
    router.message.register(on_balance, Command("balance"), PRIVATE)
    router.message.register(on_receive, Command("receive"), PRIVATE)
    return router
