"""aiohttp apps for the sandbox's XRP Ledger: rippled's JSON-RPC, a Testnet-style faucet, a closer.

- ``create_rpc_app(engine)``: rippled's JSON-RPC API on ``POST /``
  (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/request-formatting),
  answering like a stand-alone rippled whose every local client is an admin: ``server_info``,
  ``server_state``, ``fee``, ``ledger``, ``ledger_current``, ``ledger_closed``, ``account_info``,
  ``account_lines``, ``account_tx``, ``tx``, ``submit`` and ``ledger_accept``. Responses follow
  rippled's API v1 or v2 depending on the request's ``api_version`` (v1 when absent; xrpl-py 5.x
  sends 2). Errors use rippled's error format, with the request copied back
  (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/error-formatting).
- ``create_faucet_app(engine)``: ``POST /accounts`` like the XRPL Testnet faucet
  (``xpring-eng/testnet-faucet``), paying from the genesis account with a real signed Payment.
- ``ledger_closer(engine, interval_seconds)``: closes a ledger every interval, like a network
  would; with 0 it returns at once and only ``ledger_accept`` closes ledgers.

Amounts are drops (int) everywhere; the few XRP-denominated fields of ``server_info`` are
converted only when rendered.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, Final

from aiohttp import web
from xrpl.core.addresscodec import (
    classic_address_to_xaddress,
    encode_node_public_key,
    is_valid_classic_address,
    is_valid_xaddress,
    xaddress_to_classic_address,
)
from xrpl.core.binarycodec import encode
from xrpl.core.keypairs import derive_keypair
from xrpl.models.transactions import Payment
from xrpl.transaction import sign
from xrpl.wallet import Wallet

from xrpbot.sandbox.ledger import (
    GENESIS_ADDRESS,
    GENESIS_SEED,
    ClosedLedger,
    LedgerEngine,
    LedgerTransaction,
    OpenLedger,
    PendingTransaction,
    RpcError,
    decode_ctid,
    encode_ctid,
    ripple_time_to_human,
    ripple_time_to_iso,
)

__all__ = [
    "DEFAULT_FAUCET_XRP",
    "SUPPORTED_METHODS",
    "create_faucet_app",
    "create_rpc_app",
    "handle_rpc",
    "ledger_closer",
]

JsonDict = dict[str, Any]
_log = logging.getLogger(__name__)

#: XRP the faucet sends when the request names no ``xrpAmount``. The Testnet faucet answers
#: ``"amount": 100`` today (a recorded answer is in tests/fixtures/xrpl/faucet_accounts.json).
DEFAULT_FAUCET_XRP: Final = 100
_FAUCET_MAX_XRP: Final = 1_000_000  # MAX_AMOUNT of the Testnet faucet
_LEDGER_OFFSET: Final = 20  # the faucet lets xrpl.js autofill LastLedgerSequence = validated + 20
_API_VERSION_UNSPECIFIED: Final = 1
_API_VERSION_MAX: Final = 2
_ACCOUNT_TX_DEFAULT_LIMIT: Final = 200  # RPC::Tuning::accountTx default
_TX_MAX_RANGE: Final = 1000
_UINT32_MAX: Final = 0xFFFF_FFFF
_SECRET_FIELDS: Final = ("passphrase", "secret", "seed", "seed_hex")
_HEX64 = re.compile(r"^[0-9A-Fa-f]{64}$")
_NODE_PUBLIC_KEY: Final = encode_node_public_key(
    bytes.fromhex(derive_keypair(GENESIS_SEED, validator=True)[0])
)
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


def _dumps(value: Any) -> str:
    # rippled's JSON objects are std::maps: keys come out sorted; its writer is compact.
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _missing_field(name: str) -> RpcError:
    return RpcError("invalidParams", f"Missing field '{name}'.")


def _invalid_field(name: str) -> RpcError:
    return RpcError("invalidParams", f"Invalid field '{name}'.")


def _expected_field(name: str, kind: str) -> RpcError:
    return RpcError("invalidParams", f"Invalid field '{name}', not {kind}.")


def _is_uint(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _xrp_number(drops: int) -> int | float:
    """XRP as a JSON number (``server_info`` shows XRP, not drops)."""
    value = Decimal(drops) / Decimal(1_000_000)
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True, slots=True)
class _Context:
    engine: LedgerEngine
    params: JsonDict
    api_version: int
    port: int | None


_Handler = Callable[[_Context], JsonDict]


# --- ledger selection (rippled RPCLedgerHelpers.cpp) ---------------------------------------------


def _ledger_from_index(ctx: _Context, value: Any, field: str) -> ClosedLedger | OpenLedger:
    text = str(value)
    if text in ("current", ""):
        return ctx.engine.open_ledger
    if text in ("validated", "closed"):
        return ctx.engine.validated_ledger
    if not text.isdigit() or int(text) > _UINT32_MAX:
        raise _expected_field(field, "string or number")
    ledger = ctx.engine.ledger_by_index(int(text))
    if ledger is None:
        raise RpcError("lgrNotFound", "ledgerNotFound")
    return ledger


def _ledger_from_hash(ctx: _Context, value: Any, field: str) -> ClosedLedger:
    if not isinstance(value, str) or not _HEX64.match(value):
        raise _expected_field(field, "hex string")
    ledger = ctx.engine.ledger_by_hash(value)
    if ledger is None:
        raise RpcError("lgrNotFound", "ledgerNotFound")
    return ledger


def _ledger_from_request(ctx: _Context) -> ClosedLedger | OpenLedger:
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
            raise _expected_field("ledger", "string or number")
        if isinstance(legacy, str) and len(legacy) == 64:
            return _ledger_from_hash(ctx, legacy, "ledger")
        return _ledger_from_index(ctx, legacy, "ledger")
    if has_hash:
        return _ledger_from_hash(ctx, params["ledger_hash"], "ledger_hash")
    if has_index:
        index = params["ledger_index"]
        if isinstance(index, bool) or not isinstance(index, str | int):
            raise _expected_field("ledger_index", "string or number")
        return _ledger_from_index(ctx, index, "ledger_index")
    return ctx.engine.open_ledger


def _ledger_fields(ledger: ClosedLedger | OpenLedger) -> JsonDict:
    """``lookupLedger``'s result fields: hash and index of a closed ledger, or the current index."""
    if isinstance(ledger, ClosedLedger):
        return {"ledger_hash": ledger.hash, "ledger_index": ledger.index, "validated": True}
    return {"ledger_current_index": ledger.index, "validated": False}


