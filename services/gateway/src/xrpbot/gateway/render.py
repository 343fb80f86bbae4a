"""Reply events into Telegram messages: text (HTML) and an optional inline keyboard. Pure.

Every word comes from `texts`; amounts become XRP text only here (`formatting`). The result
fits one message: at most 4096 characters after entity parsing
(https://core.telegram.org/bots/api#sendmessage), which every text here is far below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from xrpbot.schemas import (
    AnyReply,
    BalanceReported,
    ErrorCode,
    PriceReported,
    PricingFailed,
    WalletCreated,
    WalletFailed,
)

from . import texts
from .formatting import format_decimal, format_percent, format_xrp

__all__ = ["TESTNET_EXPLORER", "Rendered", "error_text", "render"]

TESTNET_EXPLORER = "https://testnet.xrpl.org/accounts/"
"""XRPL Testnet explorer; an account page is this prefix + the classic address."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to send or edit with `parse_mode=HTML`.

    Attributes:
        text: HTML text (https://core.telegram.org/bots/api#html-style).
        keyboard: inline keyboard under the message, if any.
    """

    text: str
    keyboard: InlineKeyboardMarkup | None = None


def _explorer(address: str) -> InlineKeyboardMarkup:
    # URL buttons need no callback handling (https://core.telegram.org/bots/api#inlinekeyboardbutton)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=texts.explorer_button(), url=TESTNET_EXPLORER + address)]
        ]
    )


def error_text(code: ErrorCode | str) -> str:
    """The words for an error code; unknown codes get the generic apology."""
    match code:
        case ErrorCode.WALLET_NOT_FOUND:
            return texts.wallet_not_found()
        case ErrorCode.ACCOUNT_NOT_FOUND:
            return texts.account_not_funded()
        case ErrorCode.LEDGER_UNAVAILABLE:
            return texts.ledger_unavailable()
        case ErrorCode.FAUCET_UNAVAILABLE:
            return texts.faucet_unavailable()
        case ErrorCode.PRICES_UNAVAILABLE:
            return texts.prices_unavailable()
        case _:
            return texts.internal_error()


def _wallet_created(reply: WalletCreated) -> Rendered:
    address = reply.wallet.address
    if not reply.wallet.funded:
        return Rendered(texts.wallet_not_funded_yet(address))
    funded_xrp = (
        format_xrp(reply.balance_drops)
        if reply.funded_now and reply.balance_drops is not None
        else None
    )
    if reply.already_existed:
        return Rendered(texts.wallet_exists(address, funded_xrp), _explorer(address))
    return Rendered(texts.wallet_ready(address, funded_xrp), _explorer(address))


def _balance(reply: BalanceReported) -> Rendered:
    # spendable = balance - reserve (https://xrpl.org/docs/concepts/accounts/reserves);
    # an account below its reserve (after a reserve increase) can spend nothing
    spendable_drops = max(reply.balance_drops - reply.reserve_drops, 0)
    text = texts.balance(
        address=reply.address,
        balance_xrp=format_xrp(reply.balance_drops),
        reserve_xrp=format_xrp(reply.reserve_drops),
        spendable_xrp=format_xrp(spendable_drops),
    )
    return Rendered(text, _explorer(reply.address))


def _price(reply: PriceReported) -> Rendered:
    return Rendered(
        texts.price(
            currency=reply.vs_currency.upper(),
            price_text=format_decimal(reply.price, max_places=6),
            change_text=None
            if reply.change_24h_pct is None
            else format_percent(reply.change_24h_pct),
            as_of=reply.as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )


def render(reply: AnyReply) -> Rendered:
    """The message for a reply event.

    Args:
        reply: any reply the gateway consumes (see `xrpbot.schemas.AnyReply`).

    Returns:
        HTML text and an optional keyboard; never a stack trace, whatever the reply says.
    """
    match reply:
        case WalletCreated():
            return _wallet_created(reply)
        case BalanceReported():
            return _balance(reply)
        case WalletFailed() | PricingFailed():
            return Rendered(error_text(reply.code))
        case PriceReported():
            return _price(reply)
    return Rendered(texts.internal_error())  # a reply kind added to the contract later
