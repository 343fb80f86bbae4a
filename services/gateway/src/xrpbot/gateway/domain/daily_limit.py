"""The daily sending limits /settings offers, and what a limit button asks for. Pure.

Wallet keeps the limit (a rolling 24 hours, WALLET_DAILY_LIMIT_DROPS by default) and refuses
one above its default; the gateway only offers a few lower ones.
"""

from __future__ import annotations

from typing import Final

from xrpbot.parsing import DROPS_PER_XRP

__all__ = [
    "DEFAULT_LIMIT",
    "LIMIT_CHOICES_XRP",
    "UnknownLimitChoice",
    "chosen_limit_drops",
    "offered_limits_drops",
]

LIMIT_CHOICES_XRP: Final = (100, 500, 1_000, 5_000)
"""The own limits offered, in whole XRP (those at most the default are shown)."""
DEFAULT_LIMIT: Final = "default"
"""A limit button's value that goes back to wallet's default."""


class UnknownLimitChoice(ValueError):
    """A limit button's value is none of the choices (a forged or outdated button)."""


def offered_limits_drops(default_drops: int) -> list[int]:
    """The choices (drops) a user with wallet's `default_drops` may pick: those not above it."""
    return [
        xrp * DROPS_PER_XRP for xrp in LIMIT_CHOICES_XRP if xrp * DROPS_PER_XRP <= default_drops
    ]


def chosen_limit_drops(value: str) -> int | None:
    """The own limit a limit button asks for: drops, or None for the default.

    Args:
        value: the button's value: a `LIMIT_CHOICES_XRP` entry as text, or `DEFAULT_LIMIT`.

    Raises:
        UnknownLimitChoice: any other value; nothing is to be asked of wallet.
    """
    if value == DEFAULT_LIMIT:
        return None
    if value in {str(xrp) for xrp in LIMIT_CHOICES_XRP}:
        return int(value) * DROPS_PER_XRP
    raise UnknownLimitChoice(value)
