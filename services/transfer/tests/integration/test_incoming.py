"""The incoming-payment watcher against Postgres and the rippled stand-in."""

from __future__ import annotations

import pytest
from xrpl.wallet import Wallet

from .conftest import XRP, World

pytestmark = pytest.mark.integration


async def alerts(world: World) -> list[dict[str, object]]:
    return await world.outbox("transfer.payment_received")


async def test_payment_from_outside_is_recorded_and_alerted_once(world: World) -> None:
    await world.pass_()  # the first pass sets the cursor at the validated ledger
    _, bob = await world.user(2, "bob_x", xrp=50)
    outsider = Wallet.create()
    world.fund(outsider.address, 100 * XRP)
    assert (
        world.submit_signed(
            outsider,
            {
                "TransactionType": "Payment",
                "Destination": bob.address,
                "Amount": str(12 * XRP),
                "DestinationTag": 42,
            },
        )
        == "tesSUCCESS"
    )
    world.close()
    await world.pass_()
    await world.pass_()
    from_outsider = [a for a in await alerts(world) if a["source"]["address"] == outsider.address]  # type: ignore[index]
    assert len(from_outsider) == 1
    alert = from_outsider[0]
    assert alert["delivered_drops"] == 12 * XRP
    assert alert["destination_tag"] == 42
    assert alert["user"]["telegram_id"] == 2  # type: ignore[index]
    assert alert["chat_id"] == 2


async def test_bot_user_to_bot_user_names_the_sender(world: World) -> None:
    await world.pass_()
    _alice_actor, alice = await world.user(1, "alice_x", xrp=100)
    _, bob = await world.user(2, "bob_x", xrp=50)
    assert (
        world.submit_signed(
            alice, {"TransactionType": "Payment", "Destination": bob.address, "Amount": str(XRP)}
        )
        == "tesSUCCESS"
    )
    world.close()
    await world.pass_()
    (alert,) = [a for a in await alerts(world) if a["source"]["address"] == alice.address]  # type: ignore[index]
    assert alert["source"]["username"] == "alice_x"  # type: ignore[index]
    assert alert["source"]["telegram_id"] == 1  # type: ignore[index]


async def test_catches_up_after_downtime_from_its_cursor(world: World) -> None:
    await world.pass_()
    _, bob = await world.user(2, "bob_x", xrp=50)
    cursor = await world.pool.fetchval("SELECT ledger_index FROM ledger_cursor")
    outsider = Wallet.create()
    world.fund(outsider.address, 100 * XRP)
    for n in range(3):  # while the service is down: three payments in three ledgers
        world.submit_signed(
            outsider,
            {
                "TransactionType": "Payment",
                "Destination": bob.address,
                "Amount": str((n + 1) * XRP),
            },
        )
        world.close()
    await world.pass_()
    got = sorted(
        a["delivered_drops"]  # type: ignore[misc]
        for a in await alerts(world)
        if a["source"]["address"] == outsider.address  # type: ignore[index]
    )
    assert got == [1 * XRP, 2 * XRP, 3 * XRP]
    assert await world.pool.fetchval("SELECT ledger_index FROM ledger_cursor") > cursor
    # reading the same ledgers again (another replica, a restart) records nothing twice
    await world.pool.execute("UPDATE ledger_cursor SET ledger_index = $1", cursor)
    await world.pass_()
    assert len([a for a in await alerts(world) if a["source"]["address"] == outsider.address]) == 3  # type: ignore[index]


async def test_failed_payments_and_other_accounts_are_ignored(world: World) -> None:
    await world.pass_()
    _, bob = await world.user(2, "bob_x", xrp=50)
    poor = Wallet.create()
    world.fund(poor.address, 20 * XRP)
    stranger = Wallet.create()
    # tecUNFUNDED_PAYMENT: included in the ledger, fee charged, nothing delivered
    world.submit_signed(
        poor, {"TransactionType": "Payment", "Destination": bob.address, "Amount": str(500 * XRP)}
    )
    world.submit_signed(
        poor,
        {"TransactionType": "Payment", "Destination": stranger.address, "Amount": str(5 * XRP)},
    )
    world.close()
    await world.pass_()
    assert [a for a in await alerts(world) if a["source"]["address"] == poor.address] == []  # type: ignore[index]


async def test_ledger_reset_moves_the_cursor_back(world: World) -> None:
    await world.pass_()
    await world.pool.execute("UPDATE ledger_cursor SET ledger_index = 10000000")
    await world.pass_()
    validated = await world.ledger.validated_index()
    assert await world.pool.fetchval("SELECT ledger_index FROM ledger_cursor") == validated


async def test_wallet_opened_is_recorded_once_and_refreshes_the_username(world: World) -> None:
    from xrpbot.schemas import Actor, CreateWallet, WalletOpened
    from xrpbot.transfer.use_cases import incoming

    cmd = CreateWallet.new(user=Actor(telegram_id=5, username="eve_x"), chat_id=5)
    event = WalletOpened.replying_to(cmd, address="rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe")
    await incoming.record_wallet_opened(event, world.deps)
    await incoming.record_wallet_opened(event, world.deps)  # redelivered
    rows = await world.pool.fetch("SELECT address, telegram_id FROM custodial_accounts")
    assert [tuple(r) for r in rows] == [("rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe", 5)]
    names = await world.pool.fetch("SELECT telegram_id, username FROM telegram_users")
    assert [tuple(r) for r in names] == [(5, "eve_x")]
    assert await world.pool.fetchval("SELECT count(*) FROM inbox") == 1


async def test_wallet_opened_records_the_funding_without_announcing_it(world: World) -> None:
    from xrpbot.schemas import Actor, CreateWallet, WalletOpened
    from xrpbot.transfer.use_cases import incoming

    await world.pass_()
    new = Wallet.create()
    funding = world.fund(new.address, 100 * XRP)  # the faucet's payment, validated first
    event = WalletOpened.replying_to(
        CreateWallet.new(user=Actor(telegram_id=9, username="nina_x"), chat_id=9),
        address=new.address,
    )
    await incoming.record_wallet_opened(event, world.deps)
    await world.pass_()  # the watcher reads the funding ledger after the event
    rows = await world.pool.fetch("SELECT tx_hash, delivered_drops FROM incoming_payments")
    assert [(r["tx_hash"], r["delivered_drops"]) for r in rows] == [(funding.upper(), 100 * XRP)]
    assert [a for a in await alerts(world) if a["user"]["telegram_id"] == 9] == []  # type: ignore[index]


async def test_the_payment_that_creates_a_custodial_account_is_not_announced(
    world: World,
) -> None:
    await world.pass_()
    new = Wallet.create()
    await world.pool.execute(
        "INSERT INTO custodial_accounts (address, telegram_id, username, opened_at) "
        "VALUES ($1, 9, 'nina_x', now())",
        new.address,
    )
    world.fund(new.address, 100 * XRP)
    await world.pass_()
    assert await world.pool.fetchval("SELECT count(*) FROM incoming_payments") == 1
    assert [a for a in await alerts(world) if a["user"]["telegram_id"] == 9] == []  # type: ignore[index]
