"""XRPL adapter of wallet: account and reserve reads through the shared JSON-RPC client."""

from __future__ import annotations

import httpx
from xrpl.models.requests import AccountInfo

from xrpbot.xrpl_client import XrplJsonRpc

from ..domain.model import AccountState, Reserve

__all__ = ["XrplLedger"]


class XrplLedger:
    """Reads validated ledgers from a rippled JSON-RPC endpoint (XRPL_RPC_URL).

    Decisions use the *validated* ledger only
    (https://xrpl.org/docs/concepts/transactions/finality-of-results). Every method raises
    LedgerUnavailable when the server cannot answer.
    """

    def __init__(self, rpc_url: str, http: httpx.AsyncClient | None = None) -> None:
        self.rpc = XrplJsonRpc(rpc_url, http)

    async def account(self, address: str) -> AccountState | None:
        """The account in the latest validated ledger; None when rippled says actNotFound."""
        result = await self.rpc.request(
            AccountInfo(account=address, ledger_index="validated"), expected_errors={"actNotFound"}
        )
        if result.get("error") == "actNotFound":
            return None
        data = result["account_data"]
        return AccountState(
            balance_drops=int(data["Balance"]),
            owner_count=int(data.get("OwnerCount", 0)),
            ledger_index=int(result["ledger_index"]),
        )

    async def reserve(self, validated_ledger: int) -> Reserve:
        """Base and owner reserve in drops, read once per validated ledger (see XrplJsonRpc)."""
        base, owner = await self.rpc.reserve(validated_ledger)
        return Reserve(base_drops=base, owner_drops=owner)
