"""A user's own daily limit: wallet stores it only when it is not above the default, reports
the limit in force with what is left of it, and signs by it. Fake storage."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import uuid4

import pytest
from cryptography.fernet import Fernet

from xrpbot.schemas import (
    Actor,
    CreateWallet,
    DailyLimitReported,
    DailyLimitSet,
    ErrorCode,
    GetDailyLimit,
    SetDailyLimit,
    WalletFailed,
)
from xrpbot.wallet import use_cases
from xrpbot.wallet.adapters.keys import FernetKeyGenerator, SeedVault
from xrpbot.wallet.domain.bounds import LimitAboveDefault, SigningBounds

ALICE = Actor(telegram_id=42, username="alice")
DEST = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"
XRP = 1_000_000
DEFAULT = 1_000 * XRP


@pytest.fixture
async def alice(world: Any) -> Any:
    world.deps = dataclasses.replace(
        world.deps,
        keys=FernetKeyGenerator(SeedVault([Fernet.generate_key().decode()])),
        bounds=SigningBounds(daily_limit_drops=DEFAULT),
    )
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    world.address = world.store.wallets[42].address
    world.store.replies.clear()
    return world


def _payment(account: str, drops: int) -> dict[str, Any]:
    return {
        "TransactionType": "Payment",
        "Account": account,
        "Destination": DEST,
        "Amount": str(drops),
        "Fee": "12",
        "Sequence": 7,
        "LastLedgerSequence": 120,
    }


async def _set(world: Any, limit_drops: int | None) -> Any:
    await use_cases.set_daily_limit(
        SetDailyLimit.new(user=ALICE, chat_id=42, limit_drops=limit_drops), world.deps
    )
    return world.store.replies[-1]


async def test_a_lowered_limit_is_stored_reported_and_signed_by(alice: Any, to_sign: Any) -> None:
    sent = to_sign(ALICE, _payment(alice.address, 30 * XRP), transfer_id=uuid4())
    assert (await use_cases.sign_payment(sent, alice.deps)).code is None

    reply = await _set(alice, 100 * XRP)
    assert isinstance(reply, DailyLimitSet)
    assert (reply.limit_drops, reply.default_limit_drops, reply.own) == (100 * XRP, DEFAULT, True)
    assert (reply.sent_today_drops, reply.remaining_today_drops) == (30 * XRP, 70 * XRP)
    assert alice.store.own_limits == {42: 100 * XRP}

    over = to_sign(ALICE, _payment(alice.address, 71 * XRP), transfer_id=uuid4())
    answer = await use_cases.sign_payment(over, alice.deps)
    assert (answer.code, answer.remaining_today_drops) == (
        ErrorCode.DAILY_LIMIT_EXCEEDED,
        70 * XRP,
    )
    fits = to_sign(ALICE, _payment(alice.address, 70 * XRP), transfer_id=uuid4())
    assert (await use_cases.sign_payment(fits, alice.deps)).code is None

    await use_cases.get_daily_limit(GetDailyLimit.new(user=ALICE, chat_id=42), alice.deps)
    report = alice.store.replies[-1]
    assert isinstance(report, DailyLimitReported)
    assert (report.limit_drops, report.own, report.remaining_today_drops) == (100 * XRP, True, 0)


async def test_back_to_the_default(alice: Any) -> None:
    await _set(alice, 100 * XRP)
    reply = await _set(alice, None)
    assert isinstance(reply, DailyLimitSet)
    assert (reply.limit_drops, reply.own, reply.remaining_today_drops) == (DEFAULT, False, DEFAULT)
    assert alice.store.own_limits == {}


async def test_a_limit_above_the_default_is_refused_and_nothing_changes(alice: Any) -> None:
    await _set(alice, 100 * XRP)
    reply = await _set(alice, DEFAULT + 1)
    assert isinstance(reply, WalletFailed)
    assert (reply.code, reply.command) == (ErrorCode.LIMIT_ABOVE_DEFAULT, "wallet.set_daily_limit")
    assert alice.store.own_limits == {42: 100 * XRP}
    equal = await _set(alice, DEFAULT)  # the default itself may be chosen
    assert isinstance(equal, DailyLimitSet)
    assert (equal.limit_drops, equal.own) == (DEFAULT, True)


async def test_without_a_wallet_the_default_is_reported_and_nothing_is_stored(
    world: Any,
) -> None:
    bob = Actor(telegram_id=7)
    await use_cases.get_daily_limit(GetDailyLimit.new(user=bob, chat_id=7), world.deps)
    await use_cases.set_daily_limit(
        SetDailyLimit.new(user=bob, chat_id=7, limit_drops=XRP), world.deps
    )
    report, refused = world.store.replies
    default = world.deps.bounds.daily_limit_drops
    assert isinstance(report, DailyLimitReported)
    assert (report.limit_drops, report.own, report.sent_today_drops) == (default, False, 0)
    assert isinstance(refused, WalletFailed)
    assert refused.code == ErrorCode.WALLET_NOT_FOUND
    assert world.store.own_limits == {}


async def test_a_redelivered_command_changes_nothing_twice(alice: Any) -> None:
    command = SetDailyLimit.new(user=ALICE, chat_id=42, limit_drops=100 * XRP)
    await use_cases.set_daily_limit(command, alice.deps)
    alice.store.own_limits[42] = 5 * XRP  # changed since, by a later command
    await use_cases.set_daily_limit(command, alice.deps)
    assert len(alice.store.replies) == 1
    assert alice.store.own_limits == {42: 5 * XRP}


async def test_an_own_limit_above_a_since_lowered_default_is_not_in_force(alice: Any) -> None:
    await _set(alice, 500 * XRP)
    lowered = dataclasses.replace(alice.deps, bounds=SigningBounds(daily_limit_drops=200 * XRP))
    await use_cases.get_daily_limit(GetDailyLimit.new(user=ALICE, chat_id=42), lowered)
    report = alice.store.replies[-1]
    assert (report.limit_drops, report.default_limit_drops, report.own) == (
        200 * XRP,
        200 * XRP,
        False,
    )


def test_own_limit_rule() -> None:
    bounds = SigningBounds(daily_limit_drops=100)
    assert bounds.own_limit(None) is None
    assert bounds.own_limit(100) == 100
    with pytest.raises(LimitAboveDefault):
        bounds.own_limit(101)
    limit = bounds.daily_limit(40, sent_today_drops=50)
    assert (limit.limit_drops, limit.own, limit.remaining_drops) == (40, True, 0)
