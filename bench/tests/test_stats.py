"""The benchmark's statistics: percentiles, summaries, the open-loop schedule (no timings)."""

from __future__ import annotations

import pytest

from xrpbot.bench.stats import open_loop_schedule, percentile, rate_steps, summarize


def test_percentile_interpolates_between_closest_ranks() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 0) == 1.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 100) == 4.0
    assert percentile(list(map(float, range(1, 101))), 99) == pytest.approx(99.01)
    assert percentile([7.0], 95) == 7.0


def test_percentile_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


def test_summary_is_in_milliseconds() -> None:
    summary = summarize([0.010, 0.020, 0.030, 0.040])
    assert summary.count == 4
    assert summary.p50_ms == pytest.approx(25.0)
    assert summary.max_ms == pytest.approx(40.0)
    assert summary.mean_ms == pytest.approx(25.0)
    assert summarize([]).count == 0
    assert summarize([0.0123456]).as_dict()["p99_ms"] == 12.35


def test_open_loop_schedule_is_evenly_spaced_and_independent_of_answers() -> None:
    times = open_loop_schedule(20, 2.0, start_s=100.0)
    assert len(times) == 40
    assert times[0] == 100.0
    assert times[1] - times[0] == pytest.approx(0.05)
    assert times[-1] == pytest.approx(101.95)
    assert open_loop_schedule(3, 0) == []
    with pytest.raises(ValueError, match="rate"):
        open_loop_schedule(0, 1)


def test_rate_steps_rise_geometrically_to_the_maximum() -> None:
    assert rate_steps(10, 1.5, 60) == [10, 15, 22, 33, 50]
    assert rate_steps(1, 1.1, 4) == [1, 2, 3, 4]  # always at least one more per second
    with pytest.raises(ValueError, match="factor"):
        rate_steps(10, 1.0, 100)
