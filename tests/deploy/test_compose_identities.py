"""docker compose's identity files work on the real servers: the definitions template, filled by
deploy/compose/rabbitmq/entrypoint.sh, imports every user with the table's rights (and the broker
refuses the gateway a signing request), and the psql script deploy/compose/postgres/roles.sql
gives each service a role owning its schema that cannot read another's, idempotently, also over
a schema an earlier version made. Each runs the generator with its own names (a throwaway
vhost, database and prefix), never touching `make run`'s identities."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import aio_pika
import psycopg
import pytest
from aiormq.exceptions import ChannelAccessRefused

from xrpbot.access.compose import definitions_template, password_var, roles_sql
from xrpbot.access.identities import broker_user, db_role
from xrpbot.access.rights import RIGHTS, SERVICES
from xrpbot.runtime.migrations import Migrations

from .conftest import ROOT

pytestmark = pytest.mark.integration

ENTRYPOINT = ROOT / "deploy" / "compose" / "rabbitmq" / "entrypoint.sh"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.getenv("CI"):
            pytest.fail(f"{name} is not installed and CI=true")
        pytest.skip(f"{name} is not installed")
    return path


def _rabbitmqctl(*args: str) -> str:
    done = subprocess.run(
        [_tool("rabbitmqctl"), "-q", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def name() -> str:
    return f"xrpbot_ci_{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def passwords() -> dict[str, str]:
    return {password_var(s): secrets.token_hex(16) for s in SERVICES} | {
        "RABBITMQ_PASSWORD": secrets.token_hex(16)
    }


@pytest.fixture(scope="module")
def broker(
    servers: dict[str, str], name: str, passwords: dict[str, str]
) -> Iterator[dict[str, str]]:
    """The template filled by the compose entry point and imported into vhost `name`; yields
    each service's AMQP URL and the administrator's (key "admin")."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    folder.chmod(0o755)  # the local broker runs as its own OS user
    (folder / "docker-entrypoint.sh").write_text("#!/bin/sh\nexit 0\n")
    (folder / "docker-entrypoint.sh").chmod(0o755)
    (folder / "template.json").write_text(definitions_template(vhost=name, prefix=name))
    target = folder / "out" / "definitions.json"
    env = {
        "PATH": f"{folder}:{os.environ['PATH']}",
        "XRPBOT_DEFINITIONS_TEMPLATE": str(folder / "template.json"),
        "XRPBOT_DEFINITIONS": str(target),
        "RABBITMQ_USER": f"{name}-admin",
        **passwords,
    }
    done = subprocess.run(
        ["bash", str(ENTRYPOINT), "rabbitmq-server"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert target.stat().st_mode & 0o077 == 0, "the filled-in definitions are private"
    target.parent.chmod(0o755)  # here the local broker (its own OS user) must read them
    target.chmod(0o644)
    users = [f"{name}-admin", *(broker_user(s, name) for s in SERVICES)]
    try:
        _rabbitmqctl("import_definitions", str(target), "--format", "json")
        deadline = time.monotonic() + 30
        while len(
            json.loads(
                _rabbitmqctl("list_topic_permissions", "-p", name, "--formatter", "json") or "[]"
            )
        ) < sum(len(RIGHTS[s].broker.topics) for s in SERVICES):
            assert time.monotonic() < deadline, "the import did not finish"
            time.sleep(0.2)
        root = urlsplit(servers["rabbitmq"])

        def url(user: str, password: str) -> str:
            netloc = f"{quote(user, safe='')}:{password}@{root.hostname}:{root.port or 5672}"
            return urlunsplit(root._replace(netloc=netloc, path="/" + quote(name, safe="")))

        urls = {s: url(broker_user(s, name), passwords[password_var(s)]) for s in SERVICES}
        yield urls | {"admin": url(f"{name}-admin", passwords["RABBITMQ_PASSWORD"])}
    finally:
        for user in users:
            subprocess.run(["rabbitmqctl", "-q", "delete_user", user], capture_output=True)
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], capture_output=True)
        shutil.rmtree(folder)


