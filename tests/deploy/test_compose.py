"""docker-compose.yml validates against the Compose Specification's JSON schema (vendored) and
keeps its promises: healthchecks, start order, required secrets, the stand-alone rippled, the
demo profile, every service under its own RabbitMQ user and Postgres role (never the
administrators); .env.example lists every setting."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from xrpbot.access.compose import password_var
from xrpbot.access.identities import broker_user, db_role

from .conftest import ROOT, SCHEMAS, SERVICES

PASSWORDS = tuple(password_var(s) for s in SERVICES)
REQUIRED = (
    "TELEGRAM_BOT_TOKEN",
    "WALLET_FERNET_KEYS",
    "SIGNING_REQUEST_KEYS",
    "RABBITMQ_PASSWORD",
    "POSTGRES_PASSWORD",
    *PASSWORDS,
)
ADMINS = ("${RABBITMQ_USER", "${POSTGRES_USER", "RABBITMQ_PASSWORD", "POSTGRES_PASSWORD")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_matches_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors)
    broken = dict(compose, services={"x": {"image": "y", "depends_on": {"z": {"condition": 1}}}})
    assert list(validator.iter_errors(broken)), "the schema check must catch mistakes"


def test_infrastructure(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["rabbitmq"]["image"].endswith("-management")
    assert services["postgres"]["image"].startswith("postgres:16")
    rippled = services["rippled"]
    assert rippled["image"].startswith("rippleci/xrpld:")
    assert "--standalone" in rippled["command"]
    assert services["ledger-ticker"]["entrypoint"][-1].endswith("ledger_ticker.py")
    for name in ("rabbitmq", "postgres", "rippled", "faucet"):
        assert "healthcheck" in services[name], name


def test_services_start_healthy_in_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, port in SERVICES.items():
        svc = services[name]
        assert svc["build"]["dockerfile"] == f"services/{name}/Dockerfile"
        assert svc["healthcheck"]["test"][-2:] == [str(port), "/readyz"]
        depends = svc["depends_on"]
        assert depends["rabbitmq"]["condition"] == "service_healthy"
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends[f"{name}-migrate"]["condition"] == "service_completed_successfully"
        assert services[f"{name}-migrate"]["command"] == ["migrate"]
        assert svc["read_only"] is True
        assert svc["cap_drop"] == ["ALL"]
        assert all(p.startswith("127.0.0.1:") for p in svc.get("ports", []))
    assert services["telegram-sandbox"]["profiles"] == ["demo"]


def test_required_secrets_fail_fast_with_a_message() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for var in REQUIRED:
        uses = re.findall(r"\$\{" + var + r"(:?[?-])([^}]*)\}", text)
        assert uses, var
        required = [msg for op, msg in uses if op == ":?"]
        assert required, f"{var} must be required with ${{{var}:?message}}"
        assert all(var in msg or ".env" in msg for msg in required), var


def test_env_example_lists_every_setting() -> None:
    from xrpbot.gateway.config import GatewaySettings
    from xrpbot.pricing.config import PricingSettings
    from xrpbot.transfer.config import TransferSettings
    from xrpbot.wallet.config import WalletSettings

    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    computed = {"RABBITMQ_URL", "DATABASE_URL", "HTTP_PORT", "HTTP_HOST"}  # built by compose
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for service, settings in (
        ("gateway", GatewaySettings),
        ("wallet", WalletSettings),
        ("transfer", TransferSettings),
        ("pricing", PricingSettings),
    ):
        for name in settings.model_fields:
            var = name.upper()
            if var in computed:
                continue
            assert var in listed, f"add {var} to .env.example"
            environment = services[service]["environment"]
            assert var in environment, f"pass {var} to {service} in docker-compose.yml"
    text = (ROOT / "docker-compose.yml").read_text()
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", code))
    assert used <= listed, f"document {sorted(used - listed)} in .env.example"
    for line in example.splitlines():  # secrets are empty in the example
        if any(line.startswith(f"{var}=") for var in REQUIRED):
            assert line.endswith("="), line


def test_each_service_connects_as_itself(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in SERVICES:
        for container, broker in ((name, True), (f"{name}-migrate", False)):
            env = services[container]["environment"]
            assert ("RABBITMQ_URL" in env) is broker, "migrations need no broker credentials"
            urls = {"DATABASE_URL": db_role(name)}
            urls |= {"RABBITMQ_URL": broker_user(name)} if broker else {}
            for var, user in urls.items():
                url = env[var]
                assert not any(admin in url for admin in ADMINS), (container, url)
                assert f"${{{password_var(name)}:?" in url, "the password is required"
                parts = urlsplit(re.sub(r"\$\{([A-Z0-9_]+)[^}]*\}", r"\1", url))
                assert (parts.username, parts.password) == (user, password_var(name)), var
        depends = services[f"{name}-migrate"]["depends_on"]
        assert depends["postgres-roles"]["condition"] == "service_completed_successfully"
    text = (ROOT / "docker-compose.yml").read_text()
    assert "guest" not in text
    assert "RABBITMQ_DEFAULT_USER" not in text, "definitions at boot create the users"


def test_signing_request_keys_reach_wallet_and_transfer_only(compose: dict[str, Any]) -> None:
    holders = {
        name.removesuffix("-migrate")
        for name, svc in compose["services"].items()
        if "SIGNING_REQUEST_KEYS" in svc.get("environment", {})
    }
    assert holders == {"wallet", "transfer"}


def test_rabbitmq_imports_the_generated_definitions_at_boot(compose: dict[str, Any]) -> None:
    rabbitmq = compose["services"]["rabbitmq"]
    mounts = dict(v.split(":")[:2] for v in rabbitmq["volumes"] if v.startswith("./"))
    entrypoint = rabbitmq["entrypoint"]
    assert entrypoint[0] == "bash"
    assert mounts["./deploy/compose/rabbitmq/entrypoint.sh"] == entrypoint[1]
    script = (ROOT / "deploy/compose/rabbitmq/entrypoint.sh").read_text()
    template = mounts["./deploy/compose/rabbitmq/definitions.template.json"]
    assert f"XRPBOT_DEFINITIONS_TEMPLATE:-{template}}}" in script
    (conf,) = [v for k, v in mounts.items() if k.endswith("rabbitmq.conf")]
    assert conf.startswith("/etc/rabbitmq/conf.d/")
    load = re.search(
        r"^load_definitions = (\S+)$",
        (ROOT / "deploy/compose/rabbitmq/rabbitmq.conf").read_text(),
        re.MULTILINE,
    )
    assert load
    assert f"XRPBOT_DEFINITIONS:-{load[1]}}}" in script
    assert any(load[1].startswith(t + "/") for t in rabbitmq["tmpfs"]), "passwords stay off disk"
    wanted = set(
        re.findall(
            r"@([A-Z0-9_]+)@",
            (ROOT / "deploy/compose/rabbitmq/definitions.template.json").read_text(),
        )
    )
    assert wanted == {"RABBITMQ_USER", "RABBITMQ_PASSWORD", *PASSWORDS}
    assert wanted <= set(rabbitmq["environment"])


def test_postgres_roles_run_the_generated_script(compose: dict[str, Any]) -> None:
    roles = compose["services"]["postgres-roles"]
    assert roles["image"] == compose["services"]["postgres"]["image"]
    assert roles["depends_on"]["postgres"]["condition"] == "service_healthy"
    (mount,) = roles["volumes"]
    source, target = mount.split(":")[:2]
    assert source == "./deploy/compose/postgres/roles.sql"
    assert roles["entrypoint"][-2:] == ["-f", target]
    script = (ROOT / source).read_text()
    wanted = set(re.findall(r"^\\getenv \S+ (\S+)$", script, re.MULTILINE))
    assert wanted == set(PASSWORDS)
    env = roles["environment"]
    assert wanted <= set(env)
    assert env["PGHOST"] == "postgres"
