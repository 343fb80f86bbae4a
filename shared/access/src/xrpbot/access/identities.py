"""Who each service is: its RabbitMQ user and Postgres role names, and their passwords.

Passwords are generated once (`secrets.token_urlsafe`, 192 bits) into a folder (`.run/` for
`make run`), one file per identity with mode 0600, and never printed: `repr` of an `Identity`
hides it, like pydantic's SecretStr.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from .rights import SERVICES

__all__ = ["Identity", "broker_user", "db_role", "identities", "service_urls"]


@dataclass(frozen=True)
class Identity:
    """One service's credentials.

    Attributes:
        service: the service (gateway, wallet, transfer, pricing).
        broker_user: its RabbitMQ user (`<prefix>-<service>`).
        db_role: its Postgres login role (`<prefix>_<service>`), owner of the service's schema.
        password: the same secret for both; never shown.
    """

    service: str
    broker_user: str
    db_role: str
    password: str = field(repr=False)


def broker_user(service: str, prefix: str = "xrpbot") -> str:
    """The service's RabbitMQ user: `<prefix>-<service>`."""
    return f"{prefix}-{service}"


def db_role(service: str, prefix: str = "xrpbot") -> str:
    """The service's Postgres login role: `<prefix>_<service>`, hyphens made underscores."""
    return f"{prefix}_{service}".replace("-", "_")


def _password(folder: Path, name: str) -> str:
    path = folder / f"{name}.password"
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret + "\n")
    return secret


def identities(folder: Path, prefix: str = "xrpbot") -> dict[str, Identity]:
    """Every service's identity, with passwords read from `folder` or generated into it.

    Args:
        folder: where the password files live (created if missing).
        prefix: names are `<prefix>-<service>` (RabbitMQ) and `<prefix>_<service>` (Postgres);
            tests use their own prefix so that they never touch `make run`'s identities.
    """
    out = {}
    for service in SERVICES:
        out[service] = Identity(
            service=service,
            broker_user=broker_user(service, prefix),
            db_role=db_role(service, prefix),
            password=_password(folder, broker_user(service, prefix)),
        )
    return out


def service_urls(identity: Identity, rabbitmq_url: str, database_url: str) -> dict[str, str]:
    """RABBITMQ_URL and DATABASE_URL for the service: the admin URLs' host, port, vhost and
    database, with the service's own user or role and password instead of the admin's."""

    def with_user(url: str, user: str) -> str:
        parts = urlsplit(url)
        host = parts.hostname or "127.0.0.1"
        netloc = f"{quote(user, safe='')}:{quote(identity.password, safe='')}@{host}"
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    return {
        "RABBITMQ_URL": with_user(rabbitmq_url, identity.broker_user),
        "DATABASE_URL": with_user(database_url, identity.db_role),
    }
