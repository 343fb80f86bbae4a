"""Incoming payments to custodial accounts, read from a validated ledger's transactions. Pure.

Only Payments with TransactionResult tesSUCCESS count, and the amount is meta.delivered_amount,
never Amount: with tfPartialPayment, Amount is only an upper bound
(https://xrpl.org/docs/concepts/payment-types/partial-payments).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["IncomingPayment", "incoming_payments"]


@dataclass(frozen=True, slots=True)
class IncomingPayment:
    """XRP delivered to a custodial address.

    Attributes:
        tx_hash: transaction hash (hex, upper case).
        destination: the custodial address.
        source: the sending address.
        delivered_drops: meta.delivered_amount, drops.
        destination_tag: the tag it carried, if any.
        ledger_index: the validated ledger holding it.
        creates_account: it created the destination's AccountRoot (the faucet's funding: the
            owner was told by /wallet, so it is recorded but not announced again).
    """

    tx_hash: str
    destination: str
    source: str
    delivered_drops: int
    destination_tag: int | None
    ledger_index: int
    creates_account: bool = False


def _creates(meta: Mapping[str, Any], address: str) -> bool:
    """True when the metadata shows a new AccountRoot for `address`."""
    for node in meta.get("AffectedNodes", []):
        created = node.get("CreatedNode") if isinstance(node, Mapping) else None
        if (
            created
            and created.get("LedgerEntryType") == "AccountRoot"
            and created.get("NewFields", {}).get("Account") == address
        ):
            return True
    return False


def incoming_payments(
    transactions: Iterable[Mapping[str, Any]], custodial: Collection[str], ledger_index: int
) -> list[IncomingPayment]:
    """The XRP payments in one validated ledger that reached one of the `custodial` addresses.

    Args:
        transactions: entries as {"hash", "tx_json", "meta"} (API v2 shape; an entry's own
            "ledger_index", as account_tx gives, wins over `ledger_index`).
        custodial: addresses the wallet holds.
        ledger_index: the ledger they come from.
    """
    found = []
    for entry in transactions:
        tx, meta = entry.get("tx_json") or {}, entry.get("meta") or {}
        if tx.get("TransactionType") != "Payment" or tx.get("Destination") not in custodial:
            continue
        if meta.get("TransactionResult") != "tesSUCCESS":
            continue
        delivered = meta.get("delivered_amount", meta.get("DeliveredAmount"))
        if not isinstance(delivered, str) or not delivered.isdigit() or int(delivered) == 0:
            continue  # an issued currency, "unavailable" (pre-2014 ledgers), or nothing
        tag = tx.get("DestinationTag")
        found.append(
            IncomingPayment(
                tx_hash=str(entry["hash"]).upper(),
                destination=tx["Destination"],
                source=tx["Account"],
                delivered_drops=int(delivered),
                destination_tag=int(tag) if tag is not None else None,
                ledger_index=int(entry.get("ledger_index") or ledger_index),
                creates_account=_creates(meta, tx["Destination"]),
            )
        )
    return found
