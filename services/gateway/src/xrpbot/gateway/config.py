"""Settings of the gateway service (env names from design.md).

Secrets (TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET) are `SecretStr` and validation errors
never echo the input (`hide_input_in_errors`), so a typo in a token is reported by the
variable's name only.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

from aiogram.utils.token import TokenValidationError, validate_token
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from xrpbot.runtime.settings import ServiceSettings

from .domain.support import SupportContact, support_url_problem, support_username_problem

__all__ = ["TELEGRAM_PUBLIC_API", "GatewaySettings"]

TELEGRAM_PUBLIC_API = "https://api.telegram.org"
"""Telegram's public Bot API server (https://core.telegram.org/bots/api#making-requests)."""

# https://core.telegram.org/bots/api#setwebhook: secret_token is 1-256 characters A-Z a-z 0-9 _ -
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class GatewaySettings(ServiceSettings):
    """TELEGRAM_BOT_TOKEN is required; TELEGRAM_WEBHOOK_SECRET too in webhook mode."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, hide_input_in_errors=True)

    http_port: int = Field(default=8080, description="HTTP_PORT for the probes and the webhook.")
    telegram_bot_token: SecretStr = Field(
        description="TELEGRAM_BOT_TOKEN from @BotFather (`<bot id>:<secret>`)."
    )
    telegram_api_base: str = Field(
        default=TELEGRAM_PUBLIC_API,
        description="TELEGRAM_API_BASE: Bot API server; requests go to `<base>/bot<token>/<method>`.",
    )
    telegram_mode: Literal["webhook", "polling"] = Field(
        default="polling",
        description="TELEGRAM_MODE: `webhook` (Telegram POSTs to /telegram/webhook) or "
        "`polling` (the gateway long-polls getUpdates).",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        description="TELEGRAM_WEBHOOK_SECRET: expected X-Telegram-Bot-Api-Secret-Token "
        "(1-256 of A-Za-z0-9_-); required in webhook mode.",
    )
    telegram_webhook_url: str | None = Field(
        default=None,
        description="TELEGRAM_WEBHOOK_URL: public URL of /telegram/webhook; when set in webhook "
        "mode the gateway registers it with setWebhook at start-up.",
    )
    explorer_tx_url: str = Field(
        default="https://testnet.xrpl.org/transactions/",
        description="EXPLORER_TX_URL: prefix of a transaction's explorer page; the gateway "
        "links `<prefix><hash>` (the XRPL Testnet explorer by default).",
    )
    telegram_polling_timeout_seconds: int = Field(
        default=25,
        ge=0,
        le=50,
        description="TELEGRAM_POLLING_TIMEOUT_SECONDS: long-poll `timeout` of getUpdates.",
    )

    support_url: str | None = Field(
        default=None,
        description="SUPPORT_URL: an https page or chat where users get help; /support, /help "
        "and the menu's Support button show it. Set this or SUPPORT_USERNAME, not both.",
    )
    support_username: str | None = Field(
        default=None,
        description="SUPPORT_USERNAME: a Telegram username (5-32 of A-Za-z0-9_, with or without "
        "@) users write to for help; shown as @name and linked as https://t.me/name.",
    )

    # ---- admins and throttling -----------------------------------------------------------------
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(),
        description="ADMIN_IDS: comma-separated Telegram user ids allowed /stats and /broadcast; "
        "they also get the alerts (dead letters, failed payments).",
    )
    throttle_burst: int = Field(
        default=5,
        ge=1,
        le=100,
        description="THROTTLE_BURST: commands (messages, button presses) a user may send at once.",
    )
    throttle_per_second: float = Field(
        default=1.0,
        gt=0,
        le=100,
        description="THROTTLE_PER_SECOND: how fast a user's allowance refills afterwards.",
    )

    # ---- outbound within Telegram's limits (domain/limits.py) ---------------------------------
    telegram_global_messages_per_second: int = Field(
        default=30,
        ge=1,
        le=1000,
        description="TELEGRAM_GLOBAL_MESSAGES_PER_SECOND: messages the bot sends per second, "
        "all chats and replicas together (Telegram's FAQ: 30).",
    )
    telegram_chat_messages_per_second: int = Field(
        default=1,
        ge=1,
        le=100,
        description="TELEGRAM_CHAT_MESSAGES_PER_SECOND: messages per second to one chat (FAQ: 1).",
    )
    telegram_chat_burst: int = Field(
        default=3,
        ge=1,
        le=20,
        description="TELEGRAM_CHAT_BURST: messages one chat may get at once, within its "
        "per-second average (FAQ: 'we may allow short bursts that go over this limit').",
    )
    telegram_group_messages_per_minute: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="TELEGRAM_GROUP_MESSAGES_PER_MINUTE: messages per minute to one group (FAQ: 20).",
    )
    telegram_send_margin_seconds: float = Field(
        default=0.05,
        ge=0,
        le=5,
        description="TELEGRAM_SEND_MARGIN_SECONDS: added to every limit's window (network jitter).",
    )
    telegram_send_max_wait_seconds: float = Field(
        default=60.0,
        gt=0,
        le=600,
        description="TELEGRAM_SEND_MAX_WAIT_SECONDS: a message that would wait longer for its "
        "slot is requeued instead.",
    )
    telegram_placeholder_delay_ms: int = Field(
        default=400,
        ge=0,
        le=10_000,
        description='TELEGRAM_PLACEHOLDER_DELAY_MS: a "working on it…" placeholder is sent '
        "only if the answer has not come within this delay; an answer that comes sooner is "
        "the first and only message (0: every placeholder is sent at once).",
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
            except ValueError:
                raise ValueError("ADMIN_IDS must be comma-separated Telegram user ids") from None
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _valid_token(cls, value: SecretStr) -> SecretStr:
        try:
            validate_token(value.get_secret_value())
        except TokenValidationError:
            # never echo the token: say what shape is expected
            raise ValueError(
                "TELEGRAM_BOT_TOKEN is not a bot token (expected `<digits>:<secret>`, no spaces)"
            ) from None
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _valid_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
            )
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _valid_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_API_BASE must be an http(s) URL")
        return value.rstrip("/")

    @field_validator("explorer_tx_url")
    @classmethod
    def _valid_explorer(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("EXPLORER_TX_URL must be an http(s) URL")
        return value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _valid_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_WEBHOOK_URL must be an http(s) URL")
        return value or None

    @field_validator("support_url")
    @classmethod
    def _valid_support_url(cls, value: str | None) -> str | None:
        if value and (problem := support_url_problem(value)):
            raise ValueError(problem)
        return value or None

    @field_validator("support_username")
    @classmethod
    def _valid_support_username(cls, value: str | None) -> str | None:
        if value and (problem := support_username_problem(value)):
            raise ValueError(problem)
        return value or None

    @model_validator(mode="after")
    def _one_support_contact(self) -> Self:
        if self.support_url and self.support_username:
            raise ValueError("set SUPPORT_URL or SUPPORT_USERNAME, not both")
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Self:
        if self.telegram_mode == "webhook" and self.telegram_webhook_secret is None:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_MODE=webhook")
        return self

    @property
    def bot_token(self) -> str:
        """The bot token in clear; pass it to `Bot()` only, never to a log."""
        return self.telegram_bot_token.get_secret_value()

    @property
    def support(self) -> SupportContact | None:
        """The support contact, or None when neither SUPPORT_URL nor SUPPORT_USERNAME is set."""
        return SupportContact.from_settings(self.support_url, self.support_username)

    @property
    def webhook_secret(self) -> str | None:
        """The webhook secret in clear, or None in polling mode without one."""
        secret = self.telegram_webhook_secret
        return secret.get_secret_value() if secret is not None else None
