"""docs/deploy.md matches the manifests: the objects it names exist, the objects an operator
deals with are named in it, and the files it points to exist."""

from __future__ import annotations

import re
from typing import Any

from .conftest import ROOT

DOC = ROOT / "docs" / "deploy.md"
NAMED_KINDS = (
    "Deployment",
    "Job",
    "RabbitmqCluster",
    "Cluster",
    "ScaledObject",
    "TriggerAuthentication",
    "HorizontalPodAutoscaler",
    "Ingress",
    "ServiceMonitor",
    "User",
    "Database",
)
ADMIN_SECRETS = ("xrpbot-rabbitmq-default-user", "xrpbot-postgres-app")


def _secrets(template: str) -> list[dict[str, Any]]:
    import yaml

    text = (ROOT / "deploy" / "k8s" / template).read_text()
    return [d for d in yaml.safe_load_all(text) if d]


def test_deploy_md_names_every_object(rendered: dict[str, list[dict[str, Any]]]) -> None:
    text = DOC.read_text()
    for obj in rendered["prod"]:
        if obj["kind"] in NAMED_KINDS:
            assert f"`{obj['metadata']['name']}`" in text, (obj["kind"], obj["metadata"]["name"])
    for name in ADMIN_SECRETS:
        assert f"`{name}`" in text, name
    for secret in _secrets("secret.template.yaml"):
        assert f"`{secret['metadata']['name']}`" in text, secret["metadata"]["name"]
    for kind in ("Permission", "TopicPermission"):
        assert f"`{kind}`" in text, kind
    configmap = next(o for o in rendered["prod"] if o["kind"] == "ConfigMap")
    assert f"`{configmap['metadata']['name']}`" in text
    for ingress in (o for o in rendered["prod"] if o["kind"] == "Ingress"):
        assert f"`{ingress['spec']['tls'][0]['secretName']}`" in text
    for policy in (o for o in rendered["prod"] if o["kind"] == "NetworkPolicy"):
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                if "namespaceSelector" in peer:
                    ns = peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]
                    assert f"`{ns}`" in text, f"say where {ns} must run"


def test_deploy_md_secret_keys_match_the_templates() -> None:
    text = DOC.read_text()
    for secret in _secrets("secret.template.yaml"):
        for key in secret["stringData"]:
            assert f"{key}=" in text, key
    for secret in _secrets("credentials.template.yaml"):
        name, service = (
            secret["metadata"]["name"],
            secret["metadata"]["labels"]["app.kubernetes.io/name"],
        )
        assert f"`{name.replace(service, '<service>')}`" in text, name


def test_deploy_md_paths_exist() -> None:
    text = DOC.read_text()
    paths = set(re.findall(r"`((?:deploy|services|docs|tests)/[^` ]*)`", text))
    assert paths
    for path in paths:
        path = path.replace("<service>", "wallet").rstrip("/")
        if "<" in path:
            continue
        assert (ROOT / path).exists(), path
