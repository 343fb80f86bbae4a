"""Kubernetes runs every service under its own identity, from the rights table: the rendered
overlays hold each service's User, Permission, TopicPermissions (Topology Operator) and managed
role (CloudNativePG) equal to xrpbot.access.rights, every workload reads only its own Secrets, and
none reads the broker's administrator or the database owner. The generated files are current."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from xrpbot.access.identities import broker_user, db_role
from xrpbot.access.manifests import (
    DATABASE,
    DATABASE_OWNER,
    POSTGRES_CLUSTER,
    RABBITMQ_CLUSTER,
    SIGNING_KEYS_SECRET,
    VHOST,
    broker_secret,
    db_secret,
)
from xrpbot.access.render import files
from xrpbot.access.rights import DEAD_LETTER_BOUNDS, RIGHTS

from .conftest import K8S, OVERLAYS, ROOT, SERVICES, by_name, objects

ADMIN_SECRETS = {"xrpbot-rabbitmq-default-user", "xrpbot-postgres-app"}
"""The operators' administrator (RabbitMQ default user) and owner (CNPG app user) Secrets."""
APP_SECRETS = {"gateway": "xrpbot-gateway", "wallet": "xrpbot-wallet", "pricing": "xrpbot-pricing"}
"""Each service's own application Secret (secret.template.yaml); transfer needs none."""
SIGNERS = {"wallet", "transfer"}
"""The only services holding SIGNING_REQUEST_KEYS."""


def test_generated_files_are_current() -> None:
    for relative, text in files().items():
        path = ROOT / relative
        current = path.read_text() if path.exists() else ""
        assert current == text, (
            f"{relative} is stale (xrpbot.access.rights changed): run "
            "`.venv/bin/python -m xrpbot.access render` and commit the files"
        )


def _secret_refs(container: dict[str, Any]) -> set[str]:
    refs = {
        e["valueFrom"]["secretKeyRef"]["name"]
        for e in container.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }
    refs |= {s["secretRef"]["name"] for s in container.get("envFrom", []) if "secretRef" in s}
    return refs


def _pod_secret_refs(pod: dict[str, Any]) -> set[str]:
    refs = {v["secret"]["secretName"] for v in pod.get("volumes", []) if "secret" in v}
    refs |= {v["name"] for v in pod.get("imagePullSecrets", [])}
    for container in pod.get("initContainers", []) + pod["containers"]:
        refs |= _secret_refs(container)
    return refs


def _own(service: str, broker: bool) -> set[str]:
    own = {db_secret(service)} | ({broker_secret(service)} if broker else set())
    own |= {APP_SECRETS[service]} if service in APP_SECRETS else set()
    return own | ({SIGNING_KEYS_SECRET} if service in SIGNERS else set())


def _env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in container.get("env", [])}


def _from_secret(env: dict[str, dict[str, Any]], var: str) -> tuple[str, str]:
    ref = env[var]["valueFrom"]["secretKeyRef"]
    return ref["name"], ref["key"]


def _check_database_url(container: dict[str, Any], service: str) -> None:
    env, names = _env(container), [e["name"] for e in container["env"]]
    assert _from_secret(env, "DATABASE_USERNAME") == (db_secret(service), "username")
    assert _from_secret(env, "DATABASE_PASSWORD") == (db_secret(service), "password")
    url = env["DATABASE_URL"]["value"]
    assert url == (
        f"postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@{POSTGRES_CLUSTER}-rw:5432/"
        f"{DATABASE}"
    )
    # $(VAR) expands only variables defined earlier in the list
    assert names.index("DATABASE_PASSWORD") < names.index("DATABASE_URL")


