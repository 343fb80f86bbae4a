"""The per-user command allowance: its limits and the throttle's verdicts. Pure values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ThrottleLimits", "Verdict"]


@dataclass(frozen=True, slots=True)
class ThrottleLimits:
    """How fast one user may send commands (a token bucket).

    Attributes:
        burst: commands at once (THROTTLE_BURST).
        per_second: the allowance's refill rate afterwards (THROTTLE_PER_SECOND).
    """

    burst: int = 5
    per_second: float = 1.0


class Verdict(StrEnum):
    """What the throttle decided for one command of a user."""

    ALLOW = "allow"
    """Within the allowance: handle it."""
    NOTICE = "notice"
    """The first command over the allowance in this burst: answer the polite notice only."""
    DROP = "drop"
    """Over the allowance again in the same burst: no answer at all."""
