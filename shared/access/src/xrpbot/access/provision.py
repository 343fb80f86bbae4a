"""Create (idempotently) and remove each service's RabbitMQ user and Postgres role, as the admin.

Used by `make run`/`make up`, the demo, the benchmark and the tests on the local servers. The
admin credentials (`guest`, `postgres`) are used only here, never by a service.

RabbitMQ: the users and permissions are imported as a definitions document
(https://www.rabbitmq.com/docs/definitions) with `rabbitmqctl import_definitions`, one call
for every user, so nothing secret is on a command line (passwords travel as salted SHA-256
hashes, RabbitMQ's own `rabbit_password_hashing_sha256`). A policy bounds every dead-letter
queue (`rights.DEAD_LETTER_BOUNDS`, imported with the users).

Postgres: one login role per service that owns its schema; `PUBLIC` keeps no right on the
database or on `public`, so a role sees only its own schema.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from .identities import Identity
from .rights import BROKER_POLICIES, RIGHTS

__all__ = [
    "ProvisioningFailed",
    "broker_definitions",
    "drop_database_roles",
    "provision",
    "provision_broker",
    "provision_database",
    "remove_broker_users",
]


class ProvisioningFailed(RuntimeError):
    """An admin step failed; the message names the step, never a password."""


def password_hash(password: str, salt: bytes | None = None) -> str:
    """RabbitMQ's `rabbit_password_hashing_sha256`: base64(salt + sha256(salt + password)),
    with a 4-byte salt (https://www.rabbitmq.com/docs/passwords#computing-password-hash)."""
    salt = salt if salt is not None else os.urandom(4)
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def broker_definitions(vhost: str, people: Iterable[Identity]) -> dict[str, Any]:
    """The definitions document that creates each identity's user and rights on `vhost`."""
    users: list[dict[str, Any]] = []
    permissions: list[dict[str, Any]] = []
    topics: list[dict[str, Any]] = []
    for who in people:
        rights = RIGHTS[who.service].broker
        users.append(
            {
                "name": who.broker_user,
                "password_hash": password_hash(who.password),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": [],
            }
        )
        permissions.append(
            {
                "user": who.broker_user,
                "vhost": vhost,
                "configure": rights.configure,
                "write": rights.write,
                "read": rights.read,
            }
        )
        topics.extend(
            {
                "user": who.broker_user,
                "vhost": vhost,
                "exchange": topic.exchange,
                "write": topic.write,
                "read": topic.read,
            }
            for topic in rights.topics
        )
    return {
        "users": users,
        "vhosts": [{"name": vhost}],
        "permissions": permissions,
        "topic_permissions": topics,
        "policies": [
            {
                "vhost": vhost,
                "name": policy.name,
                "pattern": policy.pattern,
                "apply-to": policy.apply_to,
                "definition": dict(policy.definition),
                "priority": policy.priority,
            }
            for policy in BROKER_POLICIES
        ],
    }


def _rabbitmqctl(*args: str, stdin: str | None = None) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, our own arguments
            ["rabbitmqctl", "-q", *args],  # noqa: S607 - the broker's own CLI on PATH
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError:
        raise ProvisioningFailed(
            "rabbitmqctl is not installed: create the users by hand"
        ) from None
    if done.returncode != 0:
        raise ProvisioningFailed(f"rabbitmqctl {args[0]} failed: {done.stderr.strip()[-300:]}")
    return done.stdout


def provision_broker(vhost: str, people: Iterable[Identity], timeout: float = 30.0) -> None:
    """Create or update the users and their rights on `vhost` (created if missing).

    Raises:
        ProvisioningFailed: rabbitmqctl is missing or refused, or the import did not finish.
    """
    people = list(people)
    # a file, not stdin: rabbitmqctl 3.10 does not read "-"; it holds only salted hashes
    with tempfile.TemporaryDirectory(prefix="xrpbot-definitions-") as folder:
        path = Path(folder) / "definitions.json"
        path.write_text(json.dumps(broker_definitions(vhost, people)))
        path.chmod(0o644)  # the broker runs as its own user and must read it
        Path(folder).chmod(0o755)
        _rabbitmqctl("import_definitions", str(path), "--format", "json")
        _wait_for_import(vhost, people, timeout)


def _wait_for_import(vhost: str, people: list[Identity], timeout: float) -> None:
    wanted = {(p.broker_user, t.exchange) for p in people for t in RIGHTS[p.service].broker.topics}
    deadline = time.monotonic() + timeout
    while True:  # the import is asynchronous: wait until every topic permission is there
        listed = json.loads(
            _rabbitmqctl("list_topic_permissions", "-p", vhost, "--formatter", "json") or "[]"
        )
        policies = json.loads(
            _rabbitmqctl("list_policies", "-p", vhost, "--formatter", "json") or "[]"
        )
        if wanted <= {(row["user"], row["exchange"]) for row in listed} and {
            p.name for p in BROKER_POLICIES
        } <= {row["name"] for row in policies}:
            return
        if time.monotonic() > deadline:
            raise ProvisioningFailed(f"the definitions import into {vhost!r} did not finish")
        time.sleep(0.2)


def remove_broker_users(people: Iterable[Identity]) -> None:
    """Delete the users (their permissions go with them); missing users are fine."""
    for who in people:
        try:
            _rabbitmqctl("delete_user", who.broker_user)
        except ProvisioningFailed as exc:
            if "no_such_user" not in str(exc) and "does not exist" not in str(exc):
                raise


def _database_of(url: str) -> str:
    return unquote(urlsplit(url).path.lstrip("/")) or "postgres"


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def provision_database(admin_url: str, people: Iterable[Identity]) -> None:
    """Create the database of `admin_url` if missing, and each identity's role owning its schema.

    Idempotent: a role's password is reset to the one given, a schema created by an earlier
    version (owned by the admin) is handed to the service's role with everything in it.

    Raises:
        ProvisioningFailed: Postgres refused a step (the error's class is named).
    """
    database = _database_of(admin_url)
    try:
        with psycopg.connect(_with_database(admin_url, "postgres"), autocommit=True) as admin:
            if (
                admin.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
                ).fetchone()
                is None
            ):
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            for who in people:
                role = sql.Identifier(who.db_role)
                exists = admin.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", (who.db_role,)
                ).fetchone()
                verb = "ALTER" if exists else "CREATE"
                admin.execute(
                    sql.SQL(
                        verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}"
                    ).format(role, sql.Literal(who.password))
                )
        with psycopg.connect(admin_url, autocommit=True) as db:
            name = sql.Identifier(database)
            db.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(name))
            db.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
            for who in people:
                role, schema = (
                    sql.Identifier(who.db_role),
                    sql.Identifier(RIGHTS[who.service].schema),
                )
                db.execute(
                    sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(name, role)
                )
                db.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(schema, role)
                )
                db.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(schema, role))
                _hand_over(db, RIGHTS[who.service].schema, who.db_role)
    except psycopg.Error as exc:
        raise ProvisioningFailed(f"Postgres provisioning failed: {type(exc).__name__}") from None


