"""xrpbot's event contract: the envelope, commands, replies, events and error codes.

Every message is a frozen pydantic model whose `kind` equals its routing key.
"""

from typing import Annotated

from pydantic import Field, TypeAdapter

from .envelope import Actor, Command, Envelope, Event, Reply, Response
from .errors import ErrorCode
from .exchanges import COMMANDS_EXCHANGE, EVENTS_EXCHANGE, REPLIES_EXCHANGE
from .gateway import UserSeen
from .ops import DeadLettersFilling
from .pricing import (
    FIAT_CURRENCIES,
    FiatPrice,
    GetPrices,
    PricePeriod,
    PricePoint,
    PriceReported,
    PricingFailed,
    SpotPricesRefreshed,
)
from .transfer import (
    CancelTransfer,
    ConfirmTransfer,
    Counterparty,
    FiatAmount,
    GetHistory,
    GetStats,
    HistoryEntry,
    HistoryReported,
    HistoryStatus,
    PaymentReceived,
    RequestTransfer,
    StatsReported,
    TransferCancelled,
    TransferFailed,
    TransferQuoted,
    TransferRefused,
    TransferSubmitted,
    TransferValidated,
)
from .wallet import (
    BalanceReported,
    CreateWallet,
    DailyLimitReported,
    DailyLimitSet,
    GetBalance,
    GetDailyLimit,
    PaymentSigned,
    RequestAuth,
    ResolveUser,
    SetDailyLimit,
    SignPayment,
    UserResolved,
    WalletCreated,
    WalletFailed,
    WalletInfo,
    WalletOpened,
)

AnyReply = Annotated[
    BalanceReported
    | WalletCreated
    | WalletFailed
    | DailyLimitReported
    | DailyLimitSet
    | PriceReported
    | PricingFailed
    | TransferQuoted
    | TransferRefused
    | TransferCancelled
    | TransferSubmitted
    | TransferValidated
    | TransferFailed
    | PaymentReceived
    | HistoryReported
    | StatsReported,
    Field(discriminator="kind"),
]
"""Every reply the gateway renders, discriminated on `kind`.

A reply of a kind not listed here is dead-lettered by the gateway: deploy a gateway that knows a
new reply type before any service publishes it (consumers first, then producers).
"""

REPLY_ADAPTER: TypeAdapter[AnyReply] = TypeAdapter(AnyReply)
"""Parses any reply body: `REPLY_ADAPTER.validate_json(raw)`."""

__all__ = [
    "COMMANDS_EXCHANGE",
    "EVENTS_EXCHANGE",
    "FIAT_CURRENCIES",
    "REPLIES_EXCHANGE",
    "REPLY_ADAPTER",
    "Actor",
    "AnyReply",
    "BalanceReported",
    "CancelTransfer",
    "Command",
    "ConfirmTransfer",
    "Counterparty",
    "CreateWallet",
    "DailyLimitReported",
    "DailyLimitSet",
    "DeadLettersFilling",
    "Envelope",
    "ErrorCode",
    "Event",
    "FiatAmount",
    "FiatPrice",
    "GetBalance",
    "GetDailyLimit",
    "GetHistory",
    "GetPrices",
    "GetStats",
    "HistoryEntry",
    "HistoryReported",
    "HistoryStatus",
    "PaymentReceived",
    "PaymentSigned",
    "PricePeriod",
    "PricePoint",
    "PriceReported",
    "PricingFailed",
    "Reply",
    "RequestAuth",
    "RequestTransfer",
    "ResolveUser",
    "Response",
    "SetDailyLimit",
    "SignPayment",
    "SpotPricesRefreshed",
    "StatsReported",
    "TransferCancelled",
    "TransferFailed",
    "TransferQuoted",
    "TransferRefused",
    "TransferSubmitted",
    "TransferValidated",
    "UserResolved",
    "UserSeen",
    "WalletCreated",
    "WalletFailed",
    "WalletInfo",
    "WalletOpened",
]
