"""What transfer answers from its records: a user's /history and an admin's /stats."""

from __future__ import annotations

from datetime import UTC

from xrpbot.schemas import GetHistory, GetStats, HistoryReported, StatsReported

from .deps import TransferDeps

__all__ = ["get_history", "get_stats"]


async def get_history(cmd: GetHistory, deps: TransferDeps) -> None:
    """Reply (HistoryReported) with one page of the user's payments, sent and received, newest
    first; `total` counts every entry of every page."""
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        total, entries = await uow.transfers.history(cmd.user.telegram_id, cmd.page, cmd.page_size)
        await uow.reply(
            HistoryReported.replying_to(
                cmd,
                page=cmd.page,
                page_size=cmd.page_size,
                total=total,
                entries=tuple(entries),
            )
        )
        await uow.commit()


async def get_stats(cmd: GetStats, deps: TransferDeps) -> None:
    """Reply (StatsReported) with the counts since the start of the command's day (UTC).

    The gateway publishes GetStats only for its admins (ADMIN_IDS); the numbers carry no
    address, name or amount of any single user.
    """
    occurred = cmd.occurred_at.astimezone(UTC)
    since = occurred.replace(hour=0, minute=0, second=0, microsecond=0)
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        stats = await uow.transfers.stats(since)
        await uow.reply(
            StatsReported.replying_to(
                cmd,
                since=since,
                wallets=stats.wallets,
                wallets_today=stats.wallets_today,
                payments_today=stats.payments_today,
                volume_today_drops=stats.volume_today_drops,
                failed_today=stats.failed_today,
                incoming_today=stats.incoming_today,
                incoming_volume_today_drops=stats.incoming_volume_today_drops,
            )
        )
        await uow.commit()