def _hand_over(db: psycopg.Connection[Any], schema: str, role: str) -> None:
    """Give `role` every table, sequence, view and function in `schema` it does not own yet."""
    rows = db.execute(
        """
        SELECT c.relkind, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND pg_get_userbyid(c.relowner) <> %s
          AND NOT (c.relkind = 'S' AND EXISTS (
              SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        """,
        (schema, role),
    ).fetchall()
    kinds = {
        "r": "TABLE",
        "p": "TABLE",
        "f": "TABLE",
        "v": "VIEW",
        "m": "MATERIALIZED VIEW",
        "S": "SEQUENCE",
    }
    for kind, name in rows:
        db.execute(
            sql.SQL("ALTER " + kinds[kind] + " {}.{} OWNER TO {}").format(
                sql.Identifier(schema), sql.Identifier(name), sql.Identifier(role)
            )
        )


def drop_database_roles(admin_url: str, people: Iterable[Identity]) -> None:
    """Drop the roles (after their database is gone, or with what they own in this database)."""
    with psycopg.connect(admin_url, autocommit=True) as db:
        for who in people:
            if db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (who.db_role,)).fetchone():
                role = sql.Identifier(who.db_role)
                db.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(role))
                db.execute(sql.SQL("DROP ROLE {}").format(role))


def provision(
    rabbitmq_admin_url: str, database_admin_url: str, people: dict[str, Identity]
) -> None:
    """Both at once: the users and the dead-letter bounds on the vhost of `rabbitmq_admin_url`,
    the roles in the database of `database_admin_url`.

    Raises:
        ProvisioningFailed: a step failed.
    """
    vhost = unquote(urlsplit(rabbitmq_admin_url).path.lstrip("/")) or "/"
    provision_broker(vhost, people.values())
    provision_database(database_admin_url, people.values())
