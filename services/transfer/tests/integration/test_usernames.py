"""After a rename the gateway reports (gateway.user_seen), incoming-payment alerts and /history
name bot users by their new username, against Postgres and the rippled stand-in; a username
that changed hands is no longer shown for its former holder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from xrpbot.schemas import Actor, GetHistory, UserSeen
from xrpbot.transfer.use_cases import queries, usernames

from .conftest import XRP, World

pytestmark = pytest.mark.integration


async def rename(world: World, telegram_id: int, username: str | None) -> None:
    """The gateway saw the user with `username` (a minute from now: after any earlier one)."""
    event = UserSeen(
        correlation_id=uuid4(),
        user=Actor(telegram_id=telegram_id, username=username),
        chat_id=telegram_id,
        seen_at=datetime.now(UTC) + timedelta(minutes=1),
    )
    await usernames.record_user_seen(event, world.deps)
    await usernames.record_user_seen(event, world.deps)  # redelivered: changes nothing


async def history(world: World, actor: Actor) -> list[dict[str, Any]]:
    cmd = GetHistory.new(user=actor, chat_id=actor.telegram_id, page=0)
    await queries.get_history(cmd, world.deps)
    (reply,) = [m for m in await world.outbox() if m["correlation_id"] == str(cmd.correlation_id)]
    entries: list[dict[str, Any]] = reply["entries"]
    return entries


async def test_a_rename_reaches_the_alert_and_the_history(world: World) -> None:
    await world.pass_()  # the first pass sets the cursor at the validated ledger
    _, alice = await world.user(1, "alice_x", xrp=100)
    bob_actor, bob = await world.user(2, "bob_x", xrp=50)
    await rename(world, 1, "alice_new")
    assert (
        world.submit_signed(
            alice, {"TransactionType": "Payment", "Destination": bob.address, "Amount": str(XRP)}
        )
        == "tesSUCCESS"
    )
    world.close()
    await world.pass_()
    (alert,) = [
        a
        for a in await world.outbox("transfer.payment_received")
        if a["source"]["address"] == alice.address
    ]
    assert alert["source"]["username"] == "alice_new"
    assert alert["user"]["username"] == "bob_x"

    received = [e for e in await history(world, bob_actor) if e["direction"] == "in"]
    from_alice = [e for e in received if e["counterparty"]["address"] == alice.address]
    assert [e["counterparty"]["username"] for e in from_alice] == ["alice_new"]

    # carol takes "alice_new": alice's line no longer names her by it
    await world.user(3, "carol", xrp=20)
    await rename(world, 3, "alice_new")
    from_alice = [
        e for e in await history(world, bob_actor) if e["counterparty"]["address"] == alice.address
    ]
    assert [e["counterparty"]["username"] for e in from_alice] == [None]
    holders = await world.pool.fetch(
        "SELECT telegram_id FROM telegram_users WHERE lower(username) = 'alice_new'"
    )
    assert [r["telegram_id"] for r in holders] == [3]
