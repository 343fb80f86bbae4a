"""XRPL adapter of transfer: rippled JSON-RPC with xrpl-py's request and response models."""

from __future__ import annotations

from typing import Any

import httpx
from xrpl.models.requests import (
    AccountInfo,
    AccountTx,
    DepositAuthorized,
    Fee,
    Ledger,
    Request,
    ServerInfo,
    SubmitOnly,
    Tx,
)

from xrpbot.xrpl_client import XrplJsonRpc

from ..domain.accounts import AccountSnapshot
from ..domain.outcome import LedgerHistory, LedgerTx, parse_complete_ledgers
from ..ports import FeeLevels, LedgerUnavailable

__all__ = ["XrplLedger"]

_EXPECTED_ERRORS = frozenset({"actNotFound", "txnNotFound", "srcActNotFound", "dstActNotFound"})


def _entry(raw: dict[str, Any]) -> dict[str, Any]:
    """A ledger/tx entry in API v2 shape ({"hash", "tx_json", "meta"}), from either version."""
    if "tx_json" in raw:
        return {"hash": raw.get("hash"), "tx_json": raw["tx_json"], "meta": raw.get("meta", {})}
    tx = {k: v for k, v in raw.items() if k not in {"hash", "metaData", "meta", "validated"}}
    return {"hash": raw.get("hash"), "tx_json": tx, "meta": raw.get("metaData", raw.get("meta"))}


def _xrp_drops(amount: Any) -> int | None:
    return int(amount) if isinstance(amount, str) and amount.isdigit() else None


class XrplLedger:
    """rippled JSON-RPC at XRPL_RPC_URL. Decisions read the validated ledger only
    (https://xrpl.org/docs/concepts/transactions/finality-of-results); every method raises
    LedgerUnavailable when the server cannot answer.
    """

    def __init__(self, rpc_url: str, http: httpx.AsyncClient | None = None) -> None:
        self.rpc = XrplJsonRpc(rpc_url, http)
        self._network_id: int | None = None
        self._network_known = False

    async def _request(self, request: Request) -> dict[str, Any]:
        return await self.rpc.request(request, expected_errors=_EXPECTED_ERRORS)

    async def account(self, address: str) -> AccountSnapshot | None:
        result = await self._request(AccountInfo(account=address, ledger_index="validated"))
        if result.get("error") == "actNotFound":
            return None
        data = result["account_data"]
        return AccountSnapshot(
            balance_drops=int(data["Balance"]),
            owner_count=int(data.get("OwnerCount", 0)),
            sequence=int(data["Sequence"]),
            flags=int(data.get("Flags", 0)),
        )

    async def deposit_authorized(self, source: str, destination: str) -> bool:
        """False also when either account is missing (srcActNotFound, dstActNotFound)."""
        result = await self._request(
            DepositAuthorized(
                source_account=source, destination_account=destination, ledger_index="validated"
            )
        )
        return result.get("deposit_authorized") is True

    async def next_sequence(self, address: str) -> int:
        result = await self._request(AccountInfo(account=address, ledger_index="current"))
        if result.get("error") == "actNotFound":
            raise LedgerUnavailable("account_info: the sender's account is not in the ledger")
        return int(result["account_data"]["Sequence"])

    async def reserve(self) -> tuple[int, int]:
        """From `server_state`'s validated_ledger (drops)."""
        return await self.rpc.reserve()

    async def fee(self) -> FeeLevels:
        result = await self._request(Fee())
        drops = result["drops"]
        return FeeLevels(int(drops["base_fee"]), int(drops["open_ledger_fee"]))

    async def network_id(self) -> int | None:
        if not self._network_known:
            info = (await self._request(ServerInfo())).get("info", {})
            self._network_id = info.get("network_id")
            self._network_known = True
        return self._network_id

    async def validated_index(self) -> int:
        result = await self._request(Ledger(ledger_index="validated"))
        return int(result["ledger_index"])

    async def history(self) -> LedgerHistory:
        """From `server_info`; a server without a validated ledger holds nothing decisive.

        Raises:
            LedgerUnavailable: no answer, or `complete_ledgers` not in rippled's shape.
        """
        info = (await self._request(ServerInfo())).get("info", {})
        validated = info.get("validated_ledger") or {}
        try:
            complete = parse_complete_ledgers(str(info.get("complete_ledgers", "empty")))
        except ValueError as exc:
            raise LedgerUnavailable(f"server_info: {exc}") from exc
        return LedgerHistory(int(validated.get("seq", 0)), complete)

    async def submit(self, tx_blob: str) -> str:
        result = await self._request(SubmitOnly(tx_blob=tx_blob))
        return str(result.get("engine_result", "unknown"))

    async def transaction(self, tx_hash: str, min_ledger: int, max_ledger: int) -> LedgerTx:
        result = await self._request(
            Tx(transaction=tx_hash, min_ledger=min_ledger, max_ledger=max_ledger)
        )
        if result.get("error") == "txnNotFound":
            return LedgerTx(found=False, searched_all=bool(result.get("searched_all", False)))
        if not result.get("validated"):
            return LedgerTx(found=True)
        entry = _entry(result)
        meta = entry["meta"] or {}
        return LedgerTx(
            found=True,
            validated=True,
            result=meta.get("TransactionResult"),
            ledger_index=int(result["ledger_index"]),
            delivered_drops=_xrp_drops(meta.get("delivered_amount")),
        )

    async def account_transactions(self, address: str) -> list[dict[str, Any]]:
        result = await self._request(
            AccountTx(account=address, ledger_index_min=-1, ledger_index_max=-1, limit=20)
        )
        if result.get("error") == "actNotFound":
            return []
        entries = []
        for raw in result.get("transactions", []):
            if not raw.get("validated"):
                continue
            entry = _entry(raw)
            entry["ledger_index"] = raw.get("ledger_index") or entry["tx_json"].get("ledger_index")
            entries.append(entry)
        return entries

    async def ledger_transactions(self, index: int) -> list[dict[str, Any]]:
        result = await self._request(Ledger(ledger_index=index, transactions=True, expand=True))
        if not result.get("validated"):
            raise LedgerUnavailable(f"ledger {index} is not validated")
        return [_entry(raw) for raw in result["ledger"].get("transactions", [])]
