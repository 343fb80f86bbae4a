"""xrpbot's event contract: the envelope, commands, replies, events and error codes.

Every message is a frozen pydantic model whose `kind` equals its routing key.
"""

from typing import Annotated

from pydantic import Field, TypeAdapter

from .envelope import Actor, Command, Envelope, Event, Reply
from .errors import ErrorCode
from .exchanges import COMMANDS_EXCHANGE, EVENTS_EXCHANGE, REPLIES_EXCHANGE
from .pricing import GetPrices, PriceReported, PricingFailed
from .wallet import (
    BalanceReported,
    CreateWallet,
    GetBalance,
    WalletCreated,
    WalletFailed,
    WalletInfo,
    WalletOpened,
)

AnyReply = Annotated[
    BalanceReported | WalletCreated | WalletFailed | PriceReported | PricingFailed,
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
    "REPLIES_EXCHANGE",
    "REPLY_ADAPTER",
    "Actor",
    "AnyReply",
    "BalanceReported",
    "Command",
    "CreateWallet",
    "Envelope",
    "ErrorCode",
    "Event",
    "GetBalance",
    "GetPrices",
    "PriceReported",
    "PricingFailed",
    "Reply",
    "WalletCreated",
    "WalletFailed",
    "WalletInfo",
    "WalletOpened",
]
