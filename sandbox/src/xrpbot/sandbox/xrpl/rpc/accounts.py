"""RPC methods about accounts: ``account_info``, ``account_lines``, ``account_tx``, ``deposit_authorized``."""

from __future__ import annotations

from typing import Any, Final

from xrpl.core.addresscodec import is_valid_classic_address
from xrpl.core.binarycodec import encode

from ..codec import ripple_time_to_iso
from ..constants import LSF_DEPOSIT_AUTH, JsonDict
from ..errors import RpcError
from ..objects import ClosedLedger, LedgerTransaction, OpenLedger
from .context import (
    HEX64,
    UINT32_MAX,
    Context,
    Handler,
    expected_field,
    invalid_field,
    is_uint,
    ledger_fields,
    ledger_from_request,
    meta_json,
    missing_field,
    tx_body,
)

_ACCOUNT_TX_DEFAULT_LIMIT: Final = 200  # RPC::Tuning::accountTx default


_ACCOUNT_FLAGS: Final = (
    ("allowTrustLineClawback", 0x80000000),
    ("allowTrustLineLocking", 0x40000000),
    ("defaultRipple", 0x00800000),
    ("depositAuth", 0x01000000),
    ("disableMasterKey", 0x00100000),
    ("disallowIncomingCheck", 0x08000000),
    ("disallowIncomingNFTokenOffer", 0x04000000),
    ("disallowIncomingPayChan", 0x10000000),
    ("disallowIncomingTrustline", 0x20000000),
    ("disallowIncomingXRP", 0x00080000),
    ("globalFreeze", 0x00400000),
    ("noFreeze", 0x00200000),
    ("passwordSpent", 0x00010000),
    ("requireAuthorization", 0x00040000),
    ("requireDestinationTag", 0x00020000),
)


def _account_param(ctx: Context, *names: str) -> str:
    for name in names:
        if name in ctx.params:
            value = ctx.params[name]
            if not isinstance(value, str):
                raise invalid_field(name)
            return value
    raise missing_field(names[0])


def _account_info(ctx: Context) -> JsonDict:
    """``account_info`` (rippled AccountInfo.cpp).

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/account_info
    """
    address = _account_param(ctx, "account", "ident")
    ledger = ledger_from_request(ctx)
    result = ledger_fields(ledger)
    if not is_valid_classic_address(address):
        return {**result, **RpcError("actMalformed").payload}
    root = ledger.accounts.get(address)
    if root is None:
        return {**result, "account": address, **RpcError("actNotFound").payload}
    queue = bool(ctx.params.get("queue"))
    if queue and isinstance(ledger, ClosedLedger):
        return {**result, **RpcError("invalidParams").payload}
    result["account_data"] = root.to_json()
    result["account_flags"] = {name: bool(root.flags & flag) for name, flag in _ACCOUNT_FLAGS}
    signer_lists = ctx.params.get("signer_lists")
    if ctx.api_version > 1 and signer_lists is not None and not isinstance(signer_lists, bool):
        return {**result, **RpcError("invalidParams").payload}
    if signer_lists:
        # Signer lists are not modelled: every account has none.
        if ctx.api_version == 1:
            result["account_data"]["signer_lists"] = []
        else:
            result["signer_lists"] = []
    if queue:
        result["queue_data"] = {"txn_count": 0}
    return result


def _read_limit(ctx: Context, default: int) -> int:
    """rippled ``readLimitField``; admin connections (all local ones here) get the limit asked for."""
    if "limit" not in ctx.params:
        return default
    value = ctx.params["limit"]
    if not is_uint(value):
        raise expected_field("limit", "unsigned integer")
    return int(value)


def _account_lines(ctx: Context) -> JsonDict:
    """``account_lines``: trust lines are not modelled, so every account has none.

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/account_lines
    """
    address = _account_param(ctx, "account")
    ledger = ledger_from_request(ctx)
    result = ledger_fields(ledger)
    if not is_valid_classic_address(address):
        return {**result, **RpcError("actMalformed").payload}
    peer = ctx.params.get("peer")
    if peer is not None and (not isinstance(peer, str) or not is_valid_classic_address(peer)):
        return {**result, **RpcError("actMalformed").payload}
    _read_limit(ctx, 200)
    if "marker" in ctx.params:
        # There is never a page to resume: no marker can name a line of this account.
        raise RpcError("invalidParams")
    if address not in ledger.accounts:
        raise RpcError("actNotFound")
    result.update(account=address, lines=[])
    return result


