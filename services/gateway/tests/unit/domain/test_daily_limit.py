"""The daily limits /settings offers and what a limit button asks for."""

from __future__ import annotations

import pytest

from xrpbot.gateway.domain.daily_limit import (
    UnknownLimitChoice,
    chosen_limit_drops,
    offered_limits_drops,
)

XRP = 1_000_000


def test_only_limits_not_above_the_default_are_offered() -> None:
    assert offered_limits_drops(10_000 * XRP) == [100 * XRP, 500 * XRP, 1_000 * XRP, 5_000 * XRP]
    assert offered_limits_drops(1_000 * XRP) == [100 * XRP, 500 * XRP, 1_000 * XRP]
    assert offered_limits_drops(50 * XRP) == []


def test_a_button_asks_for_a_choice_or_the_default() -> None:
    assert chosen_limit_drops("100") == 100 * XRP
    assert chosen_limit_drops("5000") == 5_000 * XRP
    assert chosen_limit_drops("default") is None


@pytest.mark.parametrize("value", ["", "250", "10000", "0100", " 100", "1e3", "-100", "none"])
def test_any_other_value_is_refused(value: str) -> None:
    with pytest.raises(UnknownLimitChoice):
        chosen_limit_drops(value)
