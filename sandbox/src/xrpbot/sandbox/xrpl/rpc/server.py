"""RPC methods about the server: ``server_info``, ``server_state``, ``fee``."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Final

from xrpl.core.addresscodec import encode_node_public_key
from xrpl.core.keypairs import derive_keypair

from ..constants import GENESIS_SEED, JsonDict
from .context import Context, Handler

_NODE_PUBLIC_KEY: Final = encode_node_public_key(
    bytes.fromhex(derive_keypair(GENESIS_SEED, validator=True)[0])
)


def _xrp_number(drops: int) -> int | float:
    """XRP as a JSON number (``server_info`` shows XRP, not drops)."""
    value = Decimal(drops) / Decimal(1_000_000)
    return int(value) if value == value.to_integral_value() else float(value)


def _server_info(ctx: Context) -> JsonDict:
    """``server_info`` (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/server_info)."""
    return {"info": _server_status(ctx, in_xrp=True)}


def _server_state(ctx: Context) -> JsonDict:
    """``server_state``: ``server_info`` with fees and reserves in drops."""
    return {"state": _server_status(ctx, in_xrp=False)}


def _server_status(ctx: Context, *, in_xrp: bool) -> JsonDict:
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


def _fee(ctx: Context) -> JsonDict:
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


METHODS: Final[dict[str, Handler]] = {
    "server_info": _server_info,
    "server_state": _server_state,
    "fee": _fee,
}
"""This module's methods by name (`app.handle_rpc` looks them up)."""
