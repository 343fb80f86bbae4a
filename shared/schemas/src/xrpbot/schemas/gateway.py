"""Gateway events: what the gateway saw on Telegram that other services keep.

Published by gateway on `xrpbot.events`; consumed by wallet.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from .envelope import Event

__all__ = ["UserSeen"]


class UserSeen(Event):
    """Domain event: an update came from this Telegram user with this @username (or none).

    `user` is the user as Telegram showed them on that update: `user.telegram_id`,
    `user.username` (None when they have none) and `user.first_name`; `chat_id` is the chat
    the update came from. The gateway publishes it when the pair (username, first name)
    differs from the one it reported last for that user, or when that report is older than a
    day, never for every update. Wallet keeps the usernames: a username belongs to at most one
    user, the one seen with it last (by `seen_at`).
    """

    kind: Literal["gateway.user_seen"] = "gateway.user_seen"
    seen_at: AwareDatetime = Field(
        description="When the gateway handled the update that showed this username (UTC)."
    )