def test_the_definitions_give_each_user_the_tables_rights(
    broker: dict[str, str], name: str, passwords: dict[str, str]
) -> None:
    listed = json.loads(_rabbitmqctl("list_permissions", "-p", name, "--formatter", "json"))
    granted = {row["user"]: (row["configure"], row["write"], row["read"]) for row in listed}
    topics = json.loads(_rabbitmqctl("list_topic_permissions", "-p", name, "--formatter", "json"))
    for service in SERVICES:
        user, rights = broker_user(service, name), RIGHTS[service].broker
        assert granted[user] == (rights.configure, rights.write, rights.read)
        assert {(t["exchange"], t["write"], t["read"]) for t in topics if t["user"] == user} == {
            (t.exchange, t.write, t.read) for t in rights.topics
        }
        _rabbitmqctl("authenticate_user", user, passwords[password_var(service)])
    assert granted[f"{name}-admin"] == (".*", ".*", ".*")


async def test_the_broker_refuses_the_gateway_a_signing_request(broker: dict[str, str]) -> None:
    admin = await aio_pika.connect(broker["admin"])
    gateway = await aio_pika.connect(broker["gateway"])
    transfer = await aio_pika.connect(broker["transfer"])
    try:
        channel = await admin.channel()
        await channel.declare_exchange(
            "xrpbot.commands", aio_pika.ExchangeType.TOPIC, durable=True
        )
        for conn, allowed in ((transfer, True), (gateway, False)):
            channel = await conn.channel(publisher_confirms=True)
            exchange = await channel.get_exchange("xrpbot.commands")
            publish = exchange.publish(aio_pika.Message(b"{}"), routing_key="wallet.sign_payment")
            if allowed:
                await publish
            else:
                with pytest.raises(ChannelAccessRefused, match="ACCESS_REFUSED"):
                    await publish
    finally:
        for conn in (admin, gateway, transfer):
            await conn.close()


def _with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


@pytest.fixture(scope="module")
def database(
    servers: dict[str, str], name: str, passwords: dict[str, str]
) -> Iterator[dict[str, str]]:
    """Database `name` (with a `wallet` schema an earlier version made as the admin) after the
    script ran twice; yields each service's DATABASE_URL."""
    admin = _with_database(servers["postgres"], "postgres")
    here = _with_database(servers["postgres"], name)
    roles = [db_role(s, name) for s in SERVICES]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(here, autocommit=True) as conn:
            conn.execute("CREATE SCHEMA wallet; CREATE TABLE wallet.old (id serial PRIMARY KEY)")
        script = Path(tempfile.mkdtemp(prefix=f"{name}-")) / "roles.sql"
        script.write_text(roles_sql(prefix=name))
        try:
            for _ in range(2):  # idempotent
                done = subprocess.run(
                    [_tool("psql"), "-X", "-q", "-f", str(script), here],
                    env={**os.environ, **passwords},
                    capture_output=True,
                    text=True,
                )
                assert done.returncode == 0, done.stderr
                assert not any(p in done.stdout + done.stderr for p in passwords.values())
        finally:
            shutil.rmtree(script.parent)
        parts = urlsplit(here)
        yield {
            s: urlunsplit(
                parts._replace(
                    netloc=f"{db_role(s, name)}:{passwords[password_var(s)]}@{parts.hostname}"
                    + (f":{parts.port}" if parts.port else "")
                )
            )
            for s in SERVICES
        }
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in roles:
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def _denied(url: str, statement: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        try:
            conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege:
            return True
    return False


def test_each_role_owns_its_schema_and_runs_its_migrations(database: dict[str, str]) -> None:
    for service in SERVICES:
        Migrations(database[service], service, ROOT / "services" / service / "migrations").apply()
    with psycopg.connect(database["wallet"]) as conn:
        conn.execute("SELECT count(*) FROM wallet.old")  # handed over from the admin
    for thief in ("gateway", "pricing"):
        assert _denied(database[thief], "SELECT * FROM wallet.wallets")
        assert _denied(database[thief], "SELECT * FROM transfer.transfers")
        assert _denied(database[thief], "CREATE SCHEMA stolen")


def test_public_keeps_no_right(database: dict[str, str], name: str) -> None:
    with psycopg.connect(database["gateway"]) as conn:
        row: Any = conn.execute(
            "SELECT has_database_privilege('public', %s, 'CONNECT'),"
            " has_schema_privilege('public', 'public', 'USAGE')",
            (name,),
        ).fetchone()
    assert row == (False, False)
