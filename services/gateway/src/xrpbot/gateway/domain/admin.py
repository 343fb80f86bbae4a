"""Admin values: user counts, alert summaries, broadcasts, and their pace. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from uuid import UUID

__all__ = [
    "ALERT_PERIOD_S",
    "BROADCAST_INTERVAL_S",
    "MAX_BROADCAST_CHARS",
    "AlertSummary",
    "BroadcastJob",
    "UserCounts",
]

ALERT_PERIOD_S: Final = 300.0
"""At most one alert per kind per 5 minutes."""
BROADCAST_INTERVAL_S: Final = 1 / 25
"""Broadcast pace: 25 messages a second at most, under Telegram's ~30 per second for a bot
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this), leaving
room for replies; each chat gets one message, far below 1 per second per chat."""
MAX_BROADCAST_CHARS: Final = 3500
"""Longest /broadcast text: the escaped text must stay under sendMessage's 4096 characters."""


@dataclass(frozen=True, slots=True)
class UserCounts:
    """Private chats the gateway knows (one per user who talked to the bot).

    Attributes:
        users: every user; active_today: seen since the day's start; inactive: who blocked the bot.
    """

    users: int
    active_today: int
    inactive: int


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """What happened for one alert kind since its last alert.

    Attributes:
        kind: "dead_letter" or "payment_failed".
        count: events since the last alert.
        details: counts per detail (queue name, error code).
    """

    kind: str
    count: int
    details: dict[str, int]


@dataclass(frozen=True, slots=True)
class BroadcastJob:
    """A broadcast being sent.

    Attributes:
        id: its id; created_by: the admin's Telegram id (gets the final report).
        text: the message (HTML, escaped when it was queued).
        cursor: the last chat id done; sent / unreachable: counts so far.
        wait_s: seconds to wait before the next message, so every replica together keeps the pace.
    """

    id: UUID
    created_by: int
    text: str
    cursor: int
    sent: int
    unreachable: int
    wait_s: float
