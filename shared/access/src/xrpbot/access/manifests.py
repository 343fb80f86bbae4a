"""Kubernetes' identities, from the rights table, as the operators' own resources (plain dicts).

- RabbitMQ Messaging Topology Operator (rabbitmq.com/v1beta1): per service a `User` whose
  credentials come from the Secret `broker_secret(service)`, a `Permission` on the vhost and
  one `TopicPermission` per topic exchange, equal to RIGHTS.
- CloudNativePG (postgresql.cnpg.io/v1): a patch of the `Cluster` with one managed role per
  service (`spec.managed.roles`, password from the Secret `db_secret`), the bootstrap SQL that
  takes PUBLIC's rights on the database and on `public` away (run once, when the cluster is
  created), and a `Database` whose `schemas` each belong to their service's role.

Sources: https://www.rabbitmq.com/kubernetes/operator/using-topology-operator,
https://cloudnative-pg.io/documentation/current/declarative_role_management/,
https://cloudnative-pg.io/documentation/current/declarative_database_management/.
"""

from __future__ import annotations

from typing import Any

from .identities import broker_user, db_role
from .rights import BROKER_POLICIES, RIGHTS, SERVICES

__all__ = [
    "DATABASE",
    "DATABASE_OWNER",
    "POSTGRES_CLUSTER",
    "RABBITMQ_CLUSTER",
    "SIGNING_KEYS_SECRET",
    "VHOST",
    "broker_objects",
    "broker_secret",
    "credential_secrets",
    "database_object",
    "db_secret",
    "policy_objects",
    "roles_patch",
]

RABBITMQ_CLUSTER = "xrpbot-rabbitmq"
"""The `RabbitmqCluster` (deploy/k8s/base/rabbitmq.yaml)."""
POSTGRES_CLUSTER = "xrpbot-postgres"
"""The CloudNativePG `Cluster` (deploy/k8s/base/postgres.yaml)."""
DATABASE = "xrpbot"
"""The application database the `Cluster` bootstraps."""
DATABASE_OWNER = "xrpbot"
"""Its owner (bootstrap.initdb.owner): no service connects as it."""
VHOST = "/"
"""The vhost every service uses."""
SIGNING_KEYS_SECRET = "xrpbot-signing-request-keys"  # noqa: S105 - a Secret's name
"""The Secret holding SIGNING_REQUEST_KEYS, read by wallet and transfer only."""

_API_RABBITMQ = "rabbitmq.com/v1beta1"
_API_CNPG = "postgresql.cnpg.io/v1"


def broker_secret(service: str) -> str:
    """The Secret (kubernetes.io/basic-auth) with the service's RabbitMQ username and password."""
    return f"xrpbot-{service}-rabbitmq"


def db_secret(service: str) -> str:
    """The Secret (kubernetes.io/basic-auth) with the service's Postgres role and password."""
    return f"xrpbot-{service}-postgres"


def _meta(name: str, service: str) -> dict[str, Any]:
    return {
        "name": name,
        "labels": {"app.kubernetes.io/name": service, "app.kubernetes.io/component": "access"},
    }


def _short(exchange: str) -> str:
    return exchange.removeprefix("xrpbot.").replace(".", "-")


def broker_objects(service: str) -> list[dict[str, Any]]:
    """The service's `User`, `Permission` and one `TopicPermission` per topic exchange."""
    user, rights = broker_user(service), RIGHTS[service].broker
    cluster = {"name": RABBITMQ_CLUSTER}
    objects: list[dict[str, Any]] = [
        {
            "apiVersion": _API_RABBITMQ,
            "kind": "User",
            "metadata": _meta(user, service),
            "spec": {
                "rabbitmqClusterReference": cluster,
                "importCredentialsSecret": {"name": broker_secret(service)},
            },
        },
        {
            "apiVersion": _API_RABBITMQ,
            "kind": "Permission",
            "metadata": _meta(user, service),
            "spec": {
                "vhost": VHOST,
                "userReference": {"name": user},
                "permissions": {
                    "configure": rights.configure,
                    "write": rights.write,
                    "read": rights.read,
                },
                "rabbitmqClusterReference": cluster,
            },
        },
    ]
    objects += [
        {
            "apiVersion": _API_RABBITMQ,
            "kind": "TopicPermission",
            "metadata": _meta(f"{user}-{_short(topic.exchange)}", service),
            "spec": {
                "vhost": VHOST,
                "userReference": {"name": user},
                "permissions": {
                    "exchange": topic.exchange,
                    "write": topic.write,
                    "read": topic.read,
                },
                "rabbitmqClusterReference": cluster,
            },
        }
        for topic in rights.topics
    ]
    return objects


