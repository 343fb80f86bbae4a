"""The ledger closer: closes (and so validates) a ledger every interval, as a network would."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from .engine import LedgerEngine

log = logging.getLogger(__name__)


async def ledger_closer(
    engine: LedgerEngine,
    interval_seconds: float,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Close (and so validate) a ledger every ``interval_seconds``, forever.

    With ``interval_seconds <= 0`` it returns at once: ledgers then close only on
    ``ledger_accept``, as with a stand-alone rippled. Run it as a task and cancel it to stop.
    """
    if interval_seconds <= 0:
        return
    loop = asyncio.get_running_loop()
    next_close = loop.time() + interval_seconds
    while True:
        await sleep(max(0.0, next_close - loop.time()))
        try:
            engine.close_ledger()
        except Exception:  # a failed close must not stop the clock
            log.exception("ledger close failed")
        next_close += interval_seconds
        if next_close < loop.time():
            next_close = loop.time() + interval_seconds
