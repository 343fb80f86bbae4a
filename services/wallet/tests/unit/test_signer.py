"""The wallet's signer gives exactly what xrpl-py's own `sign` gives (Ed25519 is deterministic)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xrpl import CryptoAlgorithm
from xrpl.core.addresscodec import encode_classic_address
from xrpl.core.binarycodec import encode
from xrpl.core.keypairs import generate_seed
from xrpl.models.exceptions import XRPLModelException
from xrpl.models.transactions import Transaction
from xrpl.transaction import sign
from xrpl.wallet import Wallet

from xrpbot.wallet.adapters.signer import sign_transaction

_UINT32 = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def _payments(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """An Ed25519 seed and a plain XRP Payment from its account, as transfer prepares them."""
    seed = generate_seed(draw(st.binary(min_size=16, max_size=16)).hex(), CryptoAlgorithm.ED25519)
    tx: dict[str, Any] = {
        "TransactionType": "Payment",
        "Account": Wallet.from_seed(seed).address,
        "Destination": encode_classic_address(draw(st.binary(min_size=20, max_size=20))),
        "Amount": str(draw(st.integers(min_value=1, max_value=10**17))),
        "Fee": str(draw(st.integers(min_value=1, max_value=10**9))),
        "Sequence": draw(_UINT32),
        "LastLedgerSequence": draw(_UINT32),
        "Flags": 0,
    }
    if draw(st.booleans()):
        tx["DestinationTag"] = draw(_UINT32)
    if draw(st.booleans()):
        tx["NetworkID"] = draw(st.integers(min_value=1025, max_value=2**32 - 1))
    return seed, tx


def _xrpl_py_signed(seed: str, tx: dict[str, Any]) -> tuple[str, str]:
    signed = sign(Transaction.from_xrpl(tx), Wallet.from_seed(seed))
    return encode(signed.to_xrpl()), signed.get_hash()


@settings(max_examples=60, deadline=None)
@given(_payments())
def test_ed25519_signature_blob_and_hash_equal_xrpl_py(
    payment: tuple[str, dict[str, Any]],
) -> None:
    seed, tx = payment
    ours = sign_transaction(seed, tx)
    assert (ours.tx_blob, ours.tx_hash) == _xrpl_py_signed(seed, tx)


def test_secp256k1_accounts_are_signed_as_xrpl_py_signs_them() -> None:
    seed = generate_seed("0f" * 16, CryptoAlgorithm.SECP256K1)
    tx = {
        "TransactionType": "Payment",
        "Account": Wallet.from_seed(seed).address,
        "Destination": encode_classic_address(b"\x01" * 20),
        "Amount": "1000000",
        "Fee": "12",
        "Sequence": 7,
        "LastLedgerSequence": 90,
        "Flags": 0,
    }
    ours = sign_transaction(seed, tx)
    assert (ours.tx_blob, ours.tx_hash) == _xrpl_py_signed(seed, tx)


def test_a_malformed_transaction_is_refused_before_signing() -> None:
    seed = generate_seed("0e" * 16, CryptoAlgorithm.ED25519)
    with pytest.raises(XRPLModelException, match="destination"):
        sign_transaction(seed, {"TransactionType": "Payment", "Account": "r", "Amount": "1"})
