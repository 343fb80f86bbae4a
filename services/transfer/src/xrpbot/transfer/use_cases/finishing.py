"""A transfer's final state persisted and told: once, by whichever replica decided first."""

from __future__ import annotations

import logging

from ..domain.transfer import Transfer, TransferState
from ..ports import UnitOfWork
from . import replies
from .deps import TransferDeps

__all__ = ["finish", "told"]

log = logging.getLogger("xrpbot.transfer.use_cases.sending")


async def finish(
    uow: UnitOfWork,
    before: Transfer,
    finished: Transfer,
    deps: TransferDeps,
    *,
    remaining_today_drops: int | None = None,
) -> None:
    """Persist a final state decided from `before` (its state and blob) and queue the one reply
    that says so, if the row was still `before` (else another replica decided first)."""
    if await uow.transfers.record_finished(before, finished):
        await told(uow, finished, deps, remaining_today_drops=remaining_today_drops)


async def told(
    uow: UnitOfWork,
    finished: Transfer,
    deps: TransferDeps,
    *,
    remaining_today_drops: int | None = None,
) -> None:
    """Log and count a final state just persisted, and queue its one reply."""
    log.info(
        "transfer %s: %s %s",
        finished.id,
        finished.state.value,
        finished.result or finished.code or "",
    )
    deps.metrics.transfer_finished(finished.state)
    if finished.state is TransferState.VALIDATED:
        await uow.reply(replies.validated(finished))
    else:
        await uow.reply(replies.failed(finished, remaining_today_drops=remaining_today_drops))
