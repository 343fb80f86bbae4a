"""The @username each bot user holds now, from the gateway's sightings (`gateway.user_seen`),
so incoming-payment alerts and /history name them as they are called today
(`domain.usernames`)."""

from __future__ import annotations

from datetime import datetime

from xrpbot.schemas import Actor, UserSeen

from ..domain.usernames import SeenUser
from .deps import TransferDeps

__all__ = ["record_user_seen", "seen_user"]


def seen_user(user: Actor, seen_at: datetime) -> SeenUser:
    """A sighting of `user` (as an event carries them) at `seen_at`; "" or None: no username."""
    username = user.username.removeprefix("@") if user.username else None
    return SeenUser(user.telegram_id, username or None, seen_at)


async def record_user_seen(event: UserSeen, deps: TransferDeps) -> None:
    """Keep the @username the gateway saw a user with: the user seen with a username last
    holds it, the former holder's is cleared, a late or repeated event changes nothing. The
    event is claimed in the inbox in the same transaction."""
    async with deps.new_uow() as uow:
        if not await uow.claim(event):
            return
        await uow.accounts.see(seen_user(event.user, event.seen_at))
        await uow.commit()
