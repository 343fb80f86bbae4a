"""Custodial accounts: addresses the wallet service holds, learnt from wallet.opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["CustodialAccount"]


@dataclass(frozen=True, slots=True)
class CustodialAccount:
    """An address the wallet service holds for a Telegram user."""

    address: str
    telegram_id: int
    username: str | None
    opened_at: datetime
