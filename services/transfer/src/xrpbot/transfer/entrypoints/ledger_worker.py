"""The ledger worker: drives sending, settling and the incoming watcher, once per new validated
ledger and at once after a Confirm (a kick). One runs in each transfer replica."""

from __future__ import annotations

from xrpbot.runtime.worker import KickableWorker

from ..ports import CustodyUnavailable, LedgerUnavailable
from ..use_cases import incoming, sending
from ..use_cases.deps import TransferDeps

__all__ = ["LedgerWorker"]


class LedgerWorker(KickableWorker):
    """Looks for a new validated ledger every `poll_seconds` (TRANSFER_LEDGER_POLL_SECONDS).

    On a kick (a Confirm committed) it sends confirmed transfers at once; on a new validated
    ledger it also settles unfinished ones and reads the new ledgers for incoming payments.
    Expected outages (ledger, wallet) are logged without a traceback and retried after 1 s.

    Args:
        deps: the use cases' dependencies.
        poll_seconds: the longest time between two looks at the ledger.
    """

    def __init__(self, deps: TransferDeps, *, poll_seconds: float = 0.25) -> None:
        super().__init__(
            "ledger-worker",
            poll_seconds=poll_seconds,
            quiet=(LedgerUnavailable, CustodyUnavailable),
            pause_after_error=1.0,
        )
        self.deps = deps
        self._last_validated = 0

    async def step(self, kicked: bool) -> None:
        """Send at once after a Confirm; settle and watch on each new validated ledger. While
        the ledger does not answer, confirmed transfers past their signing deadline are still
        given up (`sending.give_up_overdue`), so the user is told."""
        try:
            validated = await self.deps.ledger.validated_index()
        except LedgerUnavailable:
            await sending.give_up_overdue(self.deps)
            raise
        new_ledger = validated != self._last_validated
        self._last_validated = validated
        again = False
        if new_ledger or kicked:  # a Confirm: send at once, before the next ledger
            again |= await sending.send_confirmed(validated, self.deps)
        if new_ledger:  # outcomes and incoming payments change only with a ledger
            again |= await sending.settle_unfinished(validated, self.deps)
            again |= await incoming.watch(validated, self.deps)
        if again:
            self.kick()

    async def run_once(self, validated: int) -> None:
        """One full pass: send confirmed transfers, settle unfinished ones, read new ledgers.

        Args:
            validated: the latest validated ledger index, read before this pass.
        """
        again = await sending.send_confirmed(validated, self.deps)
        again |= await sending.settle_unfinished(validated, self.deps)
        again |= await incoming.watch(validated, self.deps)
        if again:
            self.kick()
