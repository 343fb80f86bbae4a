"""Refused requests are pruned after RETENTION_DAYS; quotes and payments stay."""

from __future__ import annotations

import pytest

from xrpbot.runtime.retention import prune
from xrpbot.runtime.settings import SECONDS_PER_DAY
from xrpbot.schemas import RequestTransfer
from xrpbot.transfer.adapters.postgres.transfers import refused_retention
from xrpbot.transfer.use_cases import quotes

from .conftest import World

pytestmark = pytest.mark.integration


async def test_old_refusals_go_and_quotes_and_recent_refusals_stay(world: World) -> None:
    alice, _ = await world.user(1, "alice_r", xrp=100)
    await world.user(2, "bob_r", xrp=50)
    for amount in ("ten", "0", "1"):  # two refusals, one quote
        await quotes.request_transfer(
            RequestTransfer.new(user=alice, chat_id=1, amount=amount, destination="@bob_r"),
            world.deps,
        )
    await world.pool.execute("UPDATE transfers SET created_at = now() - interval '8 days'")
    await world.pool.execute(
        "UPDATE transfers SET created_at = now() WHERE code = 'amount_not_positive'"
    )

    assert await prune(world.pool, refused_retention(7 * SECONDS_PER_DAY)) == 1

    rows = await world.pool.fetch("SELECT state, code FROM transfers ORDER BY state")
    assert [(r["state"], r["code"]) for r in rows] == [
        ("quoted", None),
        ("refused", "amount_not_positive"),
    ]
