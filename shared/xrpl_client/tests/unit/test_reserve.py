"""The reserve is read from `server_state` once per validated ledger, not once per caller."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from xrpbot.xrpl_client import LedgerUnavailable, XrplJsonRpc


class FakeRippled:
    """A rippled JSON-RPC endpoint whose validated ledger is `validated`; counts server_state."""

    def __init__(self) -> None:
        self.validated = 10
        self.reserve_base_drops = 1_000_000
        self.server_state_reads = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        method = json.loads(request.content)["method"]
        assert method == "server_state"
        self.server_state_reads += 1
        validated = {
            "seq": self.validated,
            "reserve_base": self.reserve_base_drops,
            "reserve_inc": 200_000,
            "base_fee": 10,
        }
        return httpx.Response(
            200, json={"result": {"status": "success", "state": {"validated_ledger": validated}}}
        )

    def client(self) -> XrplJsonRpc:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        return XrplJsonRpc("http://rippled.test/", http)


async def test_callers_of_one_validated_ledger_share_one_read() -> None:
    rippled = FakeRippled()
    rpc = rippled.client()
    assert await rpc.reserve(10) == (1_000_000, 200_000)
    assert await rpc.reserve(10) == (1_000_000, 200_000)
    assert await rpc.reserve(9) == (1_000_000, 200_000), "an earlier ledger's reader reuses it"
    assert rippled.server_state_reads == 1


async def test_a_newer_validated_ledger_reads_again() -> None:
    rippled = FakeRippled()
    rpc = rippled.client()
    await rpc.reserve(10)
    rippled.validated, rippled.reserve_base_drops = 11, 10_000_000
    assert await rpc.reserve(11) == (10_000_000, 200_000)
    assert await rpc.reserve(11) == (10_000_000, 200_000)
    assert rippled.server_state_reads == 2


async def test_concurrent_misses_make_one_read() -> None:
    rippled = FakeRippled()
    rpc = rippled.client()
    answers = await asyncio.gather(*(rpc.reserve(10) for _ in range(5)))
    assert set(answers) == {(1_000_000, 200_000)}
    assert rippled.server_state_reads == 1


async def test_without_a_ledger_index_every_call_reads() -> None:
    rippled = FakeRippled()
    rpc = rippled.client()
    await rpc.reserve()
    await rpc.reserve()
    assert rippled.server_state_reads == 2


async def test_a_server_without_validated_ledger_is_unavailable_and_not_cached() -> None:
    def no_ledger(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"result": {"status": "success", "state": {}}})

    rpc = XrplJsonRpc(
        "http://rippled.test/", httpx.AsyncClient(transport=httpx.MockTransport(no_ledger))
    )
    with pytest.raises(LedgerUnavailable):
        await rpc.reserve(10)
    with pytest.raises(LedgerUnavailable):
        await rpc.reserve(10)
