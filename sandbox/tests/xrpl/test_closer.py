"""The ledger closer: a ledger every interval, or none with interval 0."""

from __future__ import annotations

import asyncio

from xrpbot.sandbox.xrpl.closer import ledger_closer
from xrpbot.sandbox.xrpl.engine import LedgerEngine


async def test_ledger_closer_closes_on_its_own(engine: LedgerEngine) -> None:
    start = engine.validated_ledger.index
    closer = asyncio.create_task(ledger_closer(engine, 0.01))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if engine.validated_ledger.index >= start + 2:
            break
    closer.cancel()
    assert engine.validated_ledger.index >= start + 2


async def test_ledger_closer_with_zero_interval_never_closes(engine: LedgerEngine) -> None:
    await asyncio.wait_for(ledger_closer(engine, 0), timeout=1)
    assert engine.validated_ledger.index == 2
