"""Settings of the pricing service (env names from design.md)."""

from __future__ import annotations

from pydantic import Field, SecretStr

from xrpbot.runtime.settings import ServiceSettings

__all__ = ["PricingSettings"]


class PricingSettings(ServiceSettings):
    """CoinGecko's public API by default; the sandbox's stand-in locally."""

    http_port: int = Field(default=8003, description="HTTP_PORT for the probes.")
    coingecko_api_base: str = Field(
        default="https://api.coingecko.com/api/v3",
        description="COINGECKO_API_BASE: the API root, ending in /api/v3.",
    )
    coingecko_api_key: SecretStr | None = Field(
        default=None, description="COINGECKO_API_KEY: optional demo API key (x-cg-demo-api-key)."
    )
