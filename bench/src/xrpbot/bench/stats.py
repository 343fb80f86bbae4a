"""The benchmark's arithmetic: percentiles, latency summaries, the open-loop arrival schedule.

Pure functions, no I/O, so they are unit-tested on their own (bench/tests).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["LatencySummary", "open_loop_schedule", "percentile", "rate_steps", "summarize"]


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0 ≤ q ≤ 100) by linear interpolation between closest ranks.

    The same definition as numpy's default ("linear"): p50 of [1, 2, 3, 4] is 2.5.

    Raises:
        ValueError: `values` is empty or `q` is outside 0..100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0..100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class LatencySummary:
    """Latencies of one measurement, in milliseconds.

    Attributes:
        count: number of samples.
        p50_ms, p95_ms, p99_ms, max_ms, mean_ms: the statistics, in ms (0 without samples).
    """

    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON data, rounded to 0.01 ms."""
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(self).items()}


def summarize(latencies_s: Sequence[float]) -> LatencySummary:
    """p50/p95/p99/max/mean of latencies given in seconds, reported in milliseconds."""
    if not latencies_s:
        return LatencySummary(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    ms = [v * 1000 for v in latencies_s]
    return LatencySummary(
        count=len(ms),
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        max_ms=max(ms),
        mean_ms=sum(ms) / len(ms),
    )


def open_loop_schedule(rate_per_s: float, duration_s: float, start_s: float = 0.0) -> list[float]:
    """Arrival times of a constant-rate open-loop load: one every 1/rate seconds.

    Open loop means the arrivals never wait for answers: a slow system gets the same schedule,
    and each latency is measured from its scheduled arrival, so queueing in front of the
    system is counted (no "coordinated omission").

    Args:
        rate_per_s: offered load in arrivals per second (> 0).
        duration_s: length of the step in seconds (≥ 0).
        start_s: time of the first arrival, in seconds (any clock).

    Returns:
        `round(rate * duration)` times in seconds, `start_s` first, evenly spaced.

    Raises:
        ValueError: rate ≤ 0 or duration < 0.
    """
    if rate_per_s <= 0 or duration_s < 0:
        raise ValueError("rate must be > 0 and duration ≥ 0")
    count = round(rate_per_s * duration_s)
    return [start_s + i / rate_per_s for i in range(count)]


def rate_steps(first_per_s: float, factor: float, maximum_per_s: float) -> list[float]:
    """Rising offered loads: `first`, then each the previous times `factor` (rounded to a whole
    command per second), up to `maximum`.

    Raises:
        ValueError: first ≤ 0, factor ≤ 1 or maximum < first.
    """
    if first_per_s <= 0 or factor <= 1 or maximum_per_s < first_per_s:
        raise ValueError("need first > 0, factor > 1, maximum ≥ first")
    steps = [float(first_per_s)]
    while True:
        following = float(max(round(steps[-1] * factor), steps[-1] + 1))
        if following > maximum_per_s:
            return steps
        steps.append(following)
