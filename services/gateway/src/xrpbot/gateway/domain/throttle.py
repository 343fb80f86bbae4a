"""The command allowances (per user, per group): their limits and the throttle's verdicts. Pure values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ThrottleLimits", "Verdict"]


@dataclass(frozen=True, slots=True)
class ThrottleLimits:
    """How fast one user may send commands, and one group take them (token buckets).

    Attributes:
        burst: a user's commands at once (THROTTLE_BURST).
        per_second: the user's allowance's refill rate afterwards (THROTTLE_PER_SECOND).
        group_burst: commands one group may get answered at once, whoever sends them.
        group_per_second: the group's refill rate: 10 a minute, half of the 20 messages a
            minute Telegram lets a bot send to a group
            (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this),
            leaving room for the edits and charts an answer such as /prices adds, so an
            answer never waits for the group's slot.
    """

    burst: int = 5
    per_second: float = 1.0
    group_burst: int = 10
    group_per_second: float = 10 / 60


class Verdict(StrEnum):
    """What the throttle decided for one command of a user."""

    ALLOW = "allow"
    """Within the allowance: handle it."""
    NOTICE = "notice"
    """The first command over the allowance in this burst: answer the polite notice only."""
    DROP = "drop"
    """Over the allowance again in the same burst: no answer at all."""
