"""Every reply event into its Telegram message: one `match` over the reply types. Pure.

Every word comes from `texts`; amounts become XRP text only in `numbers`; whatever a reply
says, the message never carries a stack trace.
"""

from __future__ import annotations

from xrpbot.schemas import (
    AnyReply,
    BalanceReported,
    DailyLimitReported,
    DailyLimitSet,
    HistoryReported,
    PaymentReceived,
    PriceReported,
    PricingFailed,
    StatsReported,
    TransferCancelled,
    TransferFailed,
    TransferQuoted,
    TransferRefused,
    TransferSubmitted,
    TransferValidated,
    WalletCreated,
    WalletFailed,
)

from ..domain.delivery import ReplyView
from ..domain.fiat import FiatQuote
from ..domain.preferences import DEFAULT_CURRENCY, Preferences
from .admin import stats_message
from .history import history_message
from .links import TESTNET_TX_EXPLORER
from .message import Rendered
from .prices import price_message
from .receive import payment_received, receive_message
from .send import (
    failed_message,
    quote_message,
    refused_message,
    submitted_message,
    validated_message,
)
from .settings import limit_choice, preferences_screen
from .texts import send
from .texts.errors import error_text, internal_error
from .wallet import balance_message, wallet_message

__all__ = ["render_reply"]


def render_reply(
    reply: AnyReply,
    *,
    fiat: FiatQuote | None = None,
    view: ReplyView | None = None,
    preferences: Preferences | None = None,
    explorer_tx_url: str = TESTNET_TX_EXPLORER,
) -> Rendered:
    """The message for a reply event.

    Args:
        reply: any reply the gateway consumes (see `xrpbot.schemas.AnyReply`).
        fiat: the user's latest XRP rate, for fiat equivalents beside a balance.
        view: how the command asked its reply to be shown ("receive": BalanceReported as the
            address and its QR; "stats": StatsReported with the gateway's numbers;
            "limit_choice": DailyLimitReported as the limits to choose from).
        preferences: the user's preferences, for the settings screen a daily limit reply is
            shown as (defaults when not given).
        explorer_tx_url: prefix of a transaction's explorer page (EXPLORER_TX_URL).

    Returns:
        HTML text, an optional keyboard, and a chart or QR code to send as a photo.
    """
    match reply:
        case WalletCreated():
            return wallet_message(reply)
        case BalanceReported() if view is not None and view.view == "receive":
            return receive_message(reply, view.args)
        case BalanceReported():
            return balance_message(reply, fiat)
        case DailyLimitReported() if view is not None and view.view == "limit_choice":
            return limit_choice(reply)
        case DailyLimitReported() | DailyLimitSet():
            current = preferences or Preferences(None, DEFAULT_CURRENCY, notifications=True)
            return preferences_screen(current, reply.user.language_code, reply)
        case WalletFailed() | PricingFailed():
            return Rendered(error_text(reply.code))
        case PriceReported():
            return price_message(reply)
        case TransferQuoted():
            return quote_message(reply)
        case TransferRefused():
            return refused_message(reply)
        case TransferCancelled():
            return Rendered(send.transfer_cancelled())
        case TransferSubmitted():
            return submitted_message(reply, explorer_tx_url)
        case TransferValidated():
            return validated_message(reply, explorer_tx_url)
        case TransferFailed():
            return failed_message(reply, explorer_tx_url)
        case PaymentReceived():
            return payment_received(reply, explorer_tx_url)
        case HistoryReported():
            return history_message(reply, explorer_tx_url)
        case StatsReported():
            return stats_message(reply, view.args if view is not None else {})
    return Rendered(internal_error())  # a reply kind added to the contract later
