"""Settings of the wallet service (env names from design.md)."""

from __future__ import annotations

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, field_validator

from xrpbot.runtime.settings import ServiceSettings, checked_signing_keys, signing_keys

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

    wallet_max_fee_drops: int = Field(
        default=1000,
        gt=0,
        description="WALLET_MAX_FEE_DROPS: the highest Fee wallet signs, whoever asks (drops); "
        "equal to transfer's TRANSFER_MAX_FEE_DROPS by default.",
    )
    wallet_daily_limit_drops: int = Field(
        default=10_000 * 1_000_000,
        gt=0,
        description="WALLET_DAILY_LIMIT_DROPS: the most one user may send in a rolling 24 hours "
        "(drops; 10,000 XRP). A user may set a lower limit for themselves.",
    )
    signing_request_keys: SecretStr = Field(
        description="SIGNING_REQUEST_KEYS: comma-separated HMAC keys shared with transfer, "
        "newest first (at least 32 characters each); a signing request is accepted under any."
    )
    signing_request_max_age_seconds: float = Field(
        default=60.0,
        gt=0,
        description="SIGNING_REQUEST_MAX_AGE_SECONDS: how old (or how far ahead, for clock skew) "
        "a signing request may be.",
    )

    @field_validator("signing_request_keys")
    @classmethod
    def _valid_signing_keys(cls, value: SecretStr) -> SecretStr:
        return checked_signing_keys(value)

    @property
    def request_keys(self) -> tuple[bytes, ...]:
        """SIGNING_REQUEST_KEYS as bytes, newest first."""
        return signing_keys(self.signing_request_keys)

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
