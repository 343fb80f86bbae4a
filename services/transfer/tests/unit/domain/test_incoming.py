"""Incoming payments are read from meta.delivered_amount, never Amount."""

from __future__ import annotations

from xrpbot.transfer.domain.incoming import incoming_payments

ADDR = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"
OTHER = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"


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