def policy_objects() -> list[dict[str, Any]]:
    """A Topology Operator `Policy` for each of BROKER_POLICIES (the dead-letter bounds)."""
    return [
        {
            "apiVersion": _API_RABBITMQ,
            "kind": "Policy",
            "metadata": {
                "name": policy.name,
                "labels": {"app.kubernetes.io/component": "access"},
            },
            "spec": {
                "name": policy.name,
                "vhost": VHOST,
                "pattern": policy.pattern,
                "applyTo": policy.apply_to,
                "priority": policy.priority,
                "definition": dict(policy.definition),
                "rabbitmqClusterReference": {"name": RABBITMQ_CLUSTER},
            },
        }
        for policy in BROKER_POLICIES
    ]


def _bootstrap_sql() -> list[str]:
    roles = [db_role(s) for s in SERVICES]
    return [
        # the roles exist from the start (managed roles then give them LOGIN and a password),
        # so that CONNECT can be theirs alone
        *(f"CREATE ROLE {r} NOLOGIN" for r in roles),
        *(f"GRANT CONNECT, TEMPORARY ON DATABASE {DATABASE} TO {r}" for r in roles),
        f"REVOKE ALL ON DATABASE {DATABASE} FROM PUBLIC",
        "REVOKE ALL ON SCHEMA public FROM PUBLIC",
    ]


def roles_patch() -> dict[str, Any]:
    """The patch of the `Cluster`: every service's managed role and the bootstrap SQL."""
    return {
        "apiVersion": _API_CNPG,
        "kind": "Cluster",
        "metadata": {"name": POSTGRES_CLUSTER},
        "spec": {
            "bootstrap": {"initdb": {"postInitApplicationSQL": _bootstrap_sql()}},
            "managed": {
                "roles": [
                    {
                        "name": db_role(s),
                        "ensure": "present",
                        "comment": f"xrpbot {s}: owns schema {RIGHTS[s].schema}",
                        "login": True,
                        "superuser": False,
                        "createdb": False,
                        "createrole": False,
                        "replication": False,
                        "bypassrls": False,
                        "passwordSecret": {"name": db_secret(s)},
                    }
                    for s in SERVICES
                ]
            },
        },
    }


def database_object() -> dict[str, Any]:
    """The `Database` (the bootstrapped one, adopted) whose schemas belong to their services."""
    return {
        "apiVersion": _API_CNPG,
        "kind": "Database",
        "metadata": {"name": DATABASE},
        "spec": {
            "cluster": {"name": POSTGRES_CLUSTER},
            "name": DATABASE,
            "owner": DATABASE_OWNER,
            "schemas": [
                {"name": RIGHTS[s].schema, "owner": db_role(s), "ensure": "present"}
                for s in SERVICES
            ],
        },
    }


def credential_secrets() -> list[dict[str, Any]]:
    """Templates (placeholder passwords) of every service's two credential Secrets."""
    out = []
    for service in SERVICES:
        for name, username, labels in (
            (broker_secret(service), broker_user(service), {}),
            (db_secret(service), db_role(service), {"cnpg.io/reload": "true"}),
        ):
            out.append(
                {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "metadata": {
                        "name": name,
                        "namespace": "xrpbot",
                        "labels": {
                            "app.kubernetes.io/part-of": "xrpbot",
                            "app.kubernetes.io/name": service,
                            **labels,
                        },
                    },
                    "type": "kubernetes.io/basic-auth",
                    "stringData": {"username": username, "password": "<openssl rand -hex 32>"},
                }
            )
    return out
