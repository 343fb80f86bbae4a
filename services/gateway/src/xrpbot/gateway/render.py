"""Reply events into Telegram messages: text (HTML) and an optional inline keyboard. Pure.

Every word comes from `texts`; amounts become XRP text only here (`formatting`). The result
fits one message: at most 4096 characters after entity parsing
(https://core.telegram.org/bots/api#sendmessage), which every text here is far below.
"""

from __future__ import annotations

from dataclasses import dataclass

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
from .formatting import format_xrp
from .keyboards import send_button
from .market import FiatQuote, PriceChart, fiat_equivalent, price_message
from .refusals import refusal_text

__all__ = ["TESTNET_EXPLORER", "Rendered", "error_text", "render"]

TESTNET_EXPLORER = "https://testnet.xrpl.org/accounts/"
"""XRPL Testnet explorer; an account page is this prefix + the classic address."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready to send or edit with `parse_mode=HTML`.

    Attributes:
        text: HTML text (https://core.telegram.org/bots/api#html-style).
        keyboard: inline keyboard under the message, if any.
        chart: a chart to send as a photo, `text` being its caption (at most 1024 characters).
        qr: text to send as a QR code photo (a payment link, issue 5), `text` its caption.
    """

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    chart: PriceChart | None = None
    qr: str | None = None


def _explorer(address: str) -> InlineKeyboardMarkup:
    # URL buttons need no callback handling (https://core.telegram.org/bots/api#inlinekeyboardbutton)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=texts.explorer_button(), url=TESTNET_EXPLORER + address)],
            [send_button()],  # starts the /send flow (handlers.send)
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
            # the payment codes (/send refusals and outcomes) are worded in `refusals`
            return refusal_text(code) or texts.internal_error()


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


def _balance(reply: BalanceReported, fiat: FiatQuote | None = None) -> Rendered:
    # spendable = balance - reserve (https://xrpl.org/docs/concepts/accounts/reserves);
    # an account below its reserve (after a reserve increase) can spend nothing
    spendable_drops = max(reply.balance_drops - reply.reserve_drops, 0)
    text = texts.balance(
        address=reply.address,
        balance_xrp=format_xrp(reply.balance_drops),
        reserve_xrp=format_xrp(reply.reserve_drops),
        spendable_xrp=format_xrp(spendable_drops),
        balance_fiat=None
        if fiat is None
        else fiat_equivalent(reply.balance_drops, fiat, now=reply.occurred_at),
        spendable_fiat=None
        if fiat is None
        else fiat_equivalent(spendable_drops, fiat, now=reply.occurred_at),
    )
    return Rendered(text, _explorer(reply.address))


def _price(reply: PriceReported) -> Rendered:
    # the caption, the period/currency buttons and the chart's data: see `market`
    message = price_message(reply)
    return Rendered(message.text, message.keyboard, message.chart)


def render(reply: AnyReply, *, fiat: FiatQuote | None = None) -> Rendered:
    """The message for a reply event.

    Args:
        reply: any reply the gateway consumes (see `xrpbot.schemas.AnyReply`).
        fiat: the user's latest XRP rate, for fiat equivalents beside balances.

    Returns:
        HTML text and an optional keyboard; never a stack trace, whatever the reply says.
    """
    match reply:
        case WalletCreated():
            return _wallet_created(reply)
        case BalanceReported():
            return _balance(reply, fiat)
        case WalletFailed() | PricingFailed():
            return Rendered(error_text(reply.code))
        case PriceReported():
            return _price(reply)
    return Rendered(texts.internal_error())  # a reply kind added to the contract later
