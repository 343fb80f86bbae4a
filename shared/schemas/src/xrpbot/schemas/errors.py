"""Stable machine codes for typed error replies; the gateway turns each into words."""

from enum import StrEnum

__all__ = ["ErrorCode"]


class ErrorCode(StrEnum):
    """Why a command could not be done. Codes are part of the contract: never rename one."""

    WALLET_NOT_FOUND = "wallet_not_found"
    """The user has no wallet yet (they should send /wallet)."""
    LEDGER_UNAVAILABLE = "ledger_unavailable"
    """The XRPL server could not be reached or did not answer in time."""
    FAUCET_UNAVAILABLE = "faucet_unavailable"
    """The faucet could not fund the new account (yet); the account is kept and retried."""
    ACCOUNT_NOT_FOUND = "account_not_found"
    """The wallet's account is not (yet) in a validated ledger: it is not funded."""
    PRICES_UNAVAILABLE = "prices_unavailable"
    """The market-data source failed and nothing usable is cached."""
    INTERNAL = "internal"
    """Something unexpected; the details are in the service's logs, never in the reply."""
