"""Wallet bounds what it signs, whoever asks: transfer's HMAC, a fresh and unused nonce, a fee
cap and each user's rolling 24-hour limit. Real key custody (Fernet + xrpl-py), fake storage."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from cryptography.fernet import Fernet

from xrpbot.schemas import Actor, CreateWallet, ErrorCode, RequestAuth
from xrpbot.wallet import use_cases
from xrpbot.wallet.adapters.keys import FernetKeyGenerator, SeedVault
from xrpbot.wallet.domain.bounds import (
    LimitExceeded,
    SigningBounds,
    check_daily_limit,
)

ALICE = Actor(telegram_id=42, username="alice", first_name="Alice")
DEST = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"
XRP = 1_000_000


@pytest.fixture
async def alice(world: Any) -> Any:
    keys = FernetKeyGenerator(SeedVault([Fernet.generate_key().decode()]))
    world.deps = dataclasses.replace(
        world.deps,
        keys=keys,
        bounds=SigningBounds(max_fee_drops=1000, daily_limit_drops=100 * XRP),
    )
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    world.address = world.store.wallets[42].address
    return world


def payment(
    account: str, *, drops: int = 10 * XRP, fee: int = 12, sequence: int = 7
) -> dict[str, Any]:
    return {
        "TransactionType": "Payment",
        "Account": account,
        "Destination": DEST,
        "Amount": str(drops),
        "Fee": str(fee),
        "Sequence": sequence,
        "LastLedgerSequence": 120,
    }


async def test_a_request_without_transfers_hmac_is_refused(alice: Any, to_sign: Any) -> None:
    good = to_sign(ALICE, payment(alice.address))
    for forged in (
        good.model_copy(update={"auth": None}),
        to_sign(ALICE, payment(alice.address), key=b"m" * 32),  # a key wallet does not hold
        good.model_copy(update={"tx_json": payment(alice.address, drops=90 * XRP)}),  # tampered
        good.model_copy(update={"auth": RequestAuth(issued_at=datetime.now(UTC), nonce="n" * 16)}),
    ):
        answer = await use_cases.sign_payment(forged, alice.deps)
        assert answer.code == ErrorCode.REQUEST_UNAUTHENTICATED
        assert answer.tx_blob is None
    assert alice.store.signed == {}


async def test_a_stale_or_future_request_is_refused(alice: Any, to_sign: Any) -> None:
    for skew in (timedelta(minutes=-5), timedelta(minutes=5)):
        request = to_sign(ALICE, payment(alice.address), issued_at=datetime.now(UTC) + skew)
        answer = await use_cases.sign_payment(request, alice.deps)
        assert answer.code == ErrorCode.REQUEST_UNAUTHENTICATED


async def test_a_replayed_request_is_refused(alice: Any, to_sign: Any) -> None:
    request = to_sign(ALICE, payment(alice.address), transfer_id=uuid4())
    first = await use_cases.sign_payment(request, alice.deps)
    assert first.code is None
    assert first.tx_blob
    replay = await use_cases.sign_payment(request, alice.deps)
    assert replay.code == ErrorCode.REQUEST_UNAUTHENTICATED
    assert replay.tx_blob is None


async def test_the_old_key_is_still_accepted_while_keys_rotate(alice: Any, to_sign: Any) -> None:
    old = to_sign(ALICE, payment(alice.address))  # signed with the key wallet had so far
    rotated = dataclasses.replace(
        alice.deps, signing_request_keys=(b"n" * 32, *alice.deps.signing_request_keys)
    )
    assert (await use_cases.sign_payment(old, rotated)).code is None
    new = to_sign(ALICE, payment(alice.address, sequence=8), key=b"n" * 32)
    assert (await use_cases.sign_payment(new, rotated)).code is None
    retired = dataclasses.replace(alice.deps, signing_request_keys=(b"n" * 32,))
    stale_key = to_sign(ALICE, payment(alice.address, sequence=9))
    assert (
        await use_cases.sign_payment(stale_key, retired)
    ).code == ErrorCode.REQUEST_UNAUTHENTICATED


async def test_a_fee_over_the_cap_is_refused(alice: Any, to_sign: Any) -> None:
    request = to_sign(ALICE, payment(alice.address, fee=99_999_999_999))
    answer = await use_cases.sign_payment(request, alice.deps)
    assert answer.code == ErrorCode.FEE_TOO_HIGH
    assert answer.tx_blob is None
    assert (
        await use_cases.sign_payment(to_sign(ALICE, payment(alice.address, fee=1000)), alice.deps)
    ).code is None


async def test_the_daily_limit_counts_each_transfer_once(alice: Any, to_sign: Any) -> None:
    transfer = uuid4()
    for sequence in (7, 8):  # the same transfer signed again with a new Sequence (tefPAST_SEQ)
        request = to_sign(
            ALICE, payment(alice.address, drops=60 * XRP, sequence=sequence), transfer_id=transfer
        )
        assert (await use_cases.sign_payment(request, alice.deps)).code is None
    over = to_sign(ALICE, payment(alice.address, drops=41 * XRP, sequence=9), transfer_id=uuid4())
    answer = await use_cases.sign_payment(over, alice.deps)
    assert answer.code == ErrorCode.DAILY_LIMIT_EXCEEDED
    assert answer.remaining_today_drops == 40 * XRP
    assert answer.tx_blob is None
    fits = to_sign(ALICE, payment(alice.address, drops=40 * XRP, sequence=9), transfer_id=uuid4())
    assert (await use_cases.sign_payment(fits, alice.deps)).code is None


async def test_a_user_may_lower_their_own_limit_but_never_raise_it(
    alice: Any, to_sign: Any
) -> None:
    alice.store.own_limits[42] = 5 * XRP
    request = to_sign(ALICE, payment(alice.address, drops=6 * XRP), transfer_id=uuid4())
    answer = await use_cases.sign_payment(request, alice.deps)
    assert (answer.code, answer.remaining_today_drops) == (ErrorCode.DAILY_LIMIT_EXCEEDED, 5 * XRP)
    alice.store.own_limits[42] = 1_000 * XRP  # above the default: the default applies
    request = to_sign(ALICE, payment(alice.address, drops=101 * XRP), transfer_id=uuid4())
    assert (
        await use_cases.sign_payment(request, alice.deps)
    ).code == ErrorCode.DAILY_LIMIT_EXCEEDED


def test_limit_rule() -> None:
    check_daily_limit(10, 90, 100)
    with pytest.raises(LimitExceeded) as err:
        check_daily_limit(11, 90, 100)
    assert err.value.remaining_drops == 10
    with pytest.raises(LimitExceeded) as err:
        check_daily_limit(1, 120, 100)  # a lowered limit below what was already sent
    assert err.value.remaining_drops == 0


async def test_a_bigger_payment_on_the_same_sequence_counts_at_its_own_amount(
    alice: Any, to_sign: Any
) -> None:
    """Without a transfer id a payment counts by Account and Sequence; a second, bigger payment
    on that Sequence (only one of the two can ever be validated) counts at the bigger amount."""
    assert (
        await use_cases.sign_payment(to_sign(ALICE, payment(alice.address, drops=XRP)), alice.deps)
    ).code is None
    bigger = to_sign(ALICE, payment(alice.address, drops=90 * XRP))
    assert (await use_cases.sign_payment(bigger, alice.deps)).code is None
    next_one = to_sign(ALICE, payment(alice.address, drops=11 * XRP, sequence=8))
    answer = await use_cases.sign_payment(next_one, alice.deps)
    assert (answer.code, answer.remaining_today_drops) == (
        ErrorCode.DAILY_LIMIT_EXCEEDED,
        10 * XRP,
    )
