"""XRP's spendable rule. Pure.

Amounts travel as integer drops (1 XRP = 1,000,000 drops,
https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-currency-amounts);
XRP's units and limits are `xrpbot.parsing`'s (`DROPS_PER_XRP`, `MAX_DROPS`, `UINT32_MAX`).
"""

from __future__ import annotations

__all__ = ["spendable_drops"]


def spendable_drops(balance_drops: int, reserve_drops: int) -> int:
    """What an account can send: its balance minus the reserve, never below 0 (drops).

    Source: https://xrpl.org/docs/concepts/accounts/reserves — an account below its reserve
    (after a reserve increase) can spend nothing.
    """
    return max(balance_drops - reserve_drops, 0)
