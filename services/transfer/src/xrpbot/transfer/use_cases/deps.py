"""What every transfer use case is given: the ports and the tuning, built once by `app.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ..ports import Clock, Custody, Ledger, TransferMetrics, UnitOfWork

__all__ = ["TransferDeps"]


@dataclass(frozen=True)
class TransferDeps:
    """Everything the use cases need, built once by the composition root.

    Attributes:
        new_uow: opens a unit of work on the transfer schema.
        ledger: rippled JSON-RPC.
        custody: the wallet service (signing, @username resolution).
        clock: the time of day.
        metrics: outcomes and the watcher's progress.
        quote_ttl: how long a quote can be confirmed (TRANSFER_QUOTE_TTL_SECONDS).
        sign_deadline: how long after its Confirm a payment may still be signed; past it, a
            payment not signed yet is given up, nothing sent (TRANSFER_SIGN_DEADLINE_SECONDS).
        username_stale_after: a quote to a @username last seen with its holder longer ago
            than this says so (TRANSFER_USERNAME_STALE_DAYS).
        test_network: the ledger is a test network, so X-addresses must be T… ones; False
            on Mainnet (XRPL_NETWORK).
        max_fee_drops: the most paid as a network fee (TRANSFER_MAX_FEE_DROPS).
        last_ledger_offset: LastLedgerSequence = validated ledger + this, in ledgers
            (TRANSFER_LAST_LEDGER_OFFSET).
        max_ledgers_per_pass: how many ledgers the watcher reads before settling again.
        concurrency: transfers (of different accounts) handled at once.
        on_confirmed: wakes the ledger worker after a Confirm committed.
    """

    new_uow: Callable[[], UnitOfWork]
    ledger: Ledger
    custody: Custody
    clock: Clock
    metrics: TransferMetrics
    quote_ttl: timedelta = timedelta(minutes=2)
    sign_deadline: timedelta = timedelta(minutes=2)
    username_stale_after: timedelta = timedelta(days=30)
    test_network: bool = True
    max_fee_drops: int = 1_000
    last_ledger_offset: int = 20
    max_ledgers_per_pass: int = 50
    concurrency: int = 8
    on_confirmed: Callable[[], None] = lambda: None
