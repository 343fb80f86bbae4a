"""The incoming watcher and wallet.opened against fakes: each payment recorded and alerted once,
the faucet's funding recorded silently, catching up from the cursor, a reset cursor moved back."""

from __future__ import annotations

import dataclasses
from typing import Any

from xrpbot.schemas import Actor, CreateWallet, PaymentReceived, WalletOpened
from xrpbot.transfer.use_cases import incoming

XRP = 1_000_000
OUTSIDER = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"


def payment(
    tx_hash: str, source: str, destination: str, drops: int, **meta: Any
) -> dict[str, Any]:
    """A validated Payment entry as the ledger method gives it (API v2 shape)."""
    return {
        "hash": tx_hash,
        "tx_json": {
            "TransactionType": "Payment",
            "Account": source,
            "Destination": destination,
            "Amount": str(drops),
        },
        "meta": {"TransactionResult": "tesSUCCESS", "delivered_amount": str(drops), **meta},
    }


def alerts(world: Any) -> list[PaymentReceived]:
    return [r for r in world.store.replies if isinstance(r, PaymentReceived)]


async def test_the_first_pass_only_sets_the_cursor(world: Any) -> None:
    assert await incoming.watch(100, world.deps) is False
    assert world.store.cursor == 100
    assert world.metrics.progress == []


async def test_a_payment_is_recorded_and_alerted_once(world: Any) -> None:
    bobby = world.user(2, "bobby")
    alice = world.user(1, "alice")
    world.store.cursor = 100
    world.ledger.ledgers[101] = [
        payment("aa" * 32, OUTSIDER, world.address_of(bobby), 12 * XRP),
        payment("bb" * 32, world.address_of(alice), world.address_of(bobby), 1 * XRP),
    ]
    assert await incoming.watch(101, world.deps) is False
    assert world.store.cursor == 101
    from_outsider, from_alice = alerts(world)
    assert from_outsider.user.telegram_id == 2
    assert from_outsider.chat_id == 2
    assert from_outsider.delivered_drops == 12 * XRP
    assert from_outsider.tx_hash == "AA" * 32
    assert from_outsider.source.telegram_id is None
    assert from_alice.source.username == "alice"
    assert world.metrics.progress == [(101, 101)]

    world.store.cursor = 100  # read again (another replica, a restart)
    await incoming.watch(101, world.deps)
    assert len(alerts(world)) == 2
    assert len(world.store.incoming) == 2


async def test_the_payment_creating_a_custodial_account_is_not_announced(world: Any) -> None:
    bobby = world.user(2, "bobby")
    world.store.cursor = 100
    new_root = {
        "LedgerEntryType": "AccountRoot",
        "NewFields": {"Account": world.address_of(bobby)},
    }
    created = {"AffectedNodes": [{"CreatedNode": new_root}]}
    world.ledger.ledgers[101] = [
        payment("cc" * 32, OUTSIDER, world.address_of(bobby), 100 * XRP, **created)
    ]
    await incoming.watch(101, world.deps)
    assert alerts(world) == []
    assert list(world.store.incoming) == ["CC" * 32]


async def test_it_catches_up_a_few_ledgers_per_pass(world: Any) -> None:
    bobby = world.user(2, "bobby")
    deps = dataclasses.replace(world.deps, max_ledgers_per_pass=2)
    world.store.cursor = 100
    for n in range(1, 4):
        world.ledger.ledgers[100 + n] = [
            payment(f"{n:064X}", OUTSIDER, world.address_of(bobby), n * XRP)
        ]
    assert await incoming.watch(103, deps) is True, "more to read"
    assert world.store.cursor == 102
    assert await incoming.watch(103, deps) is False
    assert sorted(a.delivered_drops for a in alerts(world)) == [1 * XRP, 2 * XRP, 3 * XRP]
    assert world.metrics.progress == [(103, 102), (103, 103)]


async def test_a_cursor_ahead_of_the_ledger_is_moved_back(world: Any) -> None:
    world.store.cursor = 10_000_000
    assert await incoming.watch(100, world.deps) is False
    assert world.store.cursor == 100


async def test_wallet_opened_records_the_account_and_its_funding_silently(world: Any) -> None:
    cmd = CreateWallet.new(user=Actor(telegram_id=9, username="nina_x"), chat_id=9)
    event = WalletOpened.replying_to(cmd, address="rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe")
    world.ledger.account_txs[event.address] = [
        {**payment("dd" * 32, OUTSIDER, event.address, 100 * XRP), "ledger_index": 42}
    ]
    await incoming.record_wallet_opened(event, world.deps)
    await incoming.record_wallet_opened(event, world.deps)  # redelivered
    assert world.store.accounts[event.address].telegram_id == 9
    assert world.store.usernames[9].username == "nina_x"
    ((recorded, owner, _),) = world.store.incoming.values()
    assert (recorded.delivered_drops, recorded.ledger_index, owner) == (100 * XRP, 42, 9)
    assert world.store.replies == []
    assert len(world.store.inbox) == 1


async def test_wallet_opened_again_refreshes_the_username(world: Any) -> None:
    address = "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe"
    for name in ("nina_x", "nina_y"):
        cmd = CreateWallet.new(user=Actor(telegram_id=9, username=name), chat_id=9)
        await incoming.record_wallet_opened(
            WalletOpened.replying_to(cmd, address=address), world.deps
        )
    assert world.store.usernames[9].username == "nina_y"
