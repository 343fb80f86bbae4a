"""The transfer domain's rules: amounts, destinations, quotes, outcomes, incoming payments."""

from __future__ import annotations

import pytest
from xrpl.core.addresscodec import classic_address_to_xaddress

from xrpbot.schemas import ErrorCode
from xrpbot.transfer.domain import (
    AccountSnapshot,
    AddressDestination,
    LedgerTx,
    OutcomeKind,
    Refusal,
    UsernameDestination,
    check_quote,
    decide_outcome,
    fee_for,
    incoming_payments,
    parse_amount,
    parse_destination,
)

ADDR = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"
OTHER = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"


@pytest.mark.parametrize(
    ("text", "drops"),
    [
        ("10", 10_000_000),
        ("0.5", 500_000),
        ("10 XRP", 10_000_000),
        ("10xrp", 10_000_000),
        (" 1.000001 ", 1_000_001),
        (".25", 250_000),
        ("0.000001", 1),
    ],
)
def test_amounts(text: str, drops: int) -> None:
    assert parse_amount(text) == drops


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ten", ErrorCode.INVALID_AMOUNT),
        ("", ErrorCode.INVALID_AMOUNT),
        ("1,000", ErrorCode.INVALID_AMOUNT),
        ("1e3", ErrorCode.INVALID_AMOUNT),
        ("NaN", ErrorCode.INVALID_AMOUNT),
        ("0", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("-1", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("0.0000001", ErrorCode.TOO_MANY_DECIMALS),
        ("5 USD", ErrorCode.UNSUPPORTED_CURRENCY),
    ],
)
def test_amount_refusals(text: str, code: ErrorCode) -> None:
    with pytest.raises(Refusal) as refused:
        parse_amount(text)
    assert refused.value.code is code


def test_destinations() -> None:
    assert parse_destination("@bob_x", None) == UsernameDestination("bob_x")
    assert parse_destination(ADDR, "7") == AddressDestination(ADDR, 7)
    xaddr = classic_address_to_xaddress(ADDR, 99, is_test_network=True)
    assert parse_destination(xaddr, None) == AddressDestination(ADDR, 99)
    with pytest.raises(Refusal) as refused:
        parse_destination(xaddr, "98")
    assert refused.value.code is ErrorCode.INVALID_DESTINATION_TAG
    for typo in (ADDR[:-1] + "x", "rNotAnAddressAtAll123", ADDR[:-5]):
        with pytest.raises(Refusal) as refused:
            parse_destination(typo, None)
        assert refused.value.code is ErrorCode.INVALID_ADDRESS, typo
    assert parse_destination("robert_s", None) == UsernameDestination("robert_s")


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


def test_outcomes_come_only_from_validated_ledgers() -> None:
    sent = LedgerTx(True, True, "tesSUCCESS", 20, 5)
    assert (
        decide_outcome(sent, validated_index=30, last_ledger_sequence=25).kind is OutcomeKind.SENT
    )
    tec = LedgerTx(True, True, "tecNO_DST_INSUF_XRP", 20)
    assert (
        decide_outcome(tec, validated_index=21, last_ledger_sequence=25).kind
        is OutcomeKind.REJECTED
    )
    seen = LedgerTx(found=True)
    assert (
        decide_outcome(seen, validated_index=25, last_ledger_sequence=25).kind
        is OutcomeKind.PENDING
    )
    assert (
        decide_outcome(seen, validated_index=26, last_ledger_sequence=25).kind
        is OutcomeKind.EXPIRED
    )
    unknown_gap = LedgerTx(found=False, searched_all=False)
    assert (
        decide_outcome(unknown_gap, validated_index=40, last_ledger_sequence=25).kind
        is OutcomeKind.PENDING
    ), "with a gap in the server's history nothing is decided"
    searched = LedgerTx(found=False, searched_all=True)
    assert (
        decide_outcome(searched, validated_index=26, last_ledger_sequence=25).kind
        is OutcomeKind.EXPIRED
    )


def test_incoming_uses_delivered_amount_never_amount() -> None:
    entries = [
        {  # a partial payment claiming 1,000 XRP and delivering 1 drop
            "hash": "ab" * 32,
            "tx_json": {
                "TransactionType": "Payment",
                "Account": OTHER,
                "Destination": ADDR,
                "Amount": "1000000000",
                "Flags": 131072,
            },
            "meta": {"TransactionResult": "tesSUCCESS", "delivered_amount": "1"},
        },
        {  # failed: nothing delivered
            "hash": "cd" * 32,
            "tx_json": {
                "TransactionType": "Payment",
                "Account": OTHER,
                "Destination": ADDR,
                "Amount": "5",
            },
            "meta": {"TransactionResult": "tecUNFUNDED_PAYMENT"},
        },
        {  # an issued currency
            "hash": "ef" * 32,
            "tx_json": {"TransactionType": "Payment", "Account": OTHER, "Destination": ADDR},
            "meta": {
                "TransactionResult": "tesSUCCESS",
                "delivered_amount": {"currency": "USD", "issuer": OTHER, "value": "5"},
            },
        },
    ]
    (payment,) = incoming_payments(entries, {ADDR}, 77)
    assert payment.delivered_drops == 1
    assert payment.tx_hash == ("AB" * 32)
    assert payment.ledger_index == 77
    assert incoming_payments(entries, {OTHER}, 77) == []
