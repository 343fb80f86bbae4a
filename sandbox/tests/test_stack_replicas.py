"""The Stack's replicas: instance names, their ports, and the service each runs (no process)."""

from __future__ import annotations

from pathlib import Path

from xrpbot.sandbox.tools.stack import Stack


def stack(replicas: dict[str, int], **env: str) -> Stack:
    return Stack(dict(env), [], Path("/nonexistent"), replicas=replicas)


def test_one_process_per_service_keeps_the_service_names() -> None:
    assert stack({}).instances() == ["wallet", "transfer", "pricing", "gateway"]


def test_replicas_are_numbered_and_each_has_its_own_port() -> None:
    s = stack(
        {"gateway": 2, "transfer": 2}, GATEWAY_HTTP_PORT="27080", TRANSFER_2_HTTP_PORT="27555"
    )
    assert s.instances() == [
        "wallet",
        "transfer-1",
        "transfer-2",
        "pricing",
        "gateway-1",
        "gateway-2",
    ]
    assert [s.port(n) for n in ("gateway-1", "gateway-2")] == [27080, 27090]
    assert s.port("transfer-1") == 8002
    assert s.port("transfer-2") == 27555  # its own variable wins
    assert len({s.port(n) for n in s.instances()}) == len(s.instances())


def test_an_instance_runs_its_service() -> None:
    assert Stack.service_of("gateway-2") == "gateway"
    assert Stack.service_of("wallet") == "wallet"
