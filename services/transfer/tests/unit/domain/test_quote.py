"""The quote rules: reserve and fee stay behind, the fee is the open ledger's within the cap,
DepositAuth destinations take only what they would accept."""

from __future__ import annotations

import pytest

from xrpbot.schemas import ErrorCode
from xrpbot.transfer.domain.accounts import AccountSnapshot
from xrpbot.transfer.domain.quote import LSF_DEPOSIT_AUTH, Quote, check_quote, fee_for
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


def quote_to(
    destination: AccountSnapshot, amount_drops: int, *, deposit_authorized: bool
) -> Quote:
    return check_quote(
        sender_address=ADDR,
        sender=AccountSnapshot(balance_drops=100_000_000, owner_count=0, sequence=5),
        destination_address=OTHER,
        destination=destination,
        destination_tag=None,
        amount_drops=amount_drops,
        fee_drops=10,
        reserve_base_drops=1_000_000,
        reserve_owner_drops=200_000,
        deposit_authorized=deposit_authorized,
    )


def test_deposit_auth_destination_is_refused_unless_it_preauthorized_the_sender() -> None:
    guarded = AccountSnapshot(50_000_000, 0, 1, flags=LSF_DEPOSIT_AUTH)

    with pytest.raises(Refusal) as refused:
        quote_to(guarded, 5_000_000, deposit_authorized=False)

    assert refused.value.code is ErrorCode.DESTINATION_DEPOSIT_AUTH
    assert quote_to(guarded, 5_000_000, deposit_authorized=True).amount_drops == 5_000_000


def test_deposit_auth_refusal_comes_before_the_tag_the_user_could_add() -> None:
    # lsfRequireDestTag | lsfDepositAuth: a tag would not help, so the user is not asked for one
    guarded = AccountSnapshot(50_000_000, 0, 1, flags=LSF_DEPOSIT_AUTH | 0x00020000)

    with pytest.raises(Refusal) as refused:
        quote_to(guarded, 5_000_000, deposit_authorized=False)

    assert refused.value.code is ErrorCode.DESTINATION_DEPOSIT_AUTH


@pytest.mark.parametrize(
    ("balance_drops", "amount_drops", "allowed"),
    [
        (1_000_000, 1_000_000, True),  # at the reserve, the reserve: the ledger accepts it
        (400_000, 1_000_000, True),
        (1_000_000, 1_000_001, False),
        (1_000_001, 1, False),
    ],
)
def test_deposit_auth_allows_a_small_payment_to_an_account_at_the_reserve(
    balance_drops: int, amount_drops: int, allowed: bool
) -> None:
    guarded = AccountSnapshot(balance_drops, 0, 1, flags=LSF_DEPOSIT_AUTH)

    if allowed:
        assert quote_to(guarded, amount_drops, deposit_authorized=False).amount_drops
    else:
        with pytest.raises(Refusal) as refused:
            quote_to(guarded, amount_drops, deposit_authorized=False)
        assert refused.value.code is ErrorCode.DESTINATION_DEPOSIT_AUTH


def test_deposit_authorized_does_not_matter_without_the_flag() -> None:
    open_account = AccountSnapshot(50_000_000, 0, 1)

    assert quote_to(open_account, 5_000_000, deposit_authorized=False).amount_drops == 5_000_000
