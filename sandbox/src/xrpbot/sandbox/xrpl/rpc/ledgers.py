"""RPC methods about ledgers: ``ledger``, ``ledger_current``, ``ledger_closed``, ``ledger_accept``."""

from __future__ import annotations

from typing import Final

from xrpl.core.binarycodec import encode

from ..codec import ripple_time_to_human, ripple_time_to_iso
from ..constants import JsonDict
from ..objects import ClosedLedger, LedgerTransaction, OpenLedger
from .context import (
    Context,
    Handler,
    ledger_fields,
    ledger_from_request,
    meta_json,
    with_deliver_max,
)


def _ledger_current(ctx: Context) -> JsonDict:
    """``ledger_current``: the index of the open ledger."""
    return {"ledger_current_index": ctx.engine.open_ledger.index}


def _ledger_closed(ctx: Context) -> JsonDict:
    """``ledger_closed``: hash and index of the last closed ledger."""
    closed = ctx.engine.closed_ledger
    return {"ledger_hash": closed.hash, "ledger_index": closed.index}


def _ledger_accept(ctx: Context) -> JsonDict:
    """``ledger_accept`` (admin, stand-alone only): close the open ledger and report the new one.

    Source: https://xrpl.org/docs/references/http-websocket-apis/admin-api-methods/server-control-methods/ledger_accept
    """
    ctx.engine.close_ledger()
    return {"ledger_current_index": ctx.engine.open_ledger.index}


def _ledger(ctx: Context) -> JsonDict:
    """``ledger`` (rippled LedgerHandler.cpp and LedgerToJson.cpp)."""
    ledger = ledger_from_request(ctx)
    result = ledger_fields(ledger)
    header: JsonDict = {
        "parent_hash": ledger.parent_hash,
        "ledger_index": ledger.index if ctx.api_version > 1 else str(ledger.index),
        "closed": ledger.closed,
    }
    if isinstance(ledger, ClosedLedger):
        header.update(
            ledger_hash=ledger.hash,
            transaction_hash=ledger.transaction_hash,
            account_hash=ledger.account_hash,
            total_coins=str(ledger.total_coins_drops),
            close_flags=ledger.close_flags,
            parent_close_time=ledger.parent_close_time,
            close_time=ledger.close_time,
            close_time_resolution=ledger.close_time_resolution,
        )
        if ledger.close_time != 0:
            header["close_time_human"] = ripple_time_to_human(ledger.close_time)
            header["close_time_iso"] = ripple_time_to_iso(ledger.close_time)
    params = ctx.params
    if params.get("transactions"):
        expand = bool(params.get("expand"))
        binary = bool(params.get("binary"))
        txs = sorted(ledger.transactions, key=lambda tx: tx.hash)  # SHAMap order
        header["transactions"] = [
            _ledger_tx_json(ctx, ledger, tx, binary=binary) if expand else tx.hash for tx in txs
        ]
    result["ledger"] = header
    return result


def _ledger_tx_json(
    ctx: Context, ledger: ClosedLedger | OpenLedger, tx: LedgerTransaction, *, binary: bool
) -> JsonDict:
    meta = meta_json(tx)
    if binary:
        body: JsonDict = {"tx_blob": tx.blob}
        if ctx.api_version > 1:
            body["hash"] = tx.hash
        body["meta_blob" if ctx.api_version > 1 else "meta"] = encode(dict(tx.meta))
        return body
    if ctx.api_version > 1:
        body = {
            "tx_json": with_deliver_max(dict(tx.tx_json), ctx.api_version),
            "hash": tx.hash,
            "meta": meta,
            "validated": ledger.closed,
        }
        if isinstance(ledger, ClosedLedger):
            body["ledger_hash"] = ledger.hash
            body["ledger_index"] = ledger.index
            body["close_time_iso"] = ripple_time_to_iso(ledger.close_time)
        return body
    body = with_deliver_max({**tx.tx_json, "hash": tx.hash}, ctx.api_version)
    body["metaData"] = meta
    return body


METHODS: Final[dict[str, Handler]] = {
    "ledger": _ledger,
    "ledger_accept": _ledger_accept,
    "ledger_closed": _ledger_closed,
    "ledger_current": _ledger_current,
}
"""This module's methods by name (`app.handle_rpc` looks them up)."""
