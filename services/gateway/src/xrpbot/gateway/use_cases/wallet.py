"""/wallet, /balance and /receive: ask the wallet service, answering at once."""

from __future__ import annotations

from xrpbot.parsing import Refused
from xrpbot.schemas import CreateWallet, ErrorCode, GetBalance

from ..domain.delivery import ReplyView
from ..domain.parsing import parse_receive_amount
from ..ports import Chat, UnitOfWork
from ..render.message import Rendered
from ..render.texts import receive, wallet
from ..render.texts.errors import error_text
from .ask import Origin, ask

__all__ = ["open_wallet", "show_balance", "show_receive"]


async def open_wallet(origin: Origin, *, chat: Chat, uow: UnitOfWork) -> None:
    """Create the user's wallet (or show the one they have): CreateWallet."""
    await ask(CreateWallet, origin, uow=uow, answer=chat, waiting=wallet.creating_wallet())


async def show_balance(origin: Origin, *, chat: Chat, uow: UnitOfWork) -> None:
    """The balance, the reserve and what can be spent: GetBalance."""
    await ask(GetBalance, origin, uow=uow, answer=chat, waiting=wallet.checking_balance())


async def show_receive(origin: Origin, args: str | None, *, chat: Chat, uow: UnitOfWork) -> None:
    """`/receive [amount]`: GetBalance shown as the address and a QR code of a payment link
    (with the amount, when given); words that are not an amount get why (the shared parser's
    refusal, in words) and the usage.

    The gateway keeps no addresses: the wallet service's BalanceReported is shown as the
    "receive" view (`render.receive`), and a user without a wallet is told to create one
    (WalletFailed), as for /balance.
    """
    amount_drops = parse_receive_amount(args)
    if isinstance(amount_drops, Refused):
        usage = receive.receive_usage()
        plain = amount_drops.code in (ErrorCode.INVALID_AMOUNT, ErrorCode.UNSUPPORTED_CURRENCY)
        await chat.say(Rendered(usage if plain else f"{error_text(amount_drops.code)}\n\n{usage}"))
        return
    await ask(
        GetBalance,
        origin,
        uow=uow,
        answer=chat,
        waiting=receive.getting_address(),
        view=ReplyView("receive", {"amount_drops": amount_drops}),
    )
