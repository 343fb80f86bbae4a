"""Signing and @username resolution with the real key custody (Fernet + xrpl-py), fake storage."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from cryptography.fernet import Fernet
from xrpl.core.binarycodec import decode
from xrpl.core.keypairs import is_valid_message

from xrpbot.schemas import Actor, CreateWallet, ErrorCode, ResolveUser, UserSeen
from xrpbot.wallet import use_cases
from xrpbot.wallet.adapters.keys import FernetKeyGenerator, SeedVault
from xrpbot.wallet.domain.signing import UnsignablePayment, check_payment

ALICE = Actor(telegram_id=42, username="Alice_X", first_name="Alice")
MALLORY = Actor(telegram_id=66, username="mallory", first_name="Mallory")
DEST = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"


@pytest.fixture
def custody(world: Any) -> Any:
    keys = FernetKeyGenerator(SeedVault([Fernet.generate_key().decode()]))
    world.deps = dataclasses.replace(world.deps, keys=keys)
    return world


def payment(account: str, **extra: Any) -> dict[str, Any]:
    return {
        "TransactionType": "Payment",
        "Account": account,
        "Destination": DEST,
        "Amount": "10000000",
        "Fee": "12",
        "Sequence": 7,
        "LastLedgerSequence": 120,
        **extra,
    }


async def test_signs_the_users_own_payment_deterministically(custody: Any, to_sign: Any) -> None:
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), custody.deps)
    address = custody.store.wallets[42].address
    first = await use_cases.sign_payment(to_sign(ALICE, payment(address)), custody.deps)
    again = await use_cases.sign_payment(to_sign(ALICE, payment(address)), custody.deps)
    assert first.code is None
    assert first.tx_blob
    assert first.tx_hash
    assert len(first.tx_hash) == 64
    assert (again.tx_blob, again.tx_hash) == (first.tx_blob, first.tx_hash)
    tx = decode(first.tx_blob)
    assert tx["Account"] == address
    assert tx["Amount"] == "10000000"
    assert tx["Sequence"] == 7
    unsigned = {k: v for k, v in tx.items() if k != "TxnSignature"}
    from xrpl.core.binarycodec import encode_for_signing

    assert is_valid_message(
        bytes.fromhex(encode_for_signing(unsigned)),
        bytes.fromhex(tx["TxnSignature"]),
        tx["SigningPubKey"],
    )


async def test_refuses_to_sign_from_someone_elses_account(custody: Any, to_sign: Any) -> None:
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), custody.deps)
    await use_cases.create_wallet(CreateWallet.new(user=MALLORY, chat_id=66), custody.deps)
    alice_address = custody.store.wallets[42].address
    answer = await use_cases.sign_payment(to_sign(MALLORY, payment(alice_address)), custody.deps)
    assert answer.code is ErrorCode.INTERNAL
    assert answer.tx_blob is None


async def test_no_wallet_no_signature(custody: Any, to_sign: Any) -> None:
    answer = await use_cases.sign_payment(to_sign(ALICE, payment(DEST)), custody.deps)
    assert answer.code is ErrorCode.WALLET_NOT_FOUND


@pytest.mark.parametrize(
    "change",
    [
        {"TransactionType": "AccountSet"},
        {"Amount": {"currency": "USD", "issuer": DEST, "value": "1"}},
        {"Amount": "0"},
        {"Flags": 131072},  # tfPartialPayment
        {"Paths": []},
        {"SendMax": "100"},
        {"Fee": "0"},
        {"LastLedgerSequence": None},
        {"TxnSignature": "00"},
    ],
)
def test_signing_rules(change: dict[str, Any]) -> None:
    tx = payment("rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh") | change
    tx = {k: v for k, v in tx.items() if v is not None}
    with pytest.raises(UnsignablePayment):
        check_payment(tx, "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh")


async def test_resolves_usernames_case_insensitively(custody: Any, to_sign: Any) -> None:
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), custody.deps)
    await use_cases.record_user_seen(
        UserSeen(correlation_id=uuid4(), user=ALICE, chat_id=42, seen_at=datetime.now(UTC)),
        custody.deps,
    )
    found = await use_cases.resolve_user(
        ResolveUser.new(user=MALLORY, chat_id=66, username="@alice_x"), custody.deps
    )
    assert found.telegram_id == 42
    assert found.address == custody.store.wallets[42].address
    missing = await use_cases.resolve_user(
        ResolveUser.new(user=MALLORY, chat_id=66, username="nobody"), custody.deps
    )
    assert missing.address is None
    assert missing.telegram_id is None
