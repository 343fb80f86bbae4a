"""Settings of the wallet service (env names from design.md)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, field_validator

from xrpbot.runtime.settings import ServiceSettings

__all__ = ["TESTNET_FAUCET_URL", "TESTNET_RPC_URL", "WalletSettings"]

TESTNET_RPC_URL = "https://s.altnet.rippletest.net:51234/"
"""XRPL Testnet JSON-RPC (https://xrpl.org/resources/dev-tools/xrp-faucets)."""
TESTNET_FAUCET_URL = "https://faucet.altnet.rippletest.net/accounts"
"""XRPL Testnet faucet (https://xrpl.org/resources/dev-tools/xrp-faucets)."""


class WalletSettings(ServiceSettings):
    """WALLET_FERNET_KEYS is required: the service refuses to start without a valid key."""

    http_port: int = Field(default=8001, description="HTTP_PORT for the probes.")
    xrpl_rpc_url: str = Field(default=TESTNET_RPC_URL, description="XRPL_RPC_URL (JSON-RPC).")
    xrpl_faucet_url: str = Field(
        default=TESTNET_FAUCET_URL, description="XRPL_FAUCET_URL (POST /accounts endpoint)."
    )
    wallet_fernet_keys: SecretStr = Field(
        description="WALLET_FERNET_KEYS: comma-separated Fernet keys, newest first."
    )
    wallet_funding_timeout_seconds: float = Field(
        default=20.0,
        description="WALLET_FUNDING_TIMEOUT_SECONDS: how long /wallet waits for the faucet "
        "payment to reach a validated ledger before answering 'funding on its way'.",
    )

    @field_validator("wallet_fernet_keys")
    @classmethod
    def _valid_keys(cls, value: SecretStr) -> SecretStr:
        keys = [k.strip() for k in value.get_secret_value().split(",") if k.strip()]
        if not keys:
            raise ValueError("at least one Fernet key is required")
        for position, key in enumerate(keys, start=1):
            try:
                Fernet(key)
            except (ValueError, TypeError):
                # never echo the key: say which one is wrong
                raise ValueError(
                    f"key #{position} is not a Fernet key (32 url-safe base64-encoded bytes)"
                ) from None
        return value

    @property
    def fernet_keys(self) -> list[str]:
        """The keys, newest first."""
        return [
            k.strip() for k in self.wallet_fernet_keys.get_secret_value().split(",") if k.strip()
        ]
