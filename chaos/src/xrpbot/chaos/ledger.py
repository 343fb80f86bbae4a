"""The ledger's own record: every validated Payment of an account, read with `account_tx`
(https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/account_tx),
following `marker` until the whole history is read."""

from __future__ import annotations

from typing import Any

import httpx

from .audit import LedgerPayment

__all__ = ["account_payments"]


def _drops(amount: Any) -> int:
    """`delivered_amount` in drops: a string of drops for XRP; 0 for an issued currency."""
    return int(amount) if isinstance(amount, str) and amount.isdigit() else 0


def account_payments(rpc_url: str, address: str, timeout: float = 20.0) -> list[LedgerPayment]:
    """Every validated Payment sent or received by `address`, oldest first.

    Raises:
        httpx.HTTPError: the server did not answer.
        RuntimeError: it answered with an error.
    """
    found: list[LedgerPayment] = []
    marker: Any = None
    while True:
        params: dict[str, Any] = {
            "account": address,
            "ledger_index_min": -1,
            "ledger_index_max": -1,
            "forward": True,
            "limit": 200,
        }
        if marker is not None:
            params["marker"] = marker
        answer = httpx.post(
            rpc_url, json={"method": "account_tx", "params": [params]}, timeout=timeout
        )
        answer.raise_for_status()
        result = answer.json()["result"]
        if result.get("status") != "success":
            raise RuntimeError(f"account_tx {address}: {result.get('error')}")
        for item in result.get("transactions", []):
            tx, meta = item.get("tx") or item.get("tx_json") or {}, item.get("meta") or {}
            if tx.get("TransactionType") != "Payment" or not item.get("validated", True):
                continue
            found.append(
                LedgerPayment(
                    tx_hash=str(tx.get("hash") or item.get("hash", "")).upper(),
                    account=tx["Account"],
                    destination=tx["Destination"],
                    delivered_drops=_drops(meta.get("delivered_amount")),
                    result=str(meta.get("TransactionResult", "")),
                )
            )
        marker = result.get("marker")
        if marker is None:
            return found
