"""/history and /stats against fakes: pages, both directions, the day /stats counts from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from xrpbot.schemas import ConfirmTransfer, GetHistory, GetStats, HistoryReported, StatsReported
from xrpbot.transfer.domain.incoming import IncomingPayment
from xrpbot.transfer.use_cases import queries, quotes

XRP = 1_000_000


async def test_history_pages_sent_and_received_newest_first(world: Any) -> None:
    alice = world.user(1, "alice", xrp=1_000)
    world.user(2, "bobby")
    for n in range(6):
        quote = await world.quote(alice, str(n + 1), "@bobby")
        confirm = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=quote.transfer_id)
        await quotes.confirm_transfer(confirm, world.deps)
        world.clock.advance(1)
    received = IncomingPayment("EE" * 32, world.address_of(alice), "rSomeone", 7 * XRP, None, 9)
    world.store.incoming[received.tx_hash] = (received, 1, world.clock.now())

    async def page(number: int) -> HistoryReported:
        cmd = GetHistory.new(user=alice, chat_id=1, page=number, page_size=5)
        await queries.get_history(cmd, world.deps)
        await queries.get_history(cmd, world.deps)  # redelivered: answered once
        (reply,) = world.store.replies_to(cmd)
        assert isinstance(reply, HistoryReported)
        return reply

    first, second = await page(0), await page(1)
    assert (first.total, first.page, first.page_size) == (7, 0, 5)
    assert [e.direction for e in first.entries] == ["in", "out", "out", "out", "out"]
    assert first.entries[0].amount_drops == 7 * XRP
    assert [e.amount_drops for e in second.entries] == [2 * XRP, 1 * XRP]


async def test_stats_count_from_the_start_of_the_commands_utc_day(world: Any) -> None:
    admin = world.user(1, "alice")
    at = datetime(2025, 3, 2, 1, 30, tzinfo=timezone(timedelta(hours=3)))  # 1 March, 22:30 UTC
    cmd = GetStats.new(user=admin, chat_id=1, occurred_at=at)
    await queries.get_stats(cmd, world.deps)
    (reply,) = world.store.replies_to(cmd)
    assert isinstance(reply, StatsReported)
    assert reply.since == datetime(2025, 3, 1, tzinfo=UTC)
    assert world.store.stats_since == [reply.since]
    assert reply.wallets == 1
    assert reply.wallets_today == 1
