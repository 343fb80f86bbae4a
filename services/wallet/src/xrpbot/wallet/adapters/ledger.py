"""XRPL adapter: rippled JSON-RPC through xrpl-py's async client."""

from __future__ import annotations

from typing import Any

import httpx
from xrpl.asyncio.clients import AsyncJsonRpcClient
from xrpl.models.requests import AccountInfo, Request, ServerState

from ..domain.model import AccountState, Reserve
from ..ports import LedgerUnavailable

__all__ = ["XrplLedger"]


class XrplLedger:
    """Reads validated ledgers from a rippled JSON-RPC endpoint (XRPL_RPC_URL).

    Decisions use the *validated* ledger only
    (https://xrpl.org/docs/concepts/transactions/finality-of-results).
    """

    def __init__(self, rpc_url: str) -> None:
        self.client = AsyncJsonRpcClient(rpc_url)

    async def _request(self, request: Request) -> dict[str, Any]:
        try:
            response = await self.client.request(request)
        except (httpx.HTTPError, OSError, ValueError) as exc:
            raise LedgerUnavailable(f"{request.method}: {type(exc).__name__}") from exc
        result: dict[str, Any] = response.result
        if not response.is_successful() and result.get("error") != "actNotFound":
            raise LedgerUnavailable(f"{request.method}: {result.get('error', 'error')}")
        return result

    async def account(self, address: str) -> AccountState | None:
        """The account in the latest validated ledger; None when rippled says actNotFound."""
        result = await self._request(AccountInfo(account=address, ledger_index="validated"))
        if result.get("error") == "actNotFound":
            return None
        data = result["account_data"]
        return AccountState(
            balance_drops=int(data["Balance"]),
            owner_count=int(data.get("OwnerCount", 0)),
            ledger_index=int(result["ledger_index"]),
        )

    async def reserve(self) -> Reserve:
        """Base and owner reserve in drops from `server_state`'s validated_ledger
        (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/server_state).
        """
        result = await self._request(ServerState())
        validated = result.get("state", {}).get("validated_ledger")
        if not validated:
            raise LedgerUnavailable("server_state: no validated ledger yet")
        return Reserve(
            base_drops=int(validated["reserve_base"]), owner_drops=int(validated["reserve_inc"])
        )
