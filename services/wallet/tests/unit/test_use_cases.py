"""Wallet use cases against fakes: creation, idempotency, funding, balance and its errors."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import httpx

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
from xrpbot.wallet.adapters.ledger import XrplLedger

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


async def test_two_balances_in_one_ledger_make_one_reserve_read(world: Any) -> None:
    rippled = _OneLedgerRippled(validated=7)
    http = httpx.AsyncClient(transport=httpx.MockTransport(rippled.handle))
    deps = replace(world.deps, ledger=XrplLedger("http://rippled.test/", http))
    await use_cases.create_wallet(CreateWallet.new(user=ALICE, chat_id=42), deps)
    rippled.calls.clear()
    for _ in range(2):
        await use_cases.get_balance(GetBalance.new(user=ALICE, chat_id=42), deps)
    first, second = world.store.replies[-2:]
    assert isinstance(first, BalanceReported)
    assert isinstance(second, BalanceReported)
    assert first.reserve_drops == second.reserve_drops == 1_000_000
    assert rippled.calls == ["account_info", "server_state", "account_info"]
    rippled.validated = 8
    await use_cases.get_balance(GetBalance.new(user=ALICE, chat_id=42), deps)
    assert rippled.calls[-2:] == ["account_info", "server_state"], "a new ledger reads again"


class _OneLedgerRippled:
    """rippled's JSON-RPC for account_info and server_state at validated ledger `validated`."""

    def __init__(self, validated: int) -> None:
        self.validated = validated
        self.calls: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        method = json.loads(request.content)["method"]
        self.calls.append(method)
        if method == "server_state":
            state = {
                "validated_ledger": {
                    "seq": self.validated,
                    "reserve_base": 1_000_000,
                    "reserve_inc": 200_000,
                }
            }
            return httpx.Response(200, json={"result": {"status": "success", "state": state}})
        data = {"Balance": "100000000", "OwnerCount": 0, "Sequence": 1}
        result = {
            "status": "success",
            "validated": True,
            "ledger_index": self.validated,
            "account_data": data,
        }
        return httpx.Response(200, json={"result": result})
