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
        default=None,
        description="COINGECKO_API_KEY: optional API key (x-cg-demo-api-key; "
        "x-cg-pro-api-key when COINGECKO_API_BASE is the Pro API).",
    )
    coingecko_timeout_seconds: float = Field(
        default=5.0, gt=0, description="COINGECKO_TIMEOUT_SECONDS: per request (read) timeout."
    )
    pricing_spot_ttl_seconds: float = Field(
        default=60.0,
        gt=0,
        description="PRICING_SPOT_TTL_SECONDS: spot prices are served from the cache this long.",
    )
    pricing_failure_backoff_seconds: float = Field(
        default=30.0,
        ge=0,
        description="PRICING_FAILURE_BACKOFF_SECONDS: after a failed call, CoinGecko is left "
        "alone this long per cache key (longer when a 429 says so).",
    )
    pricing_refresh_seconds: float = Field(
        default=300.0,
        ge=0,
        description="PRICING_REFRESH_SECONDS: how often pricing refreshes spot prices on its "
        "own (for the fiat equivalents beside balances); 0 switches it off.",
    )
