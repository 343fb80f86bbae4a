"""Who holds a Telegram @username: the user seen with it last. Pure.

Telegram lets a user drop a username and anyone take it afterwards
(https://telegram.org/faq#q-what-can-i-use-as-my-username), and a bot only learns of a change
when the user writes to it again. Transfer names bot users in incoming-payment alerts and in
/history, so it keeps, per Telegram user, the username of their latest sighting: the gateway's
`UserSeen` (`gateway.user_seen`, on every change) and the `wallet.opened` that created their
account. A username belongs to at most one user, the one seen with it last; the former holder
loses it at once.

The rule is wallet's (`xrpbot.wallet.domain.usernames.sighting_changes`), written again here
rather than shared: services never import each other, and a shared package for five lines
would couple two schemas' release cycles for nothing (style guide §1). The unit tests of both
pin the same cases.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

__all__ = ["SeenUser", "sighting_changes"]


@dataclass(frozen=True, slots=True)
class SeenUser:
    """A Telegram user as last seen.

    Attributes:
        telegram_id: Telegram user id.
        username: their @username without the @, None when they had none (or someone seen
            with it later took it).
        username_seen_at: when they were seen with `username` (UTC).
    """

    telegram_id: int
    username: str | None
    username_seen_at: datetime


def sighting_changes(
    seen: SeenUser, *, before: SeenUser | None, holder: SeenUser | None
) -> list[SeenUser]:
    """The rows to store after a sighting, in the order to write them.

    Args:
        seen: the sighting.
        before: what was stored for the same user, if anything.
        holder: the user who holds `seen.username` now (case-insensitive), if anyone.

    Returns:
        Nothing when `before` is as new as `seen` (a late or repeated event changes nothing);
        else the former holder with the username cleared, if another user holds it and was
        seen with it earlier, then `seen`. If the holder was seen with it later than `seen`
        (events out of order), they keep it and `seen` is stored without it.
    """
    if before is not None and before.username_seen_at >= seen.username_seen_at:
        return []
    if seen.username is None or holder is None or holder.telegram_id == seen.telegram_id:
        return [seen]
    if holder.username_seen_at > seen.username_seen_at:
        return [dataclasses.replace(seen, username=None)]
    return [dataclasses.replace(holder, username=None), seen]
