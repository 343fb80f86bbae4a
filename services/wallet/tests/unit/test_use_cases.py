"""Wallet use cases against fakes: creation, idempotency, funding, balance and its errors."""

from __future__ import annotations

from typing import Any

from xrpbot.schemas import (
    Actor,
    BalanceReported,
    CreateWallet,
    ErrorCode,
    GetBalance,
    WalletCreated,
    WalletFailed,
    WalletOpened,
)
from xrpbot.wallet import use_cases

ALICE = Actor(telegram_id=42, username="alice", first_name="Alice")


async def test_creates_and_funds_a_wallet(world: Any) -> None:
    cmd = CreateWallet.new(user=ALICE, chat_id=42)
    await use_cases.create_wallet(cmd, world.deps)
    (reply,) = world.store.replies
    assert isinstance(reply, WalletCreated)
    assert reply.correlation_id == cmd.correlation_id
    assert reply.wallet.funded is True
    assert reply.already_existed is False
    assert reply.balance_drops == 100_000_000
    assert world.faucet.funded == [reply.wallet.address]
    assert world.store.wallets[42].funded
    (event,) = world.store.events
    assert isinstance(event, WalletOpened)
    assert event.address == reply.wallet.address


async def test_second_wallet_command_returns_the_same_account(world: Any) -> None:
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    first, second = world.store.replies
    assert first.wallet.address == second.wallet.address
    assert second.already_existed is True
    assert first.funded_now is True
    assert second.funded_now is False
    assert world.keys.count == 1
    assert len(world.faucet.funded) == 1, "a funded account is not funded again"
    assert len(world.store.events) == 1, "wallet.opened only once"


async def test_redelivered_command_changes_nothing(world: Any) -> None:
    cmd = CreateWallet.new(user=ALICE, chat_id=42)
    await use_cases.create_wallet(cmd, world.deps)
    await use_cases.create_wallet(cmd, world.deps)
    assert len(world.store.replies) == 1
    assert len(world.store.events) == 1


async def test_faucet_failure_keeps_the_account_and_says_not_funded(world: Any) -> None:
    world.faucet.works = False
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    (reply,) = world.store.replies
    assert reply.wallet.funded is False
    assert not world.store.wallets[42].funded
    world.faucet.works = True
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    assert world.store.replies[-1].wallet.funded is True
    assert world.store.replies[-1].wallet.address == reply.wallet.address
    assert world.store.replies[-1].funded_now is True


async def test_balance_reports_drops_and_reserve(world: Any) -> None:
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    cmd = GetBalance.new(user=ALICE, chat_id=42)
    await use_cases.get_balance(cmd, world.deps)
    reply = world.store.replies[-1]
    assert isinstance(reply, BalanceReported)
    assert reply.balance_drops == 100_000_000
    assert reply.reserve_drops == 1_000_000
    assert reply.correlation_id == cmd.correlation_id


async def test_balance_without_wallet_is_wallet_not_found(world: Any) -> None:
    await use_cases.get_balance(GetBalance.new(user=ALICE, chat_id=42), world.deps)
    (reply,) = world.store.replies
    assert isinstance(reply, WalletFailed)
    assert reply.code is ErrorCode.WALLET_NOT_FOUND


async def test_balance_when_ledger_is_down_is_ledger_unavailable(world: Any) -> None:
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    world.ledger.down = True
    await use_cases.get_balance(GetBalance.new(user=ALICE, chat_id=42), world.deps)
    assert world.store.replies[-1].code is ErrorCode.LEDGER_UNAVAILABLE


async def test_balance_of_unfunded_account_is_account_not_found(world: Any) -> None:
    world.faucet.works = False
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), world.deps)
    await use_cases.get_balance(GetBalance.new(user=ALICE, chat_id=42), world.deps)
    assert world.store.replies[-1].code is ErrorCode.ACCOUNT_NOT_FOUND
