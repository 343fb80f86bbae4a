"""Settings of `python -m xrpbot.sandbox` (pydantic-settings; every variable starts SANDBOX_).

| variable | default | meaning |
| --- | --- | --- |
| SANDBOX_HOST | 127.0.0.1 | where every stand-in listens |
| SANDBOX_TELEGRAM_PORT | 8081 | Telegram Bot API stand-in (0 = any free port) |
| SANDBOX_XRPL_PORT | 5005 | XRPL JSON-RPC stand-in |
| SANDBOX_FAUCET_PORT | 5006 | XRPL faucet stand-in (POST /accounts) |
| SANDBOX_COINGECKO_PORT | 8082 | CoinGecko stand-in |
| SANDBOX_LEDGER_CLOSE_SECONDS | 1.0 | ledger close interval; 0 = only on `ledger_accept` |
| SANDBOX_TELEGRAM_TOKENS | 123456789:sandbox-local-token | comma-separated bot tokens the stand-in knows |
| TELEGRAM_BOT_TOKEN | (unset) | also accepted, so a gateway given a token still finds its bot |
| SANDBOX_TELEGRAM_BOT_USERNAME | xrpbot_sandbox_bot | the (first) bot's username |
| SANDBOX_ONLY | (all) | comma list of telegram, xrpl, coingecko to start a subset |
| SANDBOX_LOG_LEVEL | INFO | logging level |
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["PARTS", "SandboxSettings"]

PARTS: Final = ("telegram", "xrpl", "coingecko")
"""The stand-ins, in start order."""

_DEFAULT_TOKEN: Final = "123456789:sandbox-local-token"  # noqa: S105  public sandbox test token


def _split(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class SandboxSettings(BaseSettings):
    """Where the stand-ins listen and what they know; defaults match design.md's ports."""

    model_config = SettingsConfigDict(
        env_prefix="SANDBOX_", extra="ignore", frozen=True, populate_by_name=True
    )

    host: str = Field(default="127.0.0.1", description="SANDBOX_HOST: listen address.")
    telegram_port: int = Field(default=8081, ge=0, le=65535, description="SANDBOX_TELEGRAM_PORT.")
    xrpl_port: int = Field(default=5005, ge=0, le=65535, description="SANDBOX_XRPL_PORT.")
    faucet_port: int = Field(default=5006, ge=0, le=65535, description="SANDBOX_FAUCET_PORT.")
    coingecko_port: int = Field(
        default=8082, ge=0, le=65535, description="SANDBOX_COINGECKO_PORT."
    )
    ledger_close_seconds: float = Field(
        default=1.0,
        ge=0,
        description="SANDBOX_LEDGER_CLOSE_SECONDS: close a ledger this often; 0 = only on "
        "ledger_accept.",
    )
    telegram_tokens: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=lambda: [SecretStr(_DEFAULT_TOKEN)],
        description="SANDBOX_TELEGRAM_TOKENS: comma-separated bot tokens.",
    )
    telegram_bot_token: SecretStr | None = Field(
        default=None,
        validation_alias="TELEGRAM_BOT_TOKEN",
        description="TELEGRAM_BOT_TOKEN: one more token to accept (the gateway's).",
    )
    telegram_bot_username: str = Field(
        default="xrpbot_sandbox_bot", description="SANDBOX_TELEGRAM_BOT_USERNAME."
    )
    only: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(PARTS),
        description="SANDBOX_ONLY: comma list of telegram, xrpl, coingecko; empty = all.",
    )
    log_level: str = Field(default="INFO", description="SANDBOX_LOG_LEVEL.")

    @field_validator("telegram_tokens", mode="before")
    @classmethod
    def _split_tokens(cls, value: object) -> object:
        return _split(value)

    @field_validator("only", mode="before")
    @classmethod
    def _split_only(cls, value: object) -> object:
        value = _split(value)
        if isinstance(value, list) and not value:
            return list(PARTS)
        return value

    @field_validator("only")
    @classmethod
    def _known_parts(cls, value: list[str]) -> list[str]:
        parts = [part.lower() for part in value]
        unknown = sorted(set(parts) - set(PARTS))
        if unknown:
            raise ValueError(f"unknown stand-in(s) {unknown}; choose from {list(PARTS)}")
        return [part for part in PARTS if part in parts]

    def tokens(self) -> list[str]:
        """Every token the Telegram stand-in accepts, without duplicates.

        TELEGRAM_BOT_TOKEN comes first: it is the bot the gateway uses, so it gets the configured
        username and is the one the control API acts on until some bot calls the Bot API.
        """
        values = [t.get_secret_value() for t in self.telegram_tokens]
        if self.telegram_bot_token is not None:
            values.insert(0, self.telegram_bot_token.get_secret_value())
        return list(dict.fromkeys(v.strip() for v in values if v.strip()))
