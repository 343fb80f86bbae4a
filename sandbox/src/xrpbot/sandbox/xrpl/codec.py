"""Identifiers, hashes, times and amounts as rippled computes them (pure functions)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from xrpl.core.addresscodec import decode_classic_address

from .constants import MAX_NATIVE_DROPS, RIPPLE_EPOCH_UNIX


def sha512_half(data: bytes) -> bytes:
    """The first 32 bytes of SHA-512, rippled's hash (https://xrpl.org/docs/references/protocol/data-types/basic-data-types#hashes)."""
    return hashlib.sha512(data).digest()[:32]


def decode_account_id(address: str) -> bytes:
    """The 20-byte AccountID of a classic address."""
    return bytes(decode_classic_address(address))


@lru_cache(maxsize=1 << 16)
def account_root_index(address: str) -> str:
    """The ledger index (key) of an account's AccountRoot: SHA-512Half(0x0061 || AccountID).

    Source: https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot#accountroot-id-format
    """
    return sha512_half(b"\x00a" + decode_account_id(address)).hex().upper()


def transaction_hash(blob: bytes) -> str:
    """The identifying hash of a signed transaction: SHA-512Half("TXN\\0" || blob).

    Source: https://xrpl.org/docs/references/protocol/data-types/basic-data-types#hashes
    """
    return sha512_half(b"TXN\x00" + blob).hex().upper()


def ripple_time_to_human(ripple_seconds: int) -> str:
    """Format seconds since the Ripple Epoch like rippled: ``2025-Dec-19 03:16:00.000000000 UTC``."""
    moment = datetime.fromtimestamp(ripple_seconds + RIPPLE_EPOCH_UNIX, tz=UTC)
    return moment.strftime("%Y-%b-%d %H:%M:%S") + ".000000000 UTC"


def ripple_time_to_iso(ripple_seconds: int) -> str:
    """Format seconds since the Ripple Epoch as ISO 8601, like rippled's ``close_time_iso``."""
    moment = datetime.fromtimestamp(ripple_seconds + RIPPLE_EPOCH_UNIX, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_ctid(ledger_index: int, transaction_index: int, network_id: int) -> str | None:
    """Compact transaction identifier, or None when a part does not fit.

    Source: https://xrpl.org/docs/references/http-websocket-apis/api-conventions/ctid
    """
    if ledger_index >= 0x0FFF_FFFF or transaction_index > 0xFFFF or network_id > 0xFFFF:
        return None
    value = ((0xC000_0000 + ledger_index) << 32) + (transaction_index << 16) + network_id
    return f"{value:016X}"


def decode_ctid(ctid: str) -> tuple[int, int, int] | None:
    """Split a CTID into (ledger_index, transaction_index, network_id), or None if malformed."""
    if len(ctid) != 16 or not ctid.startswith("C"):
        return None
    try:
        value = int(ctid, 16)
    except ValueError:
        return None
    return (value >> 32) & 0x0FFF_FFFF, (value >> 16) & 0xFFFF, value & 0xFFFF


def is_public_key(hex_key: str) -> bool:
    """True for a 33-byte secp256k1 (02/03) or Ed25519 (ED) public key in hex."""
    try:
        raw = bytes.fromhex(hex_key)
    except ValueError:
        return False
    return len(raw) == 33 and raw[0] in (0x02, 0x03, 0xED)


def is_hex(value: Any) -> bool:
    """True for a string of hex digits."""
    if not isinstance(value, str):
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def is_native(amount: Any) -> bool:
    """True for an XRP amount (a string of drops); issued amounts are objects."""
    return isinstance(amount, str)


def amount_sign(amount: Any) -> int:
    """-1, 0 or 1 for an XRP (drops string) or issued-currency amount."""
    try:
        if isinstance(amount, str):
            value = Decimal(int(amount))
        elif isinstance(amount, dict):
            value = Decimal(str(amount.get("value", "0")))
        else:
            return 0
    except (InvalidOperation, ValueError):
        return 0
    return (value > 0) - (value < 0)


def is_legal_amount(amount: Any) -> bool:
    """rippled ``isLegalNet``: XRP amounts must not exceed 100 billion XRP in magnitude."""
    if isinstance(amount, str):
        try:
            return abs(int(amount)) <= MAX_NATIVE_DROPS
        except ValueError:
            return False
    return isinstance(amount, dict)


def asset_of(amount: Any) -> tuple[str, str | None]:
    """The asset of an amount: ("XRP", None), (currency, issuer) or ("MPT:<id>", None)."""
    if isinstance(amount, dict):
        if "mpt_issuance_id" in amount:
            return ("MPT:" + str(amount["mpt_issuance_id"]), None)
        return (str(amount.get("currency")), str(amount.get("issuer")))
    return ("XRP", None)


def eff_close_time(now_ripple: int, resolution: int, parent_close_time: int) -> int:
    """rippled ``effCloseTime``: round to the resolution, and keep it after the parent's."""
    rounded = now_ripple + resolution // 2
    rounded -= rounded % resolution
    return max(rounded, parent_close_time + 1)
