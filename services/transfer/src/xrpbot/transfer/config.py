"""Settings of the transfer service (env names from design.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator

from xrpbot.runtime.settings import ServiceSettings, checked_signing_keys, signing_keys

__all__ = ["TransferSettings"]


class TransferSettings(ServiceSettings):
    """The transfer service's settings.

    The network (for X-addresses) is a setting, XRPL_NETWORK, rather than read from the ledger:
    a server reports no network_id both on Mainnet and when stand-alone (the sandbox), so the
    ledger cannot tell them apart, and a wrong guess on Mainnet would send real XRP.
    """

    http_port: int = Field(default=8002, description="HTTP_PORT for the probes.")
    xrpl_rpc_url: str = Field(
        default="https://s.altnet.rippletest.net:51234/", description="XRPL_RPC_URL (JSON-RPC)."
    )
    xrpl_network: Literal["testnet", "mainnet"] = Field(
        default="testnet",
        description="XRPL_NETWORK: the kind of network XRPL_RPC_URL serves, testnet (any test "
        "network: Testnet, Devnet, the sandbox) or mainnet; X-addresses must be made for it.",
    )
    transfer_quote_ttl_seconds: float = Field(
        default=120.0, gt=0, description="TRANSFER_QUOTE_TTL_SECONDS: how long a quote stands."
    )
    transfer_max_fee_drops: int = Field(
        default=1_000, gt=0, description="TRANSFER_MAX_FEE_DROPS: the highest Fee paid, in drops."
    )
    transfer_last_ledger_offset: int = Field(
        default=20,
        ge=2,
        description="TRANSFER_LAST_LEDGER_OFFSET: LastLedgerSequence = validated ledger + this.",
    )
    transfer_signing_timeout_seconds: float = Field(
        default=5.0, gt=0, description="TRANSFER_SIGNING_TIMEOUT_SECONDS: wait for wallet."
    )
    transfer_sign_deadline_seconds: float = Field(
        default=120.0,
        gt=0,
        description="TRANSFER_SIGN_DEADLINE_SECONDS: a confirmed payment not signed this long "
        "after its Confirm is given up (nothing sent; the user is told).",
    )
    transfer_username_stale_days: float = Field(
        default=30.0,
        gt=0,
        description="TRANSFER_USERNAME_STALE_DAYS: a quote to a @username whose holder was last "
        "seen with it longer ago than this warns that the name may belong to someone else now.",
    )
    transfer_ledger_poll_seconds: float = Field(
        default=0.25, gt=0, description="TRANSFER_LEDGER_POLL_SECONDS: new-ledger check period."
    )
    signing_request_keys: SecretStr = Field(
        description="SIGNING_REQUEST_KEYS: comma-separated HMAC keys shared with wallet, newest "
        "first; transfer authenticates every signing request with the first."
    )

    @field_validator("signing_request_keys")
    @classmethod
    def _valid_signing_keys(cls, value: SecretStr) -> SecretStr:
        return checked_signing_keys(value)

    @property
    def request_key(self) -> bytes:
        """The newest SIGNING_REQUEST_KEYS entry: every signing request is authenticated with it."""
        return signing_keys(self.signing_request_keys)[0]
