"""Generate the AsyncAPI document of every service into docs/asyncapi/ (`make docs`).

    uv run python scripts/asyncapi.py           # write docs/asyncapi/<service>.json
    uv run python scripts/asyncapi.py --check   # exit 1 when a file is stale (CI, make docs-check)

Each service is wired exactly as it runs (`create_service(settings)`, which connects to nothing)
and FastStream describes its broker: every subscriber (queue, exchange, routing key, message
schema). Services publish through the outbox rather than FastStream publishers, so the
publications are added from the event contract: a Reply or Event is published by the owner of
its routing key (an `ops.*` event by every service: the runtime publishes it), a Command by
the service its docstring names ("Published by <service>").
The documents are data only: no service serves AsyncAPI over HTTP, so FastStream's "try it"
publishing endpoint never exists (tests/deploy/test_asyncapi.py).
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from faststream.rabbit import RabbitBroker
from faststream.specification import AsyncAPI

import xrpbot.schemas as contract
from xrpbot.runtime.topology import COMMANDS, EVENTS, REPLIES

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "asyncapi"
SERVICES = ("gateway", "wallet", "transfer", "pricing")
BROKER_URL = "amqp://rabbitmq:5672/"  # what the documents show as the server
DUMMY = {  # settings that must validate; nothing is contacted
    "rabbitmq_url": BROKER_URL,
    "database_url": "postgresql://postgres:5432/xrpbot",
    "telegram_bot_token": "123456789:asyncapi-generation-only",
    "telegram_mode": "polling",
    "wallet_fernet_keys": Fernet.generate_key().decode(),
    "signing_request_keys": "asyncapi-generation-only-" + "0" * 16,
}


def _service_broker(name: str) -> RabbitBroker:
    module = __import__(f"xrpbot.{name}.app", fromlist=["create_service"])
    config = __import__(f"xrpbot.{name}.config", fromlist=["__all__"])
    settings_cls = next(
        getattr(config, n) for n in config.__all__ if n.endswith("Settings") and n[0].isupper()
    )
    fields = settings_cls.model_fields
    settings = settings_cls(**{k: v for k, v in DUMMY.items() if k in fields})
    create: Callable[[Any], Any] = module.create_service
    broker: RabbitBroker = create(settings).broker
    return broker


def _publishers_of(cls: type[contract.Envelope]) -> set[str]:
    if issubclass(cls, contract.Command):
        match = re.search(r"Published by (\w+)", cls.__doc__ or "")
        return {match.group(1)} if match else set()
    if issubclass(cls, contract.Event) and cls.ROUTING_KEY.startswith("ops."):
        return set(SERVICES)  # what every service announces about itself (the runtime does)
    if issubclass(cls, contract.Reply | contract.Event):
        return {cls.ROUTING_KEY.split(".", 1)[0]}
    return set()  # RPC responses go to the requester's reply_to


def _messages() -> list[type[contract.Envelope]]:
    found = []
    for name in sorted(contract.__all__):
        obj = getattr(contract, name)
        if (
            inspect.isclass(obj)
            and issubclass(obj, contract.Envelope)
            and "ROUTING_KEY" in dir(obj)
        ):
            found.append(obj)
    return found


def document(name: str) -> str:
    """The AsyncAPI 3.0 JSON of one service, with stable key order."""
    broker = _service_broker(name)
    for cls in _messages():
        if name not in _publishers_of(cls):
            continue
        exchange = (
            COMMANDS
            if issubclass(cls, contract.Command)
            else EVENTS
            if issubclass(cls, contract.Event)
            else REPLIES
        )
        broker.publisher(
            exchange=exchange,
            routing_key=cls.ROUTING_KEY,
            schema=cls,
            title=f"{exchange.name}:{cls.ROUTING_KEY}:{cls.__name__}",
            description=inspect.cleandoc(cls.__doc__ or ""),
            persist=True,
        )
    app_doc = inspect.getdoc(__import__(f"xrpbot.{name}.app", fromlist=["_"])) or ""
    spec = AsyncAPI(
        broker,
        title=f"xrpbot-{name}",
        version="0.1.0",
        description=app_doc.split("\n\n", 1)[0],
        schema_version="3.0.0",
    )
    data = json.loads(spec.to_specification().to_json())
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="fail if docs/asyncapi is stale")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # wiring a service logs nothing worth reading here
    stale = []
    OUT.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        path = OUT / f"{name}.json"
        text = document(name)
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path.relative_to(ROOT)))
        elif not path.exists() or path.read_text() != text:
            path.write_text(text)
            sys.stdout.write(f"wrote {path.relative_to(ROOT)}\n")
    if stale:
        sys.stderr.write(
            "The AsyncAPI documents are stale (a handler or a schema changed): "
            f"{', '.join(stale)}.\nRun `make docs` and commit docs/asyncapi/.\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
