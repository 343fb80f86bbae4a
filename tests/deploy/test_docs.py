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
)


def test_deploy_md_names_every_object(rendered: dict[str, list[dict[str, Any]]]) -> None:
    text = DOC.read_text()
    for obj in rendered["prod"]:
        if obj["kind"] in NAMED_KINDS:
            assert f"`{obj['metadata']['name']}`" in text, (obj["kind"], obj["metadata"]["name"])
    for name in ("xrpbot-secrets", "xrpbot-rabbitmq-default-user", "xrpbot-postgres-app"):
        assert f"`{name}`" in text, name
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


def test_deploy_md_secret_keys_match_the_template() -> None:
    import yaml

    template = yaml.safe_load((ROOT / "deploy" / "k8s" / "secret.template.yaml").read_text())
    text = DOC.read_text()
    for key in template["stringData"]:
        assert f"{key}=" in text, key


def test_deploy_md_paths_exist() -> None:
    text = DOC.read_text()
    paths = set(re.findall(r"`((?:deploy|services|docs|tests)/[^` ]*)`", text))
    assert paths
    for path in paths:
        path = path.replace("<service>", "wallet").rstrip("/")
        if "<" in path:
            continue
        assert (ROOT / path).exists(), path
