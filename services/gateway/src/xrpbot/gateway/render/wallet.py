"""/wallet and /balance answers: WalletCreated and BalanceReported into messages. Pure."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from xrpbot.schemas import BalanceReported, WalletCreated

from ..domain.fiat import FiatQuote
from ..domain.xrp import spendable_drops
from .keyboards import send_button
from .links import TESTNET_EXPLORER
from .message import Rendered
from .numbers import format_xrp
from .prices import fiat_equivalent
from .texts import wallet

__all__ = ["balance_message", "wallet_message"]


def _explorer(address: str) -> InlineKeyboardMarkup:
    # URL buttons need no callback handling (https://core.telegram.org/bots/api#inlinekeyboardbutton)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=wallet.explorer_button(), url=TESTNET_EXPLORER + address)],
            [send_button()],  # starts the /send flow (handlers.send)
        ]
    )


def wallet_message(reply: WalletCreated) -> Rendered:
    """The answer to /wallet: the new (or existing) wallet, or that it is not funded yet."""
    address = reply.wallet.address
    if not reply.wallet.funded:
        return Rendered(wallet.wallet_not_funded_yet(address))
    funded_xrp = (
        format_xrp(reply.balance_drops)
        if reply.funded_now and reply.balance_drops is not None
        else None
    )
    if reply.already_existed:
        return Rendered(wallet.wallet_exists(address, funded_xrp), _explorer(address))
    return Rendered(wallet.wallet_ready(address, funded_xrp), _explorer(address))


def balance_message(reply: BalanceReported, fiat: FiatQuote | None = None) -> Rendered:
    """The answer to /balance: balance, reserve, what can be spent, with fiat equivalents when
    the user's rate is known (`fiat`)."""
    spendable = spendable_drops(reply.balance_drops, reply.reserve_drops)
    text = wallet.balance(
        address=reply.address,
        balance_xrp=format_xrp(reply.balance_drops),
        reserve_xrp=format_xrp(reply.reserve_drops),
        spendable_xrp=format_xrp(spendable),
        balance_fiat=None
        if fiat is None
        else fiat_equivalent(reply.balance_drops, fiat, now=reply.occurred_at),
        spendable_fiat=None
        if fiat is None
        else fiat_equivalent(spendable, fiat, now=reply.occurred_at),
    )
    return Rendered(text, _explorer(reply.address))
