"""Shared fixtures for cross-service tests: where RabbitMQ and Postgres are, and the stand-ins.

Given RABBITMQ_URL / DATABASE_URL win; otherwise testcontainers where a Docker engine answers;
otherwise the local servers. Under CI=true a missing server fails the run: integration tests never
pass by being skipped. The sandbox's stand-ins started in-process (`coingecko`, `rippled`,
`faucet`, `ledger_engine`, `telegram_stand_in`, `telegram_state`) come from
`xrpbot.sandbox.testing`, loaded as a plugin (only the rootdir conftest may name plugins).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import urlsplit

import pytest

pytest_plugins = ["xrpbot.sandbox.testing"]

LOCAL_RABBITMQ = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((parts.hostname or "127.0.0.1", parts.port or default_port)) == 0


def _unavailable(what: str) -> None:
    if os.getenv("CI"):
        pytest.fail(f"{what} is not reachable and CI=true: integration tests must run")
    pytest.skip(f"{what} is not reachable")


@pytest.fixture(scope="session")
def servers() -> Iterator[dict[str, str]]:
    """{"rabbitmq": amqp URL of a vhost root, "postgres": URL of an admin database}."""
    urls = {"rabbitmq": os.getenv("RABBITMQ_URL", ""), "postgres": os.getenv("DATABASE_URL", "")}
    with ExitStack() as stack:
        if not all(urls.values()):
            try:
                import warnings

                from docker.errors import DockerException

                with warnings.catch_warnings():  # their own deprecation notes, not ours
                    warnings.simplefilter("ignore", DeprecationWarning)
                    from testcontainers.community.postgres import PostgresContainer
                    from testcontainers.community.rabbitmq import RabbitMqContainer

                if not urls["postgres"]:
                    pg = stack.enter_context(PostgresContainer("postgres:16-alpine", driver=None))
                    urls["postgres"] = pg.get_connection_url()
                if not urls["rabbitmq"]:
                    mq = stack.enter_context(RabbitMqContainer("rabbitmq:3.13-management"))
                    host, port = mq.get_container_host_ip(), mq.get_exposed_port(5672)
                    urls["rabbitmq"] = f"amqp://guest:guest@{host}:{port}/"
            except (DockerException, ImportError):  # no Docker engine: the local servers
                urls["postgres"] = urls["postgres"] or LOCAL_POSTGRES
                urls["rabbitmq"] = urls["rabbitmq"] or LOCAL_RABBITMQ
        if not _reachable(urls["postgres"], 5432):
            _unavailable("Postgres")
        if not _reachable(urls["rabbitmq"], 5672):
            _unavailable("RabbitMQ")
        yield urls
