"""Every rendered Kubernetes object validates against the Kubernetes OpenAPI schemas (strict:
unknown fields fail), every custom resource against its operator's CRD schema, and the
manifests keep the rules docs/deploy.md promises (probes, limits, security, policies)."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from .conftest import K8S, KUBERNETES_VERSION, OVERLAYS, SCHEMAS, SERVICES, by_name, objects

CRDS = {
    ("rabbitmq.com", "RabbitmqCluster"): "rabbitmq.com_rabbitmqclusters.yaml",
    ("postgresql.cnpg.io", "Cluster"): "postgresql.cnpg.io_clusters.yaml",
    ("postgresql.cnpg.io", "Database"): "postgresql.cnpg.io_databases.yaml",
    ("rabbitmq.com", "User"): "rabbitmq.com_users.yaml",
    ("rabbitmq.com", "Permission"): "rabbitmq.com_permissions.yaml",
    ("rabbitmq.com", "TopicPermission"): "rabbitmq.com_topicpermissions.yaml",
    ("rabbitmq.com", "Policy"): "rabbitmq.com_policies.yaml",
    ("monitoring.coreos.com", "ServiceMonitor"): "monitoring.coreos.com_servicemonitors.yaml",
    ("keda.sh", "ScaledObject"): "keda.sh_scaledobjects.yaml",
    ("keda.sh", "TriggerAuthentication"): "keda.sh_triggerauthentications.yaml",
}


def _prune_like_the_api_server(schema: Any) -> Any:
    """Forbid fields a structural schema does not declare (the API server would drop them)."""
    if isinstance(schema, dict):
        schema = {k: _prune_like_the_api_server(v) for k, v in schema.items()}
        if (
            schema.get("type") == "object"
            and "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_prune_like_the_api_server(v) for v in schema]
    return schema


@functools.cache
def crd_validator(group: str, version: str, kind: str) -> jsonschema.protocols.Validator:
    crd = yaml.safe_load((SCHEMAS / "crds" / CRDS[(group, kind)]).read_text())
    assert crd["spec"]["group"] == group
    assert crd["spec"]["names"]["kind"] == kind
    served = {v["name"]: v for v in crd["spec"]["versions"] if v.get("served")}
    assert version in served, f"{kind} {group}/{version} is not served (have {sorted(served)})"
    schema = copy.deepcopy(served[version]["schema"]["openAPIV3Schema"])
    schema["properties"]["metadata"] = {"type": "object"}  # checked by the API server itself
    return jsonschema.Draft4Validator(_prune_like_the_api_server(schema))


def validate(obj: dict[str, Any]) -> None:
    group, _, version = obj["apiVersion"].rpartition("/")
    if (group, obj["kind"]) in CRDS:
        errors = sorted(
            crd_validator(group, version, obj["kind"]).iter_errors(obj), key=lambda e: e.path
        )
        assert not errors, "\n".join(
            f"{obj['kind']}/{obj['metadata']['name']} {'.'.join(map(str, e.path))}: {e.message}"
            for e in errors
        )
        return
    try:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as err:
        path = ".".join(map(str, err.path))
        pytest.fail(f"{obj['kind']}/{obj['metadata']['name']} {path}: {err.message}")
    except kubernetes_validate.SchemaNotFoundError:
        pytest.fail(f"no schema for {obj['apiVersion']} {obj['kind']}: add its CRD to CRDS")


@pytest.mark.parametrize("target", ["base", *OVERLAYS])
def test_every_object_matches_its_schema(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    docs = rendered[target]
    assert docs
    for obj in docs:
        validate(obj)


def test_the_schema_check_catches_mistakes(rendered: dict[str, list[dict[str, Any]]]) -> None:
    deployment = copy.deepcopy(by_name(rendered["prod"], "Deployment")["wallet"])
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(pytest.fail.Exception):
        validate(deployment)
    cluster = copy.deepcopy(by_name(rendered["prod"], "RabbitmqCluster")["xrpbot-rabbitmq"])
    cluster["spec"]["replica"] = 3
    with pytest.raises(AssertionError):
        validate(cluster)
    permission = copy.deepcopy(by_name(rendered["prod"], "Permission")["xrpbot-gateway"])
    permission["spec"]["permissions"]["wirte"] = ".*"
    with pytest.raises(AssertionError):
        validate(permission)
    topic = copy.deepcopy(next(objects(rendered["prod"], "TopicPermission")))
    del topic["spec"]["permissions"]["exchange"]
    with pytest.raises(AssertionError):
        validate(topic)


@pytest.mark.parametrize("template", ["secret.template.yaml", "credentials.template.yaml"])
def test_secret_templates_are_valid_and_never_rendered(
    rendered: dict[str, list[dict[str, Any]]], template: str
) -> None:
    secrets = [d for d in yaml.safe_load_all((K8S / template).read_text()) if d]
    assert secrets
    for secret in secrets:
        assert secret["kind"] == "Secret"
        validate(secret)
        placeholders = {k: v for k, v in secret["stringData"].items() if k != "username"}
        assert all(v.startswith("<") or v == "" for v in placeholders.values()), secret
    for docs in rendered.values():
        assert not list(objects(docs, "Secret")), "secrets are created by hand, never applied"


@pytest.mark.parametrize("target", OVERLAYS)
def test_deployments_probes_resources_and_security(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    docs = rendered[target]
    deployments = by_name(docs, "Deployment")
    assert set(deployments) == set(SERVICES)
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False
        (container,) = pod["containers"]
        assert container["ports"][0]["containerPort"] == SERVICES[name]
        assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        for kind in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][kind]), (name, kind)
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        image = container["image"]
        assert ":" in image.rsplit("/", 1)[-1], f"{image}: pin a version"
        assert not image.endswith(":latest"), f"{image}: pin a version"
        env = {e["name"]: e for e in container.get("env", [])}
        for var in ("TELEGRAM_BOT_TOKEN", "WALLET_FERNET_KEYS", "SIGNING_REQUEST_KEYS"):
            assert var not in env or "valueFrom" in env[var], "secrets come from a Secret"


@pytest.mark.parametrize("target", OVERLAYS)
def test_availability_scaling_and_exposure(
    rendered: dict[str, list[dict[str, Any]]], target: str
) -> None:
    docs = rendered[target]
    pdbs = {
        p["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for p in objects(docs, "PodDisruptionBudget")
    }
    assert pdbs == set(SERVICES)
    scaled = {
        h["spec"]["scaleTargetRef"]["name"] for h in objects(docs, "HorizontalPodAutoscaler")
    }
    scaled |= {s["spec"]["scaleTargetRef"]["name"] for s in objects(docs, "ScaledObject")}
    assert scaled == set(SERVICES)
    for so in objects(docs, "ScaledObject"):
        (trigger,) = so["spec"]["triggers"]
        assert trigger["type"] == "rabbitmq"
        pattern = re.compile(trigger["metadata"]["queueName"])
        name = so["metadata"]["name"]
        assert pattern.match(f"{name}.some_command"), "the service's queues are counted"
        assert not pattern.match(f"{name}.dead-letter"), "dead letters do not add replicas"
    (ingress,) = objects(docs, "Ingress")
    assert ingress["spec"]["tls"][0]["secretName"]
    backends = {
        (p["path"], p["backend"]["service"]["name"])
        for rule in ingress["spec"]["rules"]
        for p in rule["http"]["paths"]
    }
    assert backends == {("/telegram/webhook", "gateway")}, "only the webhook is public"
    assert all(s["spec"].get("type", "ClusterIP") == "ClusterIP" for s in objects(docs, "Service"))
    job = by_name(docs, "Job")["xrpbot-migrate"]
    pod = job["spec"]["template"]["spec"]
    steps = pod.get("initContainers", []) + pod["containers"]
    assert sorted(c["args"] for c in steps) == [["migrate"]] * len(SERVICES)
    assert by_name(docs, "RabbitmqCluster")["xrpbot-rabbitmq"]["spec"]["replicas"] == (
        1 if target == "dev" else 3
    )
    assert "xrpbot-postgres" in by_name(docs, "Cluster")
    monitors = by_name(docs, "ServiceMonitor")
    assert monitors["xrpbot-services"]["spec"]["endpoints"][0]["path"] == "/metrics"


@pytest.mark.parametrize("target", OVERLAYS)
def test_network_policies(rendered: dict[str, list[dict[str, Any]]], target: str) -> None:
    policies = by_name(rendered[target], "NetworkPolicy")
    deny = policies["xrpbot-default-deny"]["spec"]
    assert deny["policyTypes"] == ["Ingress", "Egress"]
    assert "ingress" not in deny
    from_outside = [
        p
        for p in policies.values()
        if any(
            "namespaceSelector" in peer
            and peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
            not in ("monitoring", "keda", "rabbitmq-system", "cnpg-system")
            for rule in p["spec"].get("ingress", [])
            for peer in rule.get("from", [])
        )
    ]
    assert [p["metadata"]["name"] for p in from_outside] == ["gateway-ingress-webhook"]


def test_kustomizations_are_self_contained() -> None:
    """Only local resources (no remote bases fetched at build time, no absolute paths)."""
    for kustomization in K8S.rglob("kustomization.yaml"):
        spec = yaml.safe_load(kustomization.read_text())
        for resource in spec.get("resources", []):
            assert "://" not in resource, resource
            assert not resource.startswith("/"), resource
            assert (kustomization.parent / resource).exists(), (kustomization, resource)
