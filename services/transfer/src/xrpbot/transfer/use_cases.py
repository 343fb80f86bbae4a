"""Transfer use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xrpbot.schemas import WalletOpened

from .domain import CustodialAccount
from .ports import UnitOfWork

__all__ = ["TransferDeps", "record_wallet_opened"]


@dataclass(frozen=True)
class TransferDeps:
    """Everything the use cases need, built once by the composition root."""

    new_uow: Callable[[], UnitOfWork]


async def record_wallet_opened(event: WalletOpened, deps: TransferDeps) -> None:
    """Remember a new custodial address so incoming payments to it can be attributed."""
    async with deps.new_uow() as uow:
        if not await uow.claim(event):
            return
        await uow.accounts.add(
            CustodialAccount(
                address=event.address,
                telegram_id=event.user.telegram_id,
                username=event.user.username,
                opened_at=event.occurred_at,
            )
        )
        await uow.commit()
