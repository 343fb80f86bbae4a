"""The seeded fault schedule: reproducible from the seed, in bounds, covering every kind."""

from __future__ import annotations

import pytest

from xrpbot.chaos.schedule import FAULT_KINDS, fault_schedule

TARGETS = ["gateway-1", "gateway-2", "transfer-1", "transfer-2", "wallet", "pricing"]


def test_the_same_seed_gives_the_same_schedule() -> None:
    assert fault_schedule(42, 150, TARGETS) == fault_schedule(42, 150, TARGETS)


def test_another_seed_gives_another_schedule() -> None:
    assert fault_schedule(42, 150, TARGETS) != fault_schedule(43, 150, TARGETS)


def test_the_order_of_targets_does_not_change_the_schedule() -> None:
    assert fault_schedule(7, 150, TARGETS) == fault_schedule(7, 150, list(reversed(TARGETS)))


@pytest.mark.parametrize("seed", range(20))
def test_faults_stay_inside_the_load_in_time_order(seed: int) -> None:
    faults = fault_schedule(seed, 40, TARGETS)
    times = [f.at_s for f in faults]
    assert times == sorted(times)
    assert all(5 <= t < 37 for t in times)
    for fault in faults:
        assert fault.kind in FAULT_KINDS
        if fault.kind in {"sigkill", "sigterm"}:
            assert fault.target in TARGETS
        else:
            assert fault.target == ""


@pytest.mark.parametrize("seed", range(10))
def test_a_long_run_injects_every_kind_of_fault(seed: int) -> None:
    kinds = {f.kind for f in fault_schedule(seed, 150, TARGETS)}
    assert kinds == set(FAULT_KINDS)


def test_a_load_too_short_for_faults_has_none() -> None:
    assert fault_schedule(1, 7, TARGETS) == []


def test_no_targets_is_refused() -> None:
    with pytest.raises(ValueError, match="targets"):
        fault_schedule(1, 100, [])
