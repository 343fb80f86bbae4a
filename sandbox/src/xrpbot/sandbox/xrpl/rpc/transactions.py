"""RPC methods about transactions: ``tx`` and ``submit``."""

from __future__ import annotations

from typing import Final

from xrpl.core.binarycodec import encode

from ..codec import decode_ctid, encode_ctid, ripple_time_to_iso
from ..constants import JsonDict
from ..errors import RpcError
from ..objects import ClosedLedger, LedgerTransaction, PendingTransaction
from .context import HEX64, Context, Handler, is_uint, meta_json, tx_body

_TX_MAX_RANGE: Final = 1000


def _tx(ctx: Context) -> JsonDict:
    """``tx`` (rippled Tx.cpp): a validated transaction with metadata, or one this server has seen.

    A transaction submitted here but not validated is answered from the TransactionMaster cache
    with ``validated: false`` and no metadata; otherwise ``txnNotFound``, with ``searched_all``
    when both ``min_ledger`` and ``max_ledger`` are given.
    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/transaction-methods/tx
    """
    params = ctx.params
    engine = ctx.engine
    if "transaction" in params and "ctid" in params:
        raise RpcError("invalidParams")
    tx_hash: str | None = None
    if "transaction" in params:
        value = params["transaction"]
        if not isinstance(value, str) or not HEX64.match(value):
            raise RpcError("notImpl")
        tx_hash = value.upper()
    elif "ctid" in params:
        decoded = decode_ctid(str(params["ctid"]))
        if decoded is None:
            raise RpcError("invalidParams")
        ledger_index, tx_index, network = decoded
        if network != (engine.network_id or 0):
            raise RpcError(
                "wrongNetwork",
                "Wrong network. You should submit this request to a node running on "
                f"NetworkID: {network}",
            )
        ledger = engine.ledger_by_index(ledger_index)
        if isinstance(ledger, ClosedLedger) and tx_index < len(ledger.transactions):
            tx_hash = ledger.transactions[tx_index].hash
    else:
        raise RpcError("invalidParams")
    binary = bool(params.get("binary"))

    ledger_range: tuple[int, int] | None = None
    if "min_ledger" in params and "max_ledger" in params:
        low, high = params["min_ledger"], params["max_ledger"]
        if not (is_uint(low) and is_uint(high)):
            raise RpcError("invalidLgrRange")
        if high < low:
            raise RpcError("invalidLgrRange")
        if high - low > _TX_MAX_RANGE:
            raise RpcError("excessiveLgrRange")
        ledger_range = (int(low), int(high))

    if tx_hash is None:
        raise RpcError("txnNotFound")
    found = engine.find_transaction(tx_hash)
    if found is not None:
        return _tx_validated(ctx, found, binary=binary)
    pending = engine.pending_transaction(tx_hash)
    if pending is not None:
        return _tx_pending(ctx, pending, binary=binary)
    if ledger_range is not None:
        searched_all = (
            ledger_range[0] >= engine.first_ledger_index
            and ledger_range[1] <= engine.validated_ledger.index
        )
        raise RpcError("txnNotFound", searched_all=searched_all)
    raise RpcError("txnNotFound")


def _tx_validated(ctx: Context, tx: LedgerTransaction, *, binary: bool) -> JsonDict:
    ledger = ctx.engine.ledger_by_index(tx.ledger_index)
    if not isinstance(ledger, ClosedLedger):
        raise RpcError("internal")
    ctid = encode_ctid(tx.ledger_index, tx.transaction_index, ctx.engine.network_id or 0)
    if ctx.api_version > 1:
        result: JsonDict = {}
        if binary:
            result["tx_blob"] = tx.blob
            result["meta_blob"] = encode(dict(tx.meta))
        else:
            result["tx_json"] = tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
            result["meta"] = meta_json(tx)
        result.update(
            ledger_hash=ledger.hash,
            hash=tx.hash,
            ledger_index=tx.ledger_index,
            close_time_iso=ripple_time_to_iso(ledger.close_time),
        )
    elif binary:
        result = {
            "tx": tx.blob,
            "hash": tx.hash,
            "inLedger": tx.ledger_index,
            "ledger_index": tx.ledger_index,
            "date": ledger.close_time,
            "meta": encode(dict(tx.meta)),
        }
    else:
        result = tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
        result["meta"] = meta_json(tx)
    result["validated"] = True
    if ctid is not None:
        result["ctid"] = ctid
    return result


def _tx_pending(ctx: Context, tx: PendingTransaction, *, binary: bool) -> JsonDict:
    if ctx.api_version > 1:
        result: JsonDict = (
            {"tx_blob": tx.blob}
            if binary
            else {"tx_json": tx_body(ctx, tx.tx_json, tx.hash, in_ledger=None)}
        )
        result["hash"] = tx.hash
    elif binary:
        result = {"tx": tx.blob, "hash": tx.hash}
    else:
        result = tx_body(ctx, tx.tx_json, tx.hash, in_ledger=None)
    result["validated"] = False
    return result


def _submit(ctx: Context) -> JsonDict:
    """``submit`` in submit-only mode (rippled Submit.cpp).

    Sign-and-submit mode (no ``tx_blob``) answers ``notSupported``, as a rippled whose signing
    is disabled does. Source:
    https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/transaction-methods/submit
    """
    params = ctx.params
    if "tx_blob" not in params:
        raise RpcError("notSupported", "Signing is not supported by this server.")
    blob = params["tx_blob"]
    outcome = ctx.engine.submit(
        blob if isinstance(blob, str) else str(blob), fail_hard=bool(params.get("fail_hard"))
    )
    result: JsonDict = {
        "tx_json": outcome.tx_json,
        "tx_blob": outcome.tx_blob,
        "engine_result": outcome.engine_result,
        "engine_result_code": outcome.engine_result_code,
        "engine_result_message": outcome.engine_result_message,
        "accepted": outcome.accepted,
        "applied": outcome.applied,
        "broadcast": outcome.broadcast,
        "queued": outcome.queued,
        "kept": outcome.kept,
    }
    state = outcome.ledger_state
    if state is not None:
        result.update(
            account_sequence_next=state.account_sequence_next,
            account_sequence_available=state.account_sequence_available,
            open_ledger_cost=str(state.open_ledger_cost_drops),
            validated_ledger_index=state.validated_ledger_index,
        )
    return result


METHODS: Final[dict[str, Handler]] = {
    "submit": _submit,
    "tx": _tx,
}
"""This module's methods by name (`app.handle_rpc` looks them up)."""
