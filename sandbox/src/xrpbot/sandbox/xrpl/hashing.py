"""Ledger hashes: the header hash as rippled computes it, stand-in digests for the SHAMap roots."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from .codec import sha512_half
from .constants import CLOSE_TIME_RESOLUTION, ZERO_HASH
from .objects import AccountRoot, LedgerTransaction


def ledger_hash(
    *,
    index: int,
    total_coins_drops: int,
    parent_hash: str,
    transaction_hash: str,
    account_hash: str,
    parent_close_time: int,
    close_time: int,
) -> str:
    """A closed ledger's hash: SHA-512Half of its header, laid out as rippled's calculateLedgerHash.

    Source: https://xrpl.org/docs/references/protocol/ledger-data/ledger-header
    """
    header = (
        b"LWR\x00"
        + index.to_bytes(4, "big")
        + total_coins_drops.to_bytes(8, "big")
        + bytes.fromhex(parent_hash)
        + bytes.fromhex(transaction_hash)
        + bytes.fromhex(account_hash)
        + parent_close_time.to_bytes(4, "big")
        + close_time.to_bytes(4, "big")
        + CLOSE_TIME_RESOLUTION.to_bytes(1, "big")
        + b"\x00"
    )
    return sha512_half(header).hex().upper()


def transactions_digest(transactions: Iterable[LedgerTransaction]) -> str:
    """Stand-in for the transaction SHAMap root; an empty map hashes to zero, as in rippled."""
    items = sorted(transactions, key=lambda tx: tx.hash)
    if not items:
        return ZERO_HASH
    digest = hashlib.sha512(b"SND\x00")
    for tx in items:
        digest.update(bytes.fromhex(tx.hash))
        digest.update(repr(sorted(tx.meta.items())).encode())
    return digest.digest()[:32].hex().upper()


class StateDigest:
    """Stand-in for the state SHAMap root: a digest of the sum of every entry's digest.

    Kept incrementally (only entries a close changed are rehashed), so a close costs
    O(changes), not O(accounts).
    """

    def __init__(self) -> None:
        self._entry_digests: dict[str, int] = {}
        self._state_sum = 0

    def update(self, accounts: Mapping[str, AccountRoot], changed: Iterable[str] | None) -> str:
        """The digest of ``accounts``; ``changed`` names the entries changed since the last
        call (None: rehash every entry)."""
        if changed is None:
            self._entry_digests = {a: _entry_digest(r) for a, r in accounts.items()}
            self._state_sum = sum(self._entry_digests.values()) % (1 << 256)
        else:
            total = self._state_sum
            for address in changed:
                total -= self._entry_digests.pop(address, 0)
                root = accounts.get(address)
                if root is not None:
                    digest = _entry_digest(root)
                    self._entry_digests[address] = digest
                    total += digest
            self._state_sum = total % (1 << 256)
        return sha512_half(b"MLN\x00" + self._state_sum.to_bytes(32, "big")).hex().upper()


def _entry_digest(root: AccountRoot) -> int:
    body = repr(sorted(root.to_json().items())).encode()
    return int.from_bytes(sha512_half(bytes.fromhex(root.index) + body), "big")
