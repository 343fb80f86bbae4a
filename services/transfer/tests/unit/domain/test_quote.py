"""The quote rules: reserve and fee stay behind, the fee is the open ledger's within the cap."""

from __future__ import annotations

import pytest

from xrpbot.transfer.domain.accounts import AccountSnapshot
from xrpbot.transfer.domain.quote import check_quote, fee_for
from xrpbot.transfer.domain.refusal import Refusal

ADDR = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"
OTHER = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"


def test_quote_keeps_the_reserve_and_the_fee() -> None:
    sender = AccountSnapshot(balance_drops=100_000_000, owner_count=2, sequence=5)
    quote = check_quote(
        sender_address=ADDR,
        sender=sender,
        destination_address=OTHER,
        destination=AccountSnapshot(1, 0, 1),
        destination_tag=None,
        amount_drops=98_599_990,
        fee_drops=10,
        reserve_base_drops=1_000_000,
        reserve_owner_drops=200_000,
    )
    assert quote.reserve_drops == 1_400_000
    assert quote.balance_after_drops == 1_400_000
    with pytest.raises(Refusal) as refused:
        check_quote(
            sender_address=ADDR,
            sender=sender,
            destination_address=OTHER,
            destination=AccountSnapshot(1, 0, 1),
            destination_tag=None,
            amount_drops=98_599_991,
            fee_drops=10,
            reserve_base_drops=1_000_000,
            reserve_owner_drops=200_000,
        )
    assert refused.value.spendable_drops == 98_599_990


def test_fee_is_the_open_ledger_cost_within_the_cap() -> None:
    assert fee_for(10, 12, 1000) == 12
    assert fee_for(10, 5, 1000) == 10
    assert fee_for(10, 5000, 1000) == 1000
