"""`python -m xrpbot.access render [--check]`: write the deployment files derived from RIGHTS.

The files (paths from the repository root) are committed; `--check` (and tests/deploy) fails
when one differs from what the table gives today. The YAML is written
with PyYAML (block style, keys in the order given).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .compose import definitions_template, roles_sql
from .manifests import (
    broker_objects,
    credential_secrets,
    database_object,
    policy_objects,
    roles_patch,
)
from .rights import SERVICES

__all__ = ["ACCESS_DIR", "files", "main", "to_yaml"]

ACCESS_DIR = "deploy/k8s/base/access"
"""Where the Kubernetes resources go (listed in deploy/k8s/base/kustomization.yaml)."""

_GENERATED = (
    "# Generated from xrpbot.access.rights by `python -m xrpbot.access render`: do not edit.\n"
)


def to_yaml(documents: Sequence[dict[str, Any]], comment: str = "") -> str:
    """The documents as one YAML stream (block style), after `comment` lines."""
    body = str(
        yaml.safe_dump_all(
            documents, sort_keys=False, default_flow_style=False, allow_unicode=True, width=1000
        )
    )
    return _GENERATED + comment + body


def files() -> dict[str, str]:
    """Every generated file: path from the repository root → its text."""
    out = {
        f"{ACCESS_DIR}/rabbitmq-{s}.yaml": to_yaml(
            broker_objects(s),
            f"# {s}: its RabbitMQ user, its permissions and topic permissions (Topology Operator).\n",
        )
        for s in SERVICES
    }
    out[f"{ACCESS_DIR}/rabbitmq-policies.yaml"] = to_yaml(
        policy_objects(),
        "# Policies on the vhost: each dead-letter queue bounded (Topology Operator).\n",
    )
    out[f"{ACCESS_DIR}/postgres-roles.yaml"] = to_yaml(
        [roles_patch()],
        "# A patch of the Cluster xrpbot-postgres: every service's managed role (password from\n"
        "# its Secret) and, when the cluster is created, CONNECT on the database for them alone.\n",
    )
    out[f"{ACCESS_DIR}/postgres-database.yaml"] = to_yaml(
        [database_object()],
        "# The database xrpbot, each schema owned by its service's role (CloudNativePG >= 1.26).\n",
    )
    out["deploy/k8s/credentials.template.yaml"] = to_yaml(
        credential_secrets(),
        "# TEMPLATE ONLY, like secret.template.yaml: never put real values in the repository and\n"
        "# never add this file to a kustomization. Each service's RabbitMQ and Postgres credentials\n"
        "# (docs/deploy.md, 'Secrets'); passwords: `openssl rand -hex 32` (URL-safe).\n",
    )
    out["deploy/compose/rabbitmq/definitions.template.json"] = definitions_template()
    out["deploy/compose/postgres/roles.sql"] = roles_sql()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Write the files under `--root` (default: the working directory), or with `--check` only
    compare them; returns the exit status (1: a file is stale)."""
    parser = argparse.ArgumentParser(prog="python -m xrpbot.access")
    parser.add_argument("command", choices=["render"])
    parser.add_argument("--check", action="store_true", help="fail if a file is stale")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    stale = []
    for relative, text in files().items():
        path = args.root / relative
        if path.exists() and path.read_text() == text:
            continue
        stale.append(relative)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    for relative in stale:
        sys.stdout.write(("stale: " if args.check else "wrote ") + relative + "\n")
    return 1 if stale and args.check else 0
