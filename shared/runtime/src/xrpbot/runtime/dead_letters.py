"""When a bounded dead-letter queue is worth an admin alert: once per crossing. Pure.

Every `<service>.dead-letter` queue is bounded (`xrpbot.access.rights.DEAD_LETTER_BOUNDS`:
max-length with overflow `reject-publish`, https://www.rabbitmq.com/docs/maxlength), so once it
is full new dead letters are refused. The runtime samples each queue's size; `DeadLetterWatch`
turns the samples into at most one alert per crossing: when the size first reaches the warning
fraction of the bound ("filling"), and again when it reaches the bound ("full"). It stays quiet
while the size hovers around a threshold, and is re-armed only once the queue has drained below
the warning threshold again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

__all__ = ["DeadLetterLevel", "DeadLetterWatch"]


class DeadLetterLevel(IntEnum):
    """How full a dead-letter queue is, in increasing order."""

    BELOW = 0
    FILLING = 1
    """At or above the warning fraction of its bound."""
    FULL = 2
    """At or above its bound: new dead letters are refused."""


@dataclass
class DeadLetterWatch:
    """The once-per-crossing rule for one queue.

    Args:
        bound: the queue's max-length, in messages (> 0).
        warn_fraction: the share of `bound` that counts as filling (0 < fraction ≤ 1).
    Raises:
        ValueError: a bound or fraction out of range.
    """

    bound: int
    warn_fraction: float = 0.8
    reported: DeadLetterLevel = field(default=DeadLetterLevel.BELOW, init=False)

    def __post_init__(self) -> None:
        if self.bound <= 0 or not 0 < self.warn_fraction <= 1:
            raise ValueError("a bound > 0 and a warning fraction in (0, 1] are needed")

    def level(self, messages: int) -> DeadLetterLevel:
        """The level a queue holding `messages` is at."""
        if messages >= self.bound:
            return DeadLetterLevel.FULL
        if messages >= self.bound * self.warn_fraction:
            return DeadLetterLevel.FILLING
        return DeadLetterLevel.BELOW

    def observe(self, messages: int) -> DeadLetterLevel | None:
        """Take one sample; the level to alert about if this sample crossed into it, else None."""
        level = self.level(messages)
        if level is DeadLetterLevel.BELOW:
            self.reported = DeadLetterLevel.BELOW  # drained: re-armed
            return None
        if level > self.reported:
            self.reported = level
            return level
        return None
