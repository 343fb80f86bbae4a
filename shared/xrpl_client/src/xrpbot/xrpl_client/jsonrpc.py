"""The rippled JSON-RPC client of wallet and transfer: xrpl-py's request and response models
over one pooled httpx client.

xrpl-py's AsyncJsonRpcClient opens a new httpx client (and SSL context) for every request, which
profiling showed to be a third of wallet's and three quarters of transfer's CPU; its
models (`request_to_json_rpc`, `json_to_response`) are used unchanged.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import httpx
from xrpl.asyncio.clients.utils import json_to_response, request_to_json_rpc
from xrpl.models.requests import Request, ServerState

__all__ = ["LedgerUnavailable", "XrplJsonRpc"]


class LedgerUnavailable(Exception):
    """The XRPL server could not be reached or answered with an error (transient)."""


class XrplJsonRpc:
    """rippled JSON-RPC at `rpc_url` (XRPL_RPC_URL).

    Args:
        rpc_url: the server's JSON-RPC URL.
        http: a shared client; one is made (10 s timeout) if not given.
    """

    def __init__(self, rpc_url: str, http: httpx.AsyncClient | None = None) -> None:
        self.rpc_url = rpc_url
        self.http = http or httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))

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

    async def reserve(self) -> tuple[int, int]:
        """(base reserve, reserve per owned object) in drops, from `server_state`'s validated
        ledger (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/server_state).

        Raises:
            LedgerUnavailable: no answer, or no validated ledger yet.
        """
        result = await self.request(ServerState())
        validated = result.get("state", {}).get("validated_ledger")
        if not validated:
            raise LedgerUnavailable("server_state: no validated ledger yet")
        return int(validated["reserve_base"]), int(validated["reserve_inc"])

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()
