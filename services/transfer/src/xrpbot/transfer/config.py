"""Settings of the transfer service (env names from design.md)."""

from __future__ import annotations

from pydantic import Field

from xrpbot.runtime.settings import ServiceSettings

__all__ = ["TransferSettings"]


class TransferSettings(ServiceSettings):
    """The transfer service's settings."""

    http_port: int = Field(default=8002, description="HTTP_PORT for the probes.")
    xrpl_rpc_url: str = Field(
        default="https://s.altnet.rippletest.net:51234/", description="XRPL_RPC_URL (JSON-RPC)."
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
    transfer_ledger_poll_seconds: float = Field(
        default=0.25, gt=0, description="TRANSFER_LEDGER_POLL_SECONDS: new-ledger check period."
    )