# --- transaction rendering --------------------------------------------------------------------


def _meta_json(tx: LedgerTransaction) -> JsonDict:
    """Stored metadata plus ``delivered_amount`` for successful payments (rippled DeliveredAmount.cpp).

    Source: https://xrpl.org/docs/references/protocol/transactions/metadata#delivered_amount
    """
    meta = dict(tx.meta)
    if tx.transaction_type == "Payment" and tx.result == "tesSUCCESS":
        meta["delivered_amount"] = meta.get("DeliveredAmount", tx.tx_json["Amount"])
    return meta


def _with_deliver_max(body: JsonDict, api_version: int) -> JsonDict:
    """rippled ``insertDeliverMax``: Payments show ``DeliverMax``; API v2 drops ``Amount``."""
    if body.get("TransactionType") == "Payment" and "Amount" in body:
        body["DeliverMax"] = body["Amount"]
        if api_version > 1:
            del body["Amount"]
    return body


def _tx_body(
    ctx: _Context,
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
    return _with_deliver_max(body, ctx.api_version)


# --- methods ----------------------------------------------------------------------------------


def _server_info(ctx: _Context) -> JsonDict:
    """``server_info`` (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/server_info)."""
    return {"info": _server_status(ctx, in_xrp=True)}


def _server_state(ctx: _Context) -> JsonDict:
    """``server_state``: ``server_info`` with fees and reserves in drops."""
    return {"state": _server_status(ctx, in_xrp=False)}


def _server_status(ctx: _Context, *, in_xrp: bool) -> JsonDict:
    engine = ctx.engine
    validated = engine.validated_ledger
    now = engine.now()
    uptime = max(0, int(now - engine.started_at))
    duration_us = str(uptime * 1_000_000)
    info: JsonDict = {
        "build_version": engine.build_version,
        "complete_ledgers": f"{engine.first_ledger_index}-{validated.index}",
        "hostid": "XRPBOT",
        "initial_sync_duration_us": "0",
        "io_latency_ms": 1,
        "jq_trans_overflow": "0",
        "last_close": {"converge_time_s" if in_xrp else "converge_time": 0, "proposers": 0},
        "peer_disconnects": "0",
        "peer_disconnects_resources": "0",
        "peers": 0,
        "ports": [] if ctx.port is None else [{"port": str(ctx.port), "protocol": ["http"]}],
        "pubkey_node": _NODE_PUBLIC_KEY,
        "server_state": "full",
        "server_state_duration_us": duration_us,
        "state_accounting": {
            "connected": {"duration_us": "0", "transitions": "0"},
            "disconnected": {"duration_us": "0", "transitions": "0"},
            "full": {"duration_us": duration_us, "transitions": "1"},
            "syncing": {"duration_us": "0", "transitions": "0"},
            "tracking": {"duration_us": "0", "transitions": "0"},
        },
        "time": datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%b-%d %H:%M:%S.%f UTC"),
        "uptime": uptime,
        "validation_quorum": 0,
    }
    if engine.network_id is not None:
        info["network_id"] = engine.network_id
    age = max(0, engine.now_ripple() - validated.close_time)
    if in_xrp:
        info["load_factor"] = 1
        info["validated_ledger"] = {
            "age": age,
            "base_fee_xrp": _xrp_number(engine.base_fee_drops),
            "hash": validated.hash,
            "reserve_base_xrp": _xrp_number(engine.reserve_base_drops),
            "reserve_inc_xrp": _xrp_number(engine.reserve_inc_drops),
            "seq": validated.index,
        }
    else:
        info.update(
            load_base=256,
            load_factor=256,
            load_factor_fee_escalation=256,
            load_factor_fee_queue=256,
            load_factor_fee_reference=256,
            load_factor_server=256,
        )
        info["validated_ledger"] = {
            "base_fee": engine.base_fee_drops,
            "close_time": validated.close_time,
            "hash": validated.hash,
            "reserve_base": engine.reserve_base_drops,
            "reserve_inc": engine.reserve_inc_drops,
            "seq": validated.index,
        }
    return info


def _fee(ctx: _Context) -> JsonDict:
    """``fee``: no queue and no escalation, so every level is the reference level (drops are strings).

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/fee;
    stand-alone TxQ defaults: 1000 expected transactions, a 20-ledger queue, median 500x reference.
    """
    engine = ctx.engine
    base = engine.base_fee_drops
    return {
        "current_ledger_size": str(len(engine.open_ledger.transactions)),
        "current_queue_size": "0",
        "drops": {
            "base_fee": str(base),
            "median_fee": str(base * 500),
            "minimum_fee": str(base),
            "open_ledger_fee": str(base),
        },
        "expected_ledger_size": "1000",
        "ledger_current_index": engine.open_ledger.index,
        "levels": {
            "median_level": "128000",
            "minimum_level": "256",
            "open_ledger_level": "256",
            "reference_level": "256",
        },
        "max_queue_size": "20000",
    }


def _ledger_current(ctx: _Context) -> JsonDict:
    """``ledger_current``: the index of the open ledger."""
    return {"ledger_current_index": ctx.engine.open_ledger.index}


def _ledger_closed(ctx: _Context) -> JsonDict:
    """``ledger_closed``: hash and index of the last closed ledger."""
    closed = ctx.engine.closed_ledger
    return {"ledger_hash": closed.hash, "ledger_index": closed.index}


def _ledger_accept(ctx: _Context) -> JsonDict:
    """``ledger_accept`` (admin, stand-alone only): close the open ledger and report the new one.

    Source: https://xrpl.org/docs/references/http-websocket-apis/admin-api-methods/server-control-methods/ledger_accept
    """
    ctx.engine.close_ledger()
    return {"ledger_current_index": ctx.engine.open_ledger.index}


def _ledger(ctx: _Context) -> JsonDict:
    """``ledger`` (rippled LedgerHandler.cpp and LedgerToJson.cpp)."""
    ledger = _ledger_from_request(ctx)
    result = _ledger_fields(ledger)
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
    ctx: _Context, ledger: ClosedLedger | OpenLedger, tx: LedgerTransaction, *, binary: bool
) -> JsonDict:
    meta = _meta_json(tx)
    if binary:
        body: JsonDict = {"tx_blob": tx.blob}
        if ctx.api_version > 1:
            body["hash"] = tx.hash
        body["meta_blob" if ctx.api_version > 1 else "meta"] = encode(dict(tx.meta))
        return body
    if ctx.api_version > 1:
        body = {
            "tx_json": _with_deliver_max(dict(tx.tx_json), ctx.api_version),
            "hash": tx.hash,
            "meta": meta,
            "validated": ledger.closed,
        }
        if isinstance(ledger, ClosedLedger):
            body["ledger_hash"] = ledger.hash
            body["ledger_index"] = ledger.index
            body["close_time_iso"] = ripple_time_to_iso(ledger.close_time)
        return body
    body = _with_deliver_max({**tx.tx_json, "hash": tx.hash}, ctx.api_version)
    body["metaData"] = meta
    return body


