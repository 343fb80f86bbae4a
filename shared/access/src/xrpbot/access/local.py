"""Identities on this machine's servers, for `make run`, the demo, the benchmark and the tests."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .identities import identities, service_urls
from .provision import drop_database_roles, provision, remove_broker_users
from .rights import SERVICES

__all__ = ["LOCAL_HOSTS", "local_service_env", "remove_local_identities"]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def local_service_env(
    env: Mapping[str, str], run_dir: Path, prefix: str = "xrpbot"
) -> dict[str, dict[str, str]]:
    """Create each service's user and role with the admin URLs in `env` and return, per service,
    the RABBITMQ_URL and DATABASE_URL it must use instead.

    Only local servers are provisioned (this is a developer's tool; a deployment provisions
    through docker-compose or the operators). Passwords live in `run_dir/identities/`.

    Args:
        env: holds the admin RABBITMQ_URL (e.g. guest) and DATABASE_URL (e.g. postgres).
        run_dir: where the passwords are kept (`.run/` for `make run`).
        prefix: names of users and roles (`<prefix>-<service>`, `<prefix>_<service>`).
    Returns:
        {service: {"RABBITMQ_URL": ..., "DATABASE_URL": ...}}; empty when the servers are not
        local or rabbitmqctl is missing (the URLs given are then used as they are).
    Raises:
        ProvisioningFailed: a server refused.
    """
    rabbitmq_url = env.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
    database_url = env.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/xrpbot")
    hosts = {urlsplit(rabbitmq_url).hostname, urlsplit(database_url).hostname}
    if not hosts <= LOCAL_HOSTS or shutil.which("rabbitmqctl") is None:
        return {}
    people = identities(run_dir / "identities", prefix)
    provision(rabbitmq_url, database_url, people)
    return {s: service_urls(people[s], rabbitmq_url, database_url) for s in SERVICES}


def remove_local_identities(env: Mapping[str, str], run_dir: Path, prefix: str) -> None:
    """Delete the users and roles `local_service_env` made with `prefix` (drop their database
    first: a role that still owns objects there cannot be dropped)."""
    rabbitmq_url = env.get("RABBITMQ_URL", "")
    database_url = env.get("DATABASE_URL", "")
    hosts = {urlsplit(rabbitmq_url).hostname, urlsplit(database_url).hostname}
    if not hosts <= LOCAL_HOSTS or not (run_dir / "identities").exists():
        return
    people = identities(run_dir / "identities", prefix)
    remove_broker_users(people.values())
    admin = urlunsplit(urlsplit(database_url)._replace(path="/postgres"))
    drop_database_roles(admin, people.values())
