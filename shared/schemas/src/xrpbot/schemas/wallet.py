"""Wallet messages: create a custodial account, report its balance.

Published by gateway (commands) and wallet (replies, events).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt

from .envelope import Command, Event, Reply
from .errors import ErrorCode

__all__ = [
    "BalanceReported",
    "CreateWallet",
    "GetBalance",
    "WalletCreated",
    "WalletFailed",
    "WalletOpened",
]


class CreateWallet(Command):
    """Give the user an XRPL account, funded by the faucet; idempotent per user.

    Published by gateway on /wallet; consumed by wallet.
    """

    kind: Literal["wallet.create_wallet"] = "wallet.create_wallet"


class GetBalance(Command):
    """Ask for the user's balance from a validated ledger. Published by gateway; consumed by wallet."""

    kind: Literal["wallet.get_balance"] = "wallet.get_balance"


class WalletInfo(BaseModel):
    """The user's custodial account (public data only; the seed never leaves wallet)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    address: str = Field(description="Classic XRPL address (r...).")
    funded: bool = Field(description="True once the faucet payment reached a validated ledger.")


class WalletCreated(Reply):
    """The user's wallet (new, or the one they already had). Published by wallet; consumed by gateway."""

    kind: Literal["wallet.created"] = "wallet.created"
    wallet: WalletInfo = Field(description="The account.")
    already_existed: bool = Field(description="True when /wallet was repeated.")
    funded_now: bool = Field(
        default=False,
        description="True when the faucet funded the account while handling this command.",
    )
    balance_drops: NonNegativeInt | None = Field(
        default=None, description="Balance in drops from a validated ledger, when known."
    )


class BalanceReported(Reply):
    """A balance read from a validated ledger. Published by wallet; consumed by gateway.

    Spendable XRP = balance_drops - reserve_drops (https://xrpl.org/docs/concepts/accounts/reserves).
    """

    kind: Literal["wallet.balance_reported"] = "wallet.balance_reported"
    address: str = Field(description="Classic XRPL address the balance belongs to.")
    balance_drops: NonNegativeInt = Field(description="Account balance in drops.")
    reserve_base_drops: NonNegativeInt = Field(description="Base reserve in drops.")
    reserve_owner_drops: NonNegativeInt = Field(description="Reserve per owned object in drops.")
    owner_count: NonNegativeInt = Field(description="Objects the account owns (OwnerCount).")
    reserve_drops: NonNegativeInt = Field(
        description="Total reserve in drops: base + owner_count x owner reserve."
    )
    ledger_index: NonNegativeInt = Field(description="The validated ledger the balance is from.")


class WalletFailed(Reply):
    """A wallet command could not be done. Published by wallet; consumed by gateway."""

    kind: Literal["wallet.failed"] = "wallet.failed"
    code: ErrorCode = Field(description="Stable machine code; the gateway words it.")
    command: str = Field(description="Routing key of the command that failed.")


class WalletOpened(Event):
    """Domain event: a user's custodial account exists and is funded. Published by wallet."""

    kind: Literal["wallet.opened"] = "wallet.opened"
    address: str = Field(description="Classic XRPL address (r...).")