@pytest.mark.parametrize("target", OVERLAYS)
def test_each_deployment_is_its_own_broker_user_and_database_role(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    for service, deployment in by_name(rendered[target], "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        env, names = _env(container), [e["name"] for e in container["env"]]
        assert _from_secret(env, "RABBITMQ_USERNAME") == (broker_secret(service), "username")
        assert _from_secret(env, "RABBITMQ_PASSWORD") == (broker_secret(service), "password")
        assert env["RABBITMQ_URL"]["value"] == (
            f"amqp://$(RABBITMQ_USERNAME):$(RABBITMQ_PASSWORD)@{RABBITMQ_CLUSTER}:5672/"
        )
        assert names.index("RABBITMQ_PASSWORD") < names.index("RABBITMQ_URL")
        _check_database_url(container, service)
        refs = _pod_secret_refs(pod)
        assert not refs & ADMIN_SECRETS, (service, refs)
        assert refs == _own(service, broker=True), (service, refs)


@pytest.mark.parametrize("target", OVERLAYS)
def test_each_migration_runs_as_its_services_role_without_broker_credentials(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    for job in objects(rendered[target], "Job"):
        pod = job["spec"]["template"]["spec"]
        assert not _pod_secret_refs(pod) & ADMIN_SECRETS
        steps = pod.get("initContainers", []) + pod["containers"]
        assert sorted(c["name"] for c in steps) == sorted(f"migrate-{s}" for s in SERVICES)
        for container in steps:
            service = container["name"].removeprefix("migrate-")
            assert container["image"].split(":")[0].endswith(f"/{service}")
            _check_database_url(container, service)
            assert "RABBITMQ_URL" not in _env(container)
            assert _secret_refs(container) == _own(service, broker=False), container["name"]


@pytest.mark.parametrize("target", OVERLAYS)
def test_signing_request_keys_reach_wallet_and_transfer_only(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    holders = set()
    for kind in ("Deployment", "Job"):
        for obj in objects(rendered[target], kind):
            pod = obj["spec"]["template"]["spec"]
            for container in pod.get("initContainers", []) + pod["containers"]:
                if SIGNING_KEYS_SECRET in _secret_refs(container):
                    holders.add(container["name"].removeprefix("migrate-"))
    assert holders == SIGNERS


@pytest.mark.parametrize("target", OVERLAYS)
def test_broker_rights_are_the_tables(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    docs = rendered[target]
    assert RABBITMQ_CLUSTER in by_name(docs, "RabbitmqCluster")
    users, permissions = by_name(docs, "User"), by_name(docs, "Permission")
    assert set(users) == {broker_user(s) for s in SERVICES}
    assert {p["spec"]["userReference"]["name"] for p in permissions.values()} == set(users)
    topics: dict[str, set[tuple[str, str, str]]] = {}
    for topic in objects(docs, "TopicPermission"):
        spec = topic["spec"]
        assert spec["vhost"] == VHOST
        assert spec["rabbitmqClusterReference"] == {"name": RABBITMQ_CLUSTER}
        granted = spec["permissions"]
        topics.setdefault(spec["userReference"]["name"], set()).add(
            (granted["exchange"], granted["write"], granted["read"])
        )
    for service in SERVICES:
        rights, user = RIGHTS[service].broker, broker_user(service)
        spec = users[user]["spec"]
        assert spec["importCredentialsSecret"] == {"name": broker_secret(service)}
        assert spec["rabbitmqClusterReference"] == {"name": RABBITMQ_CLUSTER}
        assert not spec.get("tags"), "no management UI rights for a service"
        (permission,) = [
            p for p in permissions.values() if p["spec"]["userReference"]["name"] == user
        ]
        assert permission["spec"]["vhost"] == VHOST
        assert permission["spec"]["permissions"] == {
            "configure": rights.configure,
            "write": rights.write,
            "read": rights.read,
        }
        assert topics[user] == {(t.exchange, t.write, t.read) for t in rights.topics}


@pytest.mark.parametrize("target", OVERLAYS)
def test_every_dead_letter_queue_is_bounded_by_a_policy(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    policies = by_name(rendered[target], "Policy")
    spec = policies[DEAD_LETTER_BOUNDS.name]["spec"]
    assert spec["vhost"] == VHOST
    assert spec["rabbitmqClusterReference"] == {"name": RABBITMQ_CLUSTER}
    assert (spec["pattern"], spec["applyTo"]) == (r"^.*\.dead-letter$", "queues")
    assert spec["definition"] == {"max-length": 10_000, "overflow": "reject-publish"}
    assert re.fullmatch(spec["pattern"], "wallet.dead-letter")
    assert not re.fullmatch(spec["pattern"], "gateway.dead-letter-alerts")


@pytest.mark.parametrize("target", OVERLAYS)
def test_database_rights_are_the_tables(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    docs = rendered[target]
    cluster = by_name(docs, "Cluster")[POSTGRES_CLUSTER]["spec"]
    initdb = cluster["bootstrap"]["initdb"]
    assert (initdb["database"], initdb["owner"]) == (DATABASE, DATABASE_OWNER)
    roles = {r["name"]: r for r in cluster["managed"]["roles"]}
    assert set(roles) == {db_role(s) for s in SERVICES}
    (database,) = objects(docs, "Database")
    assert database["spec"]["cluster"] == {"name": POSTGRES_CLUSTER}
    assert (database["spec"]["name"], database["spec"]["owner"]) == (DATABASE, DATABASE_OWNER)
    owners = {s["name"]: s["owner"] for s in database["spec"]["schemas"]}
    sql = initdb["postInitApplicationSQL"]
    assert f"REVOKE ALL ON DATABASE {DATABASE} FROM PUBLIC" in sql
    assert "REVOKE ALL ON SCHEMA public FROM PUBLIC" in sql
    for service in SERVICES:
        role = roles[db_role(service)]
        assert role["login"] is True
        assert role["ensure"] == "present"
        for power in ("superuser", "createdb", "createrole", "replication", "bypassrls"):
            assert role[power] is False, (service, power)
        assert not role.get("inRoles"), "a service's role belongs to no other role"
        assert role["passwordSecret"] == {"name": db_secret(service)}
        assert owners[RIGHTS[service].schema] == db_role(service)
        assert f"GRANT CONNECT, TEMPORARY ON DATABASE {DATABASE} TO {db_role(service)}" in sql
    assert set(owners) == {RIGHTS[s].schema for s in SERVICES}


def test_credentials_template_names_each_services_user_and_role() -> None:
    secrets = {
        d["metadata"]["name"]: d
        for d in yaml.safe_load_all((K8S / "credentials.template.yaml").read_text())
        if d
    }
    assert set(secrets) == {broker_secret(s) for s in SERVICES} | {db_secret(s) for s in SERVICES}
    for service in SERVICES:
        for name, username in (
            (broker_secret(service), broker_user(service)),
            (db_secret(service), db_role(service)),
        ):
            secret = secrets[name]
            assert secret["type"] == "kubernetes.io/basic-auth"
            assert secret["stringData"]["username"] == username
            assert re.fullmatch(r"<[^>]+>", secret["stringData"]["password"])
        assert secrets[db_secret(service)]["metadata"]["labels"]["cnpg.io/reload"] == "true"
