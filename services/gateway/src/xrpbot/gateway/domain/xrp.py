"""XRP's units and limits, and the spendable rule. Pure.

Amounts travel as integer drops (1 XRP = 1,000,000 drops,
https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-currency-amounts).
"""

from __future__ import annotations

from typing import Final

__all__ = ["DROPS_PER_XRP", "MAX_XRP_DROPS", "UINT32_MAX", "XRP_DECIMALS", "spendable_drops"]

DROPS_PER_XRP: Final = 1_000_000
"""Drops in one XRP."""
XRP_DECIMALS: Final = 6
"""1 drop = 0.000001 XRP."""
MAX_XRP_DROPS: Final = 100_000_000_000 * DROPS_PER_XRP
"""XRP's total supply (100 billion XRP): no amount above it can be asked for."""
UINT32_MAX: Final = 4_294_967_295
"""Largest destination tag (UInt32, https://xrpl.org/docs/references/protocol/transactions/types/payment)."""


def spendable_drops(balance_drops: int, reserve_drops: int) -> int:
    """What an account can send: its balance minus the reserve, never below 0 (drops).

    Source: https://xrpl.org/docs/concepts/accounts/reserves — an account below its reserve
    (after a reserve increase) can spend nothing.
    """
    return max(balance_drops - reserve_drops, 0)
