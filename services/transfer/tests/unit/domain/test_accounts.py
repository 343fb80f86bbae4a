"""The spendable rule: balance - reserve - fee - what is already on its way, never below 0."""

from __future__ import annotations

from xrpbot.transfer.domain.accounts import AccountSnapshot


def test_spendable_keeps_reserve_fee_and_what_is_on_its_way() -> None:
    account = AccountSnapshot(balance_drops=100_000_000, owner_count=2, sequence=5)
    assert account.reserve_drops(1_000_000, 200_000) == 1_400_000
    spendable = account.spendable_drops(
        reserve_base_drops=1_000_000,
        reserve_owner_drops=200_000,
        fee_drops=10,
        in_flight_drops=5_000_012,
    )
    assert spendable == 100_000_000 - 1_400_000 - 10 - 5_000_012


def test_spendable_is_never_negative() -> None:
    account = AccountSnapshot(balance_drops=1_000_000, owner_count=0, sequence=1)
    spendable = account.spendable_drops(
        reserve_base_drops=1_000_000, reserve_owner_drops=0, fee_drops=10, in_flight_drops=0
    )
    assert spendable == 0
