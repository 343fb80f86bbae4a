"""docker compose's identities, from the rights table: RabbitMQ definitions and a Postgres script.

- `definitions_template`: the definitions document RabbitMQ imports at boot (`load_definitions`
  in deploy/compose/rabbitmq/rabbitmq.conf), with `@VAR@` placeholders where the passwords go;
  deploy/compose/rabbitmq/entrypoint.sh puts the values of those environment variables in
  (RabbitMQ accepts a plain `password` for a user as well as a `password_hash`). The
  permissions are `provision.broker_definitions`' own.
- `roles_sql`: a psql script, run at every `docker compose up` by the one-shot `postgres-roles`
  as the Postgres owner, doing what `provision.provision_database` does: one login role per
  service owning its schema (and everything in it), PUBLIC without rights on the database and on
  `public`. Passwords come from the environment (`\\getenv`), never from a command line.
"""

from __future__ import annotations

import json

from .identities import Identity, broker_user, db_role
from .provision import broker_definitions
from .rights import RIGHTS, SERVICES

__all__ = [
    "ADMIN_PASSWORD_VAR",
    "ADMIN_USER_VAR",
    "definitions_template",
    "password_var",
    "roles_sql",
]

ADMIN_USER_VAR = "RABBITMQ_USER"
"""The environment variable naming the broker's administrator (for people, never a service)."""
ADMIN_PASSWORD_VAR = "RABBITMQ_PASSWORD"  # noqa: S105 - a variable's name
"""The environment variable holding the administrator's password."""


def password_var(service: str) -> str:
    """The environment variable holding the service's password (its RabbitMQ user's and its
    Postgres role's), e.g. GATEWAY_PASSWORD."""
    return f"{service.upper()}_PASSWORD"


def definitions_template(vhost: str = "/", prefix: str = "xrpbot") -> str:
    """The definitions document (JSON text) with `@VAR@` placeholders for the administrator's
    name and every password: the administrator has every right on `vhost` (tag administrator),
    each service exactly its rights from RIGHTS."""
    people = [
        Identity(s, broker_user(s, prefix), db_role(s, prefix), password="") for s in SERVICES
    ]
    document = broker_definitions(vhost, people)
    admin = f"@{ADMIN_USER_VAR}@"
    document["users"] = [
        {"name": admin, "password": f"@{ADMIN_PASSWORD_VAR}@", "tags": ["administrator"]},
        *(
            {"name": who.broker_user, "password": f"@{password_var(who.service)}@", "tags": []}
            for who in people
        ),
    ]
    document["permissions"] = [
        {"user": admin, "vhost": vhost, "configure": ".*", "write": ".*", "read": ".*"},
        *document["permissions"],
    ]
    return json.dumps(document, indent=2) + "\n"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_HAND_OVER = """SELECT format('ALTER %s %I.%I OWNER TO %I',
         CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                        WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
         n.nspname, c.relname, {role})
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = {schema} AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND pg_get_userbyid(c.relowner) <> {role}
   AND NOT (c.relkind = 'S' AND EXISTS (
       SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) \\gexec"""


def roles_sql(prefix: str = "xrpbot") -> str:
    """The psql script (text) creating or updating every service's role in the current database.

    Needs the environment variables `password_var(service)` of every service; stops at the first
    error (`ON_ERROR_STOP`). Idempotent, like `provision.provision_database`.
    """
    lines = [
        "-- Generated from xrpbot.access.rights by `python -m xrpbot.access render`: do not edit.",
        "-- Every service's Postgres role, owner of its schema and of nothing else (psql script,",
        "-- run as the database owner by docker compose's one-shot `postgres-roles`).",
        "\\set ON_ERROR_STOP on",
        "\\set QUIET on",
        "SET client_min_messages = warning;",
    ]
    for service in SERVICES:
        lines.append(f"\\getenv {service}_password {password_var(service)}")
    lines += [
        "",
        "SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \\gexec",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC;",
    ]
    for service in SERVICES:
        role, schema = db_role(service, prefix), RIGHTS[service].schema
        # a script written for psql, not a query sent: names are quoted by _literal/_ident
        lines += [
            "",
            f"-- {service}",
            "SELECT format('%s ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L',",
            f"       CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {_literal(role)})",  # noqa: S608
            "            THEN 'ALTER' ELSE 'CREATE' END,",
            f"       {_literal(role)}, :'{service}_password') \\gexec",
            "SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), "
            f"{_literal(role)}) \\gexec",
            f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)} AUTHORIZATION {_ident(role)};",
            f"ALTER SCHEMA {_ident(schema)} OWNER TO {_ident(role)};",
            _HAND_OVER.format(role=_literal(role), schema=_literal(schema)),
        ]
    return "\n".join(lines) + "\n"
