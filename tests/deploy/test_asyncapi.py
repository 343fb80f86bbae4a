"""The event contract: docs/asyncapi/<service>.json is what `make docs` generates from the code
today, and no service exposes AsyncAPI's "try it" publishing endpoint."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType
from typing import Any

import pytest

from .conftest import ROOT, SERVICES


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("asyncapi_gen", ROOT / "scripts" / "asyncapi.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _generator()


@pytest.mark.parametrize("service", SERVICES)
def test_asyncapi_document_is_current(generator: ModuleType, service: str) -> None:
    path = ROOT / "docs" / "asyncapi" / f"{service}.json"
    expected = generator.document(service)
    current = path.read_text() if path.exists() else ""
    assert current == expected, (
        f"{path.relative_to(ROOT)} is stale (a handler or a schema changed): run `make docs` "
        "and commit docs/asyncapi/"
    )
    spec = json.loads(expected)
    assert spec["asyncapi"].startswith("3.")
    assert all("@" not in s["host"] for s in spec["servers"].values()), "no credentials"
    assert any(op["action"] == "receive" for op in spec["operations"].values())


@pytest.mark.parametrize("service", SERVICES)
async def test_no_asyncapi_or_try_it_endpoint(generator: ModuleType, service: str) -> None:
    module = __import__(f"xrpbot.{service}.app", fromlist=["create_service"])
    config = __import__(f"xrpbot.{service}.config", fromlist=["__all__"])
    settings_cls = next(
        getattr(config, n) for n in config.__all__ if n.endswith("Settings") and n[0].isupper()
    )
    fields = settings_cls.model_fields
    app = module.create_service(
        settings_cls(**{k: v for k, v in generator.DUMMY.items() if k in fields})
    )
    assert not [r for r in app.routes if "asyncapi" in r or "docs" in r]
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    for method, path in (
        ("POST", "/docs/asyncapi/try"),
        ("GET", "/docs/asyncapi"),
        ("GET", "/docs/asyncapi.json"),
        ("GET", "/asyncapi"),
    ):
        sent.clear()
        await app({"type": "http", "method": method, "path": path, "headers": []}, receive, send)
        assert sent[0]["status"] == 404, (method, path)