def _account_tx(ctx: Context) -> JsonDict:
    """``account_tx`` (rippled AccountTx.cpp): validated transactions affecting an account.

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/account_tx
    """
    params = ctx.params
    engine = ctx.engine
    if ctx.api_version > 1:
        for name in ("binary", "forward"):
            if name in params and not isinstance(params[name], bool):
                raise invalid_field(name)
    limit = _read_limit(ctx, _ACCOUNT_TX_DEFAULT_LIMIT)
    binary = bool(params.get("binary"))
    forward = bool(params.get("forward"))
    address = _account_param(ctx, "account")
    if not is_valid_classic_address(address):
        raise RpcError("actMalformed")

    first, last = engine.first_ledger_index, engine.validated_ledger.index
    has_range = "ledger_index_min" in params or "ledger_index_max" in params
    if ctx.api_version > 1 and has_range and ("ledger_hash" in params or "ledger_index" in params):
        raise RpcError("invalidParams", "invalidParams")
    ledger_min, ledger_max = first, last
    if has_range:
        asked_min = _signed_int(params.get("ledger_index_min", -1))
        asked_max = _signed_int(params.get("ledger_index_max", -1))
        low = asked_min if asked_min >= 0 else 0
        high = asked_max if asked_max >= 0 else UINT32_MAX
        if ctx.api_version > 1 and (
            (high > last and high != UINT32_MAX) or (low < first and low != 0)
        ):
            raise RpcError("lgrIdxMalformed")
        ledger_min = max(first, low)
        ledger_max = min(last, high)
        if ledger_max < ledger_min:
            raise RpcError("lgrIdxsInvalid" if ctx.api_version == 1 else "invalidLgrRange")
    elif "ledger_hash" in params or "ledger_index" in params:
        ledger = _account_tx_single_ledger(ctx)
        if not isinstance(ledger, ClosedLedger):
            raise RpcError("lgrNotValidated")
        ledger_min = ledger_max = ledger.index

    marker: tuple[int, int] | None = None
    if "marker" in params:
        token = params["marker"]
        if not (
            isinstance(token, dict) and is_uint(token.get("ledger")) and is_uint(token.get("seq"))
        ):
            raise RpcError(
                "invalidParams",
                "invalid marker. Provide ledger index via ledger field, and transaction "
                "sequence number via seq field",
            )
        marker = (int(token["ledger"]), int(token["seq"]))

    page, next_marker = engine.account_transactions(
        address,
        ledger_min=ledger_min,
        ledger_max=ledger_max,
        forward=forward,
        limit=limit if limit > 0 else _ACCOUNT_TX_DEFAULT_LIMIT,
        marker=marker,
    )
    result: JsonDict = {
        "account": address,
        "ledger_index_min": ledger_min,
        "ledger_index_max": ledger_max,
        "limit": limit,
        "transactions": [_account_tx_entry(ctx, tx, binary=binary) for tx in page],
        "validated": True,
    }
    if next_marker is not None:
        result["marker"] = {"ledger": next_marker[0], "seq": next_marker[1]}
    return result


def _signed_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            return int(str(value))
        except ValueError:
            return -1
    return value


def _account_tx_single_ledger(ctx: Context) -> ClosedLedger | OpenLedger:
    params = ctx.params
    if "ledger_hash" in params:
        value = params["ledger_hash"]
        if not isinstance(value, str):
            raise RpcError("invalidParams", "ledgerHashNotString")
        if not HEX64.match(value):
            raise RpcError("invalidParams", "ledgerHashMalformed")
        ledger = ctx.engine.ledger_by_hash(value)
        if ledger is None:
            raise RpcError("lgrNotFound", "ledgerNotFound")
        return ledger
    value = params["ledger_index"]
    if is_uint(value):
        found = ctx.engine.ledger_by_index(int(value))
        if found is None:
            raise RpcError("lgrNotFound", "ledgerNotFound")
        return found
    if value in ("current", ""):
        return ctx.engine.open_ledger
    if value in ("closed", "validated"):
        return ctx.engine.validated_ledger
    raise RpcError("invalidParams", "ledger_index string malformed")


def _account_tx_entry(ctx: Context, tx: LedgerTransaction, *, binary: bool) -> JsonDict:
    if binary:
        return {
            "tx_blob": tx.blob,
            "meta_blob" if ctx.api_version > 1 else "meta": encode(dict(tx.meta)),
            "ledger_index": tx.ledger_index,
            "validated": True,
        }
    entry: JsonDict = {"validated": True, "meta": meta_json(tx)}
    if ctx.api_version > 1:
        entry["tx_json"] = tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
        entry["hash"] = tx.hash
        entry["ledger_index"] = tx.ledger_index
        ledger = ctx.engine.ledger_by_index(tx.ledger_index)
        if isinstance(ledger, ClosedLedger):
            entry["ledger_hash"] = ledger.hash
            entry["close_time_iso"] = ripple_time_to_iso(ledger.close_time)
    else:
        entry["tx"] = tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
    return entry


def _deposit_authorized(ctx: Context) -> JsonDict:
    """``deposit_authorized`` (rippled DepositAuthorized.cpp): may the source pay the destination?

    True unless the destination has lsfDepositAuth and is not the source. DepositPreauth
    entries are not modelled (a DepositPreauth transaction answers temDISABLED), so no sender is
    ever preauthorized here, as on a server without the DepositPreauth amendment.

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/deposit_authorized
    """
    addresses = []
    for name in ("source_account", "destination_account"):
        if name not in ctx.params:
            raise missing_field(name)
        value = ctx.params[name]
        if not isinstance(value, str):
            raise expected_field(name, "a string")
        if not is_valid_classic_address(value):
            raise RpcError("actMalformed")
        addresses.append(value)
    source, destination = addresses
    ledger = ledger_from_request(ctx)
    result = ledger_fields(ledger)
    if source not in ledger.accounts:
        return {**result, **RpcError("srcActNotFound").payload}
    root = ledger.accounts.get(destination)
    if root is None:
        return {**result, **RpcError("dstActNotFound").payload}
    authorized = source == destination or not root.flags & LSF_DEPOSIT_AUTH
    result.update(
        source_account=source, destination_account=destination, deposit_authorized=authorized
    )
    return result


METHODS: Final[dict[str, Handler]] = {
    "account_info": _account_info,
    "account_lines": _account_lines,
    "account_tx": _account_tx,
    "deposit_authorized": _deposit_authorized,
}
"""This module's methods by name (`app.handle_rpc` looks them up)."""
