"""Settings every service reads (pydantic-settings; env names from design.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ServiceSettings"]


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
