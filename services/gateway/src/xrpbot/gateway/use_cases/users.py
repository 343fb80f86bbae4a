"""Report who the gateway sees: a user's @username, when it changed or daily (UserSeen)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from xrpbot.schemas import UserSeen

from ..ports import UnitOfWork
from .ask import Origin

__all__ = ["REPORT_EVERY", "report_user_seen"]

REPORT_EVERY: Final = timedelta(days=1)
"""A pair that did not change is reported again after this long, so that wallet's
`username_seen_at` of an active user is never more than about a day old."""


async def report_user_seen(
    origin: Origin, *, uow: UnitOfWork, every: timedelta = REPORT_EVERY
) -> bool:
    """Publish UserSeen (`gateway.user_seen`, through the update's outbox) for the update's
    user when their (username, first name) differs from the pair reported last, or that
    report is older than `every`; nothing otherwise.

    A user without a username is reported too (username None), so that wallet forgets the
    name they gave up. The report commits or rolls back with the update.

    Returns:
        True when the event was queued.
    """
    actor = origin.actor
    if not await uow.users.due(actor.telegram_id, actor.username, actor.first_name, every=every):
        return False
    await uow.publish_event(
        UserSeen(
            correlation_id=origin.correlation_id,
            user=actor,
            chat_id=origin.chat_id,
            seen_at=datetime.now(UTC),
        )
    )
    return True
