"""The admins' messages: /stats with the gateway's own numbers, and alert summaries. Pure."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xrpbot.schemas import DeadLettersFilling, StatsReported

from ..domain.admin import AlertSummary
from .message import Rendered
from .numbers import format_decimal, format_xrp
from .texts import admin

__all__ = ["alert_text", "dead_letters_filling_text", "stats_message"]


def _count(value: int) -> str:
    return format_decimal(Decimal(value))


def stats_message(reply: StatsReported, args: dict[str, Any]) -> Rendered:
    """StatsReported with the gateway's numbers gathered when /stats was sent (the "stats"
    view's `args`: users, active_today, inactive, queues; {} without the view)."""
    queues: dict[str, Any] = args.get("queues") or {}
    lines = [
        admin.stats_queue_line(name, depth if isinstance(depth, int) else None)
        for name, depth in queues.items()
    ]
    text = admin.stats(
        day=reply.since.strftime("%Y-%m-%d"),
        users=int(args.get("users", 0)),
        active_today=int(args.get("active_today", 0)),
        inactive=int(args.get("inactive", 0)),
        wallets=_count(reply.wallets),
        wallets_today=_count(reply.wallets_today),
        payments_today=_count(reply.payments_today),
        volume_today_xrp=format_xrp(reply.volume_today_drops),
        failed_today=_count(reply.failed_today),
        incoming_today=_count(reply.incoming_today),
        incoming_volume_today_xrp=format_xrp(reply.incoming_volume_today_drops),
        queues=lines,
    )
    return Rendered(text)


def alert_text(summary: AlertSummary) -> str:
    """The admins' message for an alert summary (details, most frequent first)."""
    details = ", ".join(
        f"{name}: {count}" for name, count in sorted(summary.details.items(), key=lambda i: -i[1])
    )
    if summary.kind == "dead_letter":
        return admin.alert_dead_letters(summary.count, details)
    return admin.alert_payments_failed(summary.count, details)


def dead_letters_filling_text(event: DeadLettersFilling) -> str:
    """The admins' message for a dead-letter queue that is filling (how full, in whole
    percent, rounded down so 79.9 % never reads 80 %) or full."""
    messages, bound = _count(event.messages), _count(event.bound)
    if event.full:
        return admin.alert_dead_letter_queue_full(
            service=event.service, queue=event.queue, messages=messages, bound=bound
        )
    return admin.alert_dead_letter_queue_filling(
        service=event.service,
        queue=event.queue,
        percent=f"{_count(min(event.messages * 100 // event.bound, 100))}%",
        messages=messages,
        bound=bound,
    )
