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
