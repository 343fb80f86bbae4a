"""A filling or full dead-letter queue is alerted once per crossing, not on every sample."""

from __future__ import annotations

import pytest

from xrpbot.runtime.dead_letters import DeadLetterLevel, DeadLetterWatch


def test_each_crossing_is_alerted_once() -> None:
    watch = DeadLetterWatch(bound=10, warn_fraction=0.8)
    samples = [0, 5, 7, 8, 9, 8, 9, 10, 10, 9, 10, 12, 3, 8, 10]
    alerts = [watch.observe(n) for n in samples]
    assert alerts == [
        None,
        None,
        None,
        DeadLetterLevel.FILLING,  # reached 80 %
        None,
        None,
        None,
        DeadLetterLevel.FULL,  # reached the bound
        None,
        None,  # hovering at the bound: no repeat
        None,
        None,
        None,  # drained below 80 %: re-armed
        DeadLetterLevel.FILLING,
        DeadLetterLevel.FULL,
    ]


def test_a_jump_straight_to_full_is_one_alert() -> None:
    watch = DeadLetterWatch(bound=10_000)
    assert watch.observe(10_000) is DeadLetterLevel.FULL
    assert watch.observe(9_000) is None, "still filling: already told it was full"


@pytest.mark.parametrize(("bound", "fraction"), [(0, 0.8), (10, 0.0), (10, 1.5)])
def test_a_nonsense_bound_is_refused(bound: int, fraction: float) -> None:
    with pytest.raises(ValueError, match="bound"):
        DeadLetterWatch(bound=bound, warn_fraction=fraction)