def _account_param(ctx: _Context, *names: str) -> str:
    for name in names:
        if name in ctx.params:
            value = ctx.params[name]
            if not isinstance(value, str):
                raise _invalid_field(name)
            return value
    raise _missing_field(names[0])


def _account_info(ctx: _Context) -> JsonDict:
    """``account_info`` (rippled AccountInfo.cpp).

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/account_info
    """
    address = _account_param(ctx, "account", "ident")
    ledger = _ledger_from_request(ctx)
    result = _ledger_fields(ledger)
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


def _read_limit(ctx: _Context, default: int) -> int:
    """rippled ``readLimitField``; admin connections (all local ones here) get the limit asked for."""
    if "limit" not in ctx.params:
        return default
    value = ctx.params["limit"]
    if not _is_uint(value):
        raise _expected_field("limit", "unsigned integer")
    return int(value)


def _account_lines(ctx: _Context) -> JsonDict:
    """``account_lines``: trust lines are not modelled, so every account has none.

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/account_lines
    """
    address = _account_param(ctx, "account")
    ledger = _ledger_from_request(ctx)
    result = _ledger_fields(ledger)
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


def _account_tx(ctx: _Context) -> JsonDict:
    """``account_tx`` (rippled AccountTx.cpp): validated transactions affecting an account.

    Source: https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/account-methods/account_tx
    """
    params = ctx.params
    engine = ctx.engine
    if ctx.api_version > 1:
        for name in ("binary", "forward"):
            if name in params and not isinstance(params[name], bool):
                raise _invalid_field(name)
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
        high = asked_max if asked_max >= 0 else _UINT32_MAX
        if ctx.api_version > 1 and (
            (high > last and high != _UINT32_MAX) or (low < first and low != 0)
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
            isinstance(token, dict)
            and _is_uint(token.get("ledger"))
            and _is_uint(token.get("seq"))
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


def _account_tx_single_ledger(ctx: _Context) -> ClosedLedger | OpenLedger:
    params = ctx.params
    if "ledger_hash" in params:
        value = params["ledger_hash"]
        if not isinstance(value, str):
            raise RpcError("invalidParams", "ledgerHashNotString")
        if not _HEX64.match(value):
            raise RpcError("invalidParams", "ledgerHashMalformed")
        ledger = ctx.engine.ledger_by_hash(value)
        if ledger is None:
            raise RpcError("lgrNotFound", "ledgerNotFound")
        return ledger
    value = params["ledger_index"]
    if _is_uint(value):
        found = ctx.engine.ledger_by_index(int(value))
        if found is None:
            raise RpcError("lgrNotFound", "ledgerNotFound")
        return found
    if value in ("current", ""):
        return ctx.engine.open_ledger
    if value in ("closed", "validated"):
        return ctx.engine.validated_ledger
    raise RpcError("invalidParams", "ledger_index string malformed")


def _account_tx_entry(ctx: _Context, tx: LedgerTransaction, *, binary: bool) -> JsonDict:
    if binary:
        return {
            "tx_blob": tx.blob,
            "meta_blob" if ctx.api_version > 1 else "meta": encode(dict(tx.meta)),
            "ledger_index": tx.ledger_index,
            "validated": True,
        }
    entry: JsonDict = {"validated": True, "meta": _meta_json(tx)}
    if ctx.api_version > 1:
        entry["tx_json"] = _tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
        entry["hash"] = tx.hash
        entry["ledger_index"] = tx.ledger_index
        ledger = ctx.engine.ledger_by_index(tx.ledger_index)
        if isinstance(ledger, ClosedLedger):
            entry["ledger_hash"] = ledger.hash
            entry["close_time_iso"] = ripple_time_to_iso(ledger.close_time)
    else:
        entry["tx"] = _tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
    return entry


def _tx(ctx: _Context) -> JsonDict:
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
        if not isinstance(value, str) or not _HEX64.match(value):
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
        if not (_is_uint(low) and _is_uint(high)):
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


def _tx_validated(ctx: _Context, tx: LedgerTransaction, *, binary: bool) -> JsonDict:
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
            result["tx_json"] = _tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
            result["meta"] = _meta_json(tx)
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
        result = _tx_body(ctx, tx.tx_json, tx.hash, in_ledger=tx)
        result["meta"] = _meta_json(tx)
    result["validated"] = True
    if ctid is not None:
        result["ctid"] = ctid
    return result


def _tx_pending(ctx: _Context, tx: PendingTransaction, *, binary: bool) -> JsonDict:
    if ctx.api_version > 1:
        result: JsonDict = (
            {"tx_blob": tx.blob}
            if binary
            else {"tx_json": _tx_body(ctx, tx.tx_json, tx.hash, in_ledger=None)}
        )
        result["hash"] = tx.hash
    elif binary:
        result = {"tx": tx.blob, "hash": tx.hash}
    else:
        result = _tx_body(ctx, tx.tx_json, tx.hash, in_ledger=None)
    result["validated"] = False
    return result


def _submit(ctx: _Context) -> JsonDict:
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


_METHODS: Final[dict[str, _Handler]] = {
    "account_info": _account_info,
    "account_lines": _account_lines,
    "account_tx": _account_tx,
    "fee": _fee,
    "ledger": _ledger,
    "ledger_accept": _ledger_accept,
    "ledger_closed": _ledger_closed,
    "ledger_current": _ledger_current,
    "server_info": _server_info,
    "server_state": _server_state,
    "submit": _submit,
    "tx": _tx,
}
#: JSON-RPC methods the stand-in answers; anything else is ``unknownCmd``.
SUPPORTED_METHODS: Final = frozenset(_METHODS)


def handle_rpc(
    engine: LedgerEngine,
    method: str,
    params: JsonDict,
    *,
    api_version: int = _API_VERSION_UNSPECIFIED,
    port: int | None = None,
) -> JsonDict:
    """Answer one rippled API call; returns the ``result`` object, with ``status``.

    Errors come back in rippled's JSON-RPC error format: ``error``, ``error_code``,
    ``error_message`` (when rippled sends them), ``status: "error"`` and the request copied into
    ``request`` with ``command`` and secrets masked
    (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/error-formatting).
    """
    handler = _METHODS.get(method)
    try:
        if handler is None:
            raise RpcError("unknownCmd")
        result = handler(_Context(engine, params, api_version, port))
    except RpcError as error:
        result = dict(error.payload)
    if "error" in result:
        request = dict(params)
        for name in _SECRET_FIELDS:
            if name in request:
                request[name] = "<masked>"
        request["command"] = method
        result["request"] = request
        result["status"] = "error"
    else:
        result["status"] = "success"
    return result


def _api_version(params: Any) -> int | None:
    """rippled ``getAPIVersionNumber``: None means an invalid version."""
    if not isinstance(params, dict) or "api_version" not in params:
        return _API_VERSION_UNSPECIFIED
    value = params["api_version"]
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if not 1 <= value <= _API_VERSION_MAX:
        return None
    return value


def create_rpc_app(engine: LedgerEngine) -> web.Application:
    """An aiohttp app serving rippled's JSON-RPC API for ``engine`` on ``POST /``.

    HTTP-level failures answer as rippled's ServerHandler does (400 with a plain-text reason:
    ``Unable to parse request``, ``Null method``, ``method is not string``, ``params unparsable``,
    ``invalid_API_version``); everything else is HTTP 200 with a JSON body.
    """
    app = web.Application()

    async def handle(request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError as exc:
            return web.Response(status=400, text=f"Unable to parse request: {exc}")
        if not isinstance(body, dict) or not body:
            return web.Response(status=400, text="Unable to parse request: not an object")
        params_list = body.get("params")
        first = params_list[0] if isinstance(params_list, list) and params_list else None
        api_version = _api_version(first)
        if api_version is None:
            return web.Response(status=400, text="invalid_API_version")
        method = body.get("method")
        if method is None:
            return web.Response(status=400, text="Null method")
        if not isinstance(method, str):
            return web.Response(status=400, text="method is not string")
        if not method:
            return web.Response(status=400, text="method is empty")
        if params_list is None:
            params: JsonDict = {}
        elif (
            not isinstance(params_list, list)
            or len(params_list) != 1
            or not isinstance(params_list[0], dict | None)
        ):
            return web.Response(status=400, text="params unparsable")
        else:
            params = dict(params_list[0] or {})
        port = request.url.port
        result = handle_rpc(engine, method, params, api_version=api_version, port=port)
        reply: JsonDict = {"result": result}
        for name in ("jsonrpc", "ripplerpc", "id"):
            if name in params:
                reply[name] = params[name]
        return web.json_response(reply, dumps=_dumps)

    app.router.add_post("/", handle)
    return app


# --- faucet -----------------------------------------------------------------------------------


def create_faucet_app(
    engine: LedgerEngine, *, default_xrp_amount: int = DEFAULT_FAUCET_XRP
) -> web.Application:
    """An aiohttp app answering ``POST /accounts`` like the XRPL Testnet faucet.

    Body (JSON, optional): ``destination`` (classic address or X-address; without it a new
    wallet is generated and its ``seed`` returned) and ``xrpAmount`` (whole XRP as a string,
    at most 1,000,000). The faucet signs a Payment from the genesis account with xrpl-py and
    submits it through ``engine.submit`` like any client, so the new balance shows in the next
    validated ledger. Answer: ``{"account": {"xAddress", "classicAddress", "address"},
    "amount": <XRP>, "transactionHash": ..., "seed"?}``; a bad destination is HTTP 400
    ``{"error": "Invalid destination"}``. Source: the faucet's ``src/routes/accounts.ts``
    (xpring-eng/testnet-faucet) and https://xrpl.org/resources/dev-tools/xrp-faucets.
    """
    app = web.Application()
    genesis = Wallet.from_seed(GENESIS_SEED)
    dumps = partial(json.dumps, separators=(",", ":"))

    async def accounts(request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return web.json_response({"error": "Invalid JSON"}, status=400, dumps=dumps)
        if not isinstance(body, dict):
            body = {}
        seed: str | None = None
        tag: int | None = None
        destination = body.get("destination")
        if destination:
            account, tag = _faucet_destination(destination)
            if account is None:
                return web.json_response({"error": "Invalid destination"}, status=400, dumps=dumps)
        else:
            wallet = Wallet.create()
            seed = wallet.seed
            account = {
                "xAddress": classic_address_to_xaddress(wallet.address, None, False),
                "address": wallet.address,
                "classicAddress": wallet.address,
            }
        amount_xrp = default_xrp_amount
        requested = body.get("xrpAmount")
        if requested:
            text = str(requested)
            if not text.isdigit():
                return web.json_response(
                    {"error": "Invalid amount", "detail": "Must be an integer"},
                    status=400,
                    dumps=dumps,
                )
            if int(text) > _FAUCET_MAX_XRP:
                return web.json_response({"error": "Invalid amount"}, status=400, dumps=dumps)
            amount_xrp = int(text)

        root = engine.open_ledger.accounts.get(GENESIS_ADDRESS)
        payment = Payment(
            account=GENESIS_ADDRESS,
            destination=account["classicAddress"],
            amount=str(amount_xrp * 1_000_000),
            destination_tag=tag,
            sequence=root.sequence if root is not None else 1,
            fee=str(engine.base_fee_drops),
            last_ledger_sequence=engine.validated_ledger.index + _LEDGER_OFFSET,
        )
        signed = sign(payment, genesis)
        try:
            outcome = engine.submit(encode(signed.to_xrpl()))
        except RpcError:
            _log.exception("faucet payment was refused")
            return web.json_response(
                {"error": "Unable to fund account. Try again later", "account": account},
                status=500,
                dumps=dumps,
            )
        if outcome.engine_result not in ("tesSUCCESS", "terQUEUED"):
            _log.warning("faucet payment got %s", outcome.engine_result)
            return web.json_response(
                {"error": "Failed to fund account", "account": account}, status=503, dumps=dumps
            )
        answer: JsonDict = {
            "account": account,
            "amount": amount_xrp,
            "transactionHash": outcome.tx_json["hash"],
        }
        if seed is not None:
            answer["seed"] = seed
        return web.json_response(answer, dumps=dumps)

    app.router.add_post("/accounts", accounts)
    return app


def _faucet_destination(destination: Any) -> tuple[JsonDict | None, int | None]:
    """Destination account for the faucet answer (``getDestinationAccount``), or (None, None)."""
    if not isinstance(destination, str):
        return None, None
    if is_valid_xaddress(destination):
        classic, tag, _ = xaddress_to_classic_address(destination)
        account: JsonDict = {
            "xAddress": destination,
            "classicAddress": classic,
            "address": classic,
        }
        if tag is not None:
            account["tag"] = tag
        return account, tag
    if is_valid_classic_address(destination):
        return {
            "xAddress": classic_address_to_xaddress(destination, None, True),
            "classicAddress": destination,
            "address": destination,
        }, None
    return None, None


# --- ledger closer ----------------------------------------------------------------------------


async def ledger_closer(
    engine: LedgerEngine,
    interval_seconds: float,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Close (and so validate) a ledger every ``interval_seconds``, forever.

    With ``interval_seconds <= 0`` it returns at once: ledgers then close only on
    ``ledger_accept``, as with a stand-alone rippled. Run it as a task and cancel it to stop.
    """
    if interval_seconds <= 0:
        return
    loop = asyncio.get_running_loop()
    next_close = loop.time() + interval_seconds
    while True:
        await sleep(max(0.0, next_close - loop.time()))
        try:
            engine.close_ledger()
        except Exception:  # a failed close must not stop the clock
            _log.exception("ledger close failed")
        next_close += interval_seconds
        if next_close < loop.time():
            next_close = loop.time() + interval_seconds
