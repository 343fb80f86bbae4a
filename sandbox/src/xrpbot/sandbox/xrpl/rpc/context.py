"""What every RPC method shares: its context, parameter errors, ledger selection, transaction rendering."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from ..codec import encode_ctid
from ..constants import JsonDict
from ..engine import LedgerEngine
from ..errors import RpcError
from ..objects import ClosedLedger, LedgerTransaction, OpenLedger

UINT32_MAX: Final = 0xFFFF_FFFF


HEX64 = re.compile(r"^[0-9A-Fa-f]{64}$")


def missing_field(name: str) -> RpcError:
    """rippled's invalidParams: Missing field '<name>'."""
    return RpcError("invalidParams", f"Missing field '{name}'.")


def invalid_field(name: str) -> RpcError:
    """rippled's invalidParams: Invalid field '<name>'."""
    return RpcError("invalidParams", f"Invalid field '{name}'.")


def expected_field(name: str, kind: str) -> RpcError:
    """rippled's invalidParams: Invalid field '<name>', not <kind>."""
    return RpcError("invalidParams", f"Invalid field '{name}', not {kind}.")


def is_uint(value: Any) -> bool:
    """True for a JSON unsigned integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True, slots=True)
class Context:
    """One RPC call: the engine, its parameters, the API version (1 or 2) and the server port."""

    engine: LedgerEngine
    params: JsonDict
    api_version: int
    port: int | None


Handler = Callable[[Context], JsonDict]


# --- ledger selection (rippled RPCLedgerHelpers.cpp) ---------------------------------------------


def _ledger_from_index(ctx: Context, value: Any, field: str) -> ClosedLedger | OpenLedger:
    text = str(value)
    if text in ("current", ""):
        return ctx.engine.open_ledger
    if text in ("validated", "closed"):
        return ctx.engine.validated_ledger
    if not text.isdigit() or int(text) > UINT32_MAX:
        raise expected_field(field, "string or number")
    ledger = ctx.engine.ledger_by_index(int(text))
    if ledger is None:
        raise RpcError("lgrNotFound", "ledgerNotFound")
    return ledger


def _ledger_from_hash(ctx: Context, value: Any, field: str) -> ClosedLedger:
    if not isinstance(value, str) or not HEX64.match(value):
        raise expected_field(field, "hex string")
    ledger = ctx.engine.ledger_by_hash(value)
    if ledger is None:
        raise RpcError("lgrNotFound", "ledgerNotFound")
    return ledger


def ledger_from_request(ctx: Context) -> ClosedLedger | OpenLedger:
    """Pick the ledger a request names, as rippled's ``ledgerFromRequest`` does ("current" by default).

    Source: https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-ledgers
    """
    params = ctx.params
    has_legacy, has_hash, has_index = (
        "ledger" in params,
        "ledger_hash" in params,
        "ledger_index" in params,
    )
    if has_legacy + has_hash + has_index > 1:
        if has_legacy:
            raise RpcError(
                "invalidParams",
                "Exactly one of 'ledger', 'ledger_hash', or 'ledger_index' can be specified.",
            )
        raise RpcError(
            "invalidParams", "Exactly one of 'ledger_hash' or 'ledger_index' can be specified."
        )
    if has_legacy:
        legacy = params["ledger"]
        if isinstance(legacy, bool) or not isinstance(legacy, str | int):
            raise expected_field("ledger", "string or number")
        if isinstance(legacy, str) and len(legacy) == 64:
            return _ledger_from_hash(ctx, legacy, "ledger")
        return _ledger_from_index(ctx, legacy, "ledger")
    if has_hash:
        return _ledger_from_hash(ctx, params["ledger_hash"], "ledger_hash")
    if has_index:
        index = params["ledger_index"]
        if isinstance(index, bool) or not isinstance(index, str | int):
            raise expected_field("ledger_index", "string or number")
        return _ledger_from_index(ctx, index, "ledger_index")
    return ctx.engine.open_ledger


def ledger_fields(ledger: ClosedLedger | OpenLedger) -> JsonDict:
    """``lookupLedger``'s result fields: hash and index of a closed ledger, or the current index."""
    if isinstance(ledger, ClosedLedger):
        return {"ledger_hash": ledger.hash, "ledger_index": ledger.index, "validated": True}
    return {"ledger_current_index": ledger.index, "validated": False}


# --- transaction rendering --------------------------------------------------------------------


def meta_json(tx: LedgerTransaction) -> JsonDict:
    """Stored metadata plus ``delivered_amount`` for successful payments (rippled DeliveredAmount.cpp).

    Source: https://xrpl.org/docs/references/protocol/transactions/metadata#delivered_amount
    """
    meta = dict(tx.meta)
    if tx.transaction_type == "Payment" and tx.result == "tesSUCCESS":
        meta["delivered_amount"] = meta.get("DeliveredAmount", tx.tx_json["Amount"])
    return meta


def with_deliver_max(body: JsonDict, api_version: int) -> JsonDict:
    """rippled ``insertDeliverMax``: Payments show ``DeliverMax``; API v2 drops ``Amount``."""
    if body.get("TransactionType") == "Payment" and "Amount" in body:
        body["DeliverMax"] = body["Amount"]
        if api_version > 1:
            del body["Amount"]
    return body


def tx_body(
    ctx: Context,
    tx_json: Any,
    tx_hash: str,
    *,
    in_ledger: LedgerTransaction | None,
    include_date: bool = True,
) -> JsonDict:
    """``Transaction::getJson``: the transaction's fields plus ``hash`` (v1) and ledger fields."""
    body: JsonDict = dict(tx_json)
    if ctx.api_version < 2:
        body["hash"] = tx_hash
    if in_ledger is not None:
        if ctx.api_version < 2:
            body["inLedger"] = in_ledger.ledger_index
        body["ledger_index"] = in_ledger.ledger_index
        close_time = ctx.engine.close_time_of(in_ledger.ledger_index)
        if include_date and close_time is not None:
            body["date"] = close_time
        ctid = encode_ctid(
            in_ledger.ledger_index, in_ledger.transaction_index, ctx.engine.network_id or 0
        )
        if ctid is not None:
            body["ctid"] = ctid
    return with_deliver_max(body, ctx.api_version)
