"""The rippled JSON-RPC client of wallet and transfer: xrpl-py's request and response models
over one pooled httpx client.

xrpl-py's AsyncJsonRpcClient opens a new httpx client (and SSL context) for every request, which
profiling showed to be a third of wallet's and three quarters of transfer's CPU; its
models (`request_to_json_rpc`, `json_to_response`) are used unchanged.

Reserves change only by fee voting, never within a ledger
(https://xrpl.org/docs/concepts/consensus-protocol/fee-voting), so a reserve read from
`server_state` is reused for every caller that read its own data from the same validated ledger
or an earlier one: one `server_state` per validated ledger instead of one per /balance.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import httpx
from xrpl.asyncio.clients.utils import json_to_response, request_to_json_rpc
from xrpl.models.requests import Request, ServerState

__all__ = ["LedgerUnavailable", "XrplJsonRpc"]


class LedgerUnavailable(Exception):
    """The XRPL server could not be reached or answered with an error (transient)."""


@dataclass(frozen=True, slots=True)
class _ReserveReading:
    """Base and per-object reserve in drops, as `server_state` gave them at validated ledger
    `ledger_index`."""

    ledger_index: int
    base_drops: int
    owner_drops: int


class XrplJsonRpc:
    """rippled JSON-RPC at `rpc_url` (XRPL_RPC_URL).

    Args:
        rpc_url: the server's JSON-RPC URL.
        http: a shared client; one is made (10 s timeout) if not given.
    """

    def __init__(self, rpc_url: str, http: httpx.AsyncClient | None = None) -> None:
        self.rpc_url = rpc_url
        self.http = http or httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))
        self._reserve: _ReserveReading | None = None
        self._reserve_read = asyncio.Lock()  # callers that miss together share one read

    async def request(
        self, request: Request, *, expected_errors: Collection[str] = ()
    ) -> dict[str, Any]:
        """The `result` of one call. An error named in `expected_errors` (e.g. actNotFound)
        comes back as a result with its `error` field instead of raising.

        Raises:
            LedgerUnavailable: no answer, not JSON, or any other error.
        """
        try:
            answer = await self.http.post(self.rpc_url, json=request_to_json_rpc(request))
            response = json_to_response(answer.json())
        except (httpx.HTTPError, OSError, ValueError) as exc:
            raise LedgerUnavailable(f"{request.method}: {type(exc).__name__}") from exc
        result: dict[str, Any] = response.result
        if not response.is_successful() and result.get("error") not in expected_errors:
            raise LedgerUnavailable(f"{request.method}: {result.get('error', 'error')}")
        return result

    async def reserve(self, validated_ledger: int | None = None) -> tuple[int, int]:
        """(base reserve, reserve per owned object) in drops, from `server_state`'s validated
        ledger (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/server_state).

        Args:
            validated_ledger: the index of the validated ledger the caller read its own data
                from (e.g. `account_info`'s `ledger_index`). A reserve already read at that
                ledger or a later one is returned without a request; None always reads.
        Raises:
            LedgerUnavailable: no answer, or no validated ledger yet.
        """
        if validated_ledger is None:
            reading = await self._read_reserve()
            return reading.base_drops, reading.owner_drops
        async with self._reserve_read:
            cached = self._reserve
            if cached is not None and cached.ledger_index >= validated_ledger:
                return cached.base_drops, cached.owner_drops
            reading = await self._read_reserve()
        return reading.base_drops, reading.owner_drops

    async def _read_reserve(self) -> _ReserveReading:
        result = await self.request(ServerState())
        validated = result.get("state", {}).get("validated_ledger")
        if not validated:
            raise LedgerUnavailable("server_state: no validated ledger yet")
        reading = _ReserveReading(
            ledger_index=int(validated["seq"]),
            base_drops=int(validated["reserve_base"]),
            owner_drops=int(validated["reserve_inc"]),
        )
        if self._reserve is None or self._reserve.ledger_index <= reading.ledger_index:
            self._reserve = reading
        return reading

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()
