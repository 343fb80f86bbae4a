"""Settings every service reads (pydantic-settings; env names from design.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = [
    "DEAD_LETTER_MAX_LENGTH",
    "MIN_SIGNING_KEY_LENGTH",
    "SECONDS_PER_DAY",
    "ServiceSettings",
    "checked_signing_keys",
    "signing_keys",
]

SECONDS_PER_DAY = 86400
DEAD_LETTER_MAX_LENGTH = 10_000
"""The default bound of every `<service>.dead-letter` queue, in messages: the max-length of
the broker policy `xrpbot.access.rights.DEAD_LETTER_BOUNDS` (a test keeps them equal)."""


class ServiceSettings(BaseSettings):
    """Base settings: the bus, the database, the HTTP probes and logging.

    Each service subclasses this with only the variables it reads. Defaults work on a laptop
    with the local RabbitMQ and Postgres. A variable set to the empty string counts as unset
    (docker compose's `${VAR:-}` and Kubernetes' optional keys produce those), so an empty
    secret is reported as missing.
    """

    model_config = SettingsConfigDict(extra="ignore", frozen=True, env_ignore_empty=True)

    rabbitmq_url: str = Field(
        default="amqp://guest:guest@127.0.0.1:5672/", description="RABBITMQ_URL (AMQP 0-9-1)."
    )
    database_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/xrpbot",
        description="DATABASE_URL (postgresql://); each service uses its own schema in it.",
    )
    http_host: str = Field(
        default="0.0.0.0",  # noqa: S104  probes must be reachable from the kubelet
        description="HTTP_HOST the probes listen on.",
    )
    http_port: int = Field(description="HTTP_PORT for /healthz, /readyz, /metrics.")
    log_level: str = Field(default="INFO", description="LOG_LEVEL.")
    log_format: Literal["json", "text"] = Field(default="json", description="LOG_FORMAT.")
    delivery_limit: int = Field(
        default=10,
        ge=1,
        description="DELIVERY_LIMIT: deliveries of one message before it is dead-lettered.",
    )
    prefetch_count: int = Field(
        default=16, ge=1, description="PREFETCH_COUNT per consumer channel."
    )
    retention_days: int = Field(
        default=7,
        ge=1,
        le=3650,
        description="RETENTION_DAYS: days inbox rows and published outbox rows (and the "
        "gateway's processed update ids and webhook updates, transfer's refused requests) are "
        "kept; older ones are pruned in the background (xrpbot.runtime.retention).",
    )

    dead_letter_check_seconds: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="DEAD_LETTER_CHECK_SECONDS: how often the service samples the size of its "
        "dead-letter queue (the xrpbot_dead_letter_messages gauge and the admins' alert at 80 % "
        "and at 100 % of DEAD_LETTER_MAX_LENGTH, xrpbot.runtime.dead_letter_alerts).",
    )
    dead_letter_max_length: int = Field(
        default=DEAD_LETTER_MAX_LENGTH,
        ge=1,
        description="DEAD_LETTER_MAX_LENGTH: the bound of `<service>.dead-letter`, in messages; "
        "must equal the max-length of the broker policy that bounds it "
        "(xrpbot.access.rights.DEAD_LETTER_BOUNDS), which AMQP does not tell a client.",
    )

    @property
    def retention_seconds(self) -> float:
        """RETENTION_DAYS in seconds."""
        return float(self.retention_days * SECONDS_PER_DAY)


MIN_SIGNING_KEY_LENGTH = 32
"""The shortest SIGNING_REQUEST_KEYS entry accepted (characters): HMAC-SHA256 wants a key of at
least its output size (https://datatracker.ietf.org/doc/html/rfc2104#section-3)."""


def signing_keys(value: SecretStr) -> tuple[bytes, ...]:
    """SIGNING_REQUEST_KEYS (comma-separated, newest first) as bytes; used by transfer (signs
    with the first) and wallet (accepts any)."""
    return tuple(k.strip().encode() for k in value.get_secret_value().split(",") if k.strip())


def checked_signing_keys(value: SecretStr) -> SecretStr:
    """Validate SIGNING_REQUEST_KEYS without ever echoing a key.

    Raises:
        ValueError: no key, or a key shorter than MIN_SIGNING_KEY_LENGTH (named by position).
    """
    keys = signing_keys(value)
    if not keys:
        raise ValueError("at least one key is required")
    for position, key in enumerate(keys, start=1):
        if len(key) < MIN_SIGNING_KEY_LENGTH:
            raise ValueError(
                f"key #{position} is shorter than {MIN_SIGNING_KEY_LENGTH} characters"
            )
    return value
