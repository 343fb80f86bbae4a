"""Destination rules and the signing deadline against Postgres and the rippled stand-in: the
real XrplLedger (`deposit_authorized`), the real repositories and the ledger worker."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from xrpl.core.addresscodec import classic_address_to_xaddress
from xrpl.wallet import Wallet

from xrpbot.schemas import Actor, ConfirmTransfer, RequestTransfer
from xrpbot.transfer.domain.reply_to import ReplyTo
from xrpbot.transfer.entrypoints.ledger_worker import LedgerWorker
from xrpbot.transfer.ports import CustodyUnavailable, SignedBlob
from xrpbot.transfer.use_cases import quotes

from .conftest import XRP, World

pytestmark = pytest.mark.integration

ASF_DEPOSIT_AUTH = 9


async def quote(world: World, actor: Actor, amount: str, destination: str) -> dict[str, Any]:
    cmd = RequestTransfer.new(
        user=actor, chat_id=actor.telegram_id, amount=amount, destination=destination
    )
    await quotes.request_transfer(cmd, world.deps)
    (reply,) = [m for m in await world.outbox() if m["correlation_id"] == str(cmd.correlation_id)]
    return reply


async def code_of(world: World, actor: Actor, amount: str, destination: str) -> str:
    reply = await quote(world, actor, amount, destination)
    return str(reply.get("code", reply["kind"]))


async def test_deposit_auth_is_refused_before_confirm_as_the_ledger_would(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    guarded, small = Wallet.create(), Wallet.create()
    world.fund(guarded.address, 20 * XRP)
    world.fund(small.address, 1 * XRP + 10)  # after its AccountSet: exactly the base reserve
    for wallet in (guarded, small):
        set_flag = {"TransactionType": "AccountSet", "SetFlag": ASF_DEPOSIT_AUTH}
        assert world.submit_signed(wallet, set_flag) == "tesSUCCESS"
    world.close()

    assert await code_of(world, alice, "5", guarded.address) == "destination_deposit_auth"
    # DepositAuth's exception: up to the base reserve to an account holding at most that much
    assert await code_of(world, alice, "1", small.address) == "transfer.quoted"
    assert await code_of(world, alice, "1.000001", small.address) == "destination_deposit_auth"

    clear = {"TransactionType": "AccountSet", "ClearFlag": ASF_DEPOSIT_AUTH}
    assert world.submit_signed(guarded, clear) == "tesSUCCESS"
    world.close()
    assert await code_of(world, alice, "5", guarded.address) == "transfer.quoted"


async def test_deposit_authorized_reads_the_validated_ledger(world: World) -> None:
    guarded = Wallet.create()
    world.fund(guarded.address, 20 * XRP)
    world.submit_signed(guarded, {"TransactionType": "AccountSet", "SetFlag": ASF_DEPOSIT_AUTH})

    assert await world.ledger.deposit_authorized(world.genesis.address, guarded.address)
    world.close()
    assert not await world.ledger.deposit_authorized(world.genesis.address, guarded.address)
    assert await world.ledger.deposit_authorized(guarded.address, guarded.address)
    missing = Wallet.create().address
    assert not await world.ledger.deposit_authorized(world.genesis.address, missing)


async def test_black_holes_and_mainnet_x_addresses_are_refused(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    mainnet = classic_address_to_xaddress(bob_wallet.address, 7, is_test_network=False)

    assert await code_of(world, alice, "1", "rrrrrrrrrrrrrrrrrrrrrhoLvTp") == (
        "destination_black_hole"
    )
    assert await code_of(world, alice, "1", mainnet) == "address_wrong_network"
    assert await world.pool.fetchval("SELECT count(*) FROM transfers WHERE state = 'quoted'") == 0


class AwayCustody:
    """Wallet not answering: every signing request times out."""

    async def sign(
        self, reply_to: ReplyTo, tx_json: Mapping[str, Any], *, transfer_id: UUID
    ) -> SignedBlob:
        raise CustodyUnavailable("no answer")

    async def resolve(self, reply_to: ReplyTo, username: str) -> None:
        raise CustodyUnavailable("no answer")


async def test_a_payment_not_signed_by_the_deadline_ends_not_sent(world: World) -> None:
    alice, alice_wallet = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "10", "@bob_x")
    cmd = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=UUID(q["transfer_id"]))
    await quotes.confirm_transfer(cmd, world.deps)
    away = dataclasses.replace(world.deps, custody=AwayCustody())
    with pytest.raises(CustodyUnavailable):  # within the deadline: left for the next pass
        await LedgerWorker(away).run_once(await world.ledger.validated_index())
    assert await world.state(cmd.transfer_id) == "confirmed"

    overdue = dataclasses.replace(away, sign_deadline=timedelta(0))
    await LedgerWorker(overdue).run_once(await world.ledger.validated_index())
    await world.pass_()  # wallet back: a given-up payment is never signed after all

    assert await world.state(cmd.transfer_id) == "failed"
    (failed,) = await world.outbox("transfer.failed")
    assert failed["correlation_id"] == str(cmd.correlation_id)
    assert (failed["code"], failed["fee_drops"], failed["tx_hash"]) == (
        "signing_timed_out",
        0,
        None,
    )
    assert world.custody.signed == 0
    assert world.balance(alice_wallet.address) == 100 * XRP
    assert world.balance(bob_wallet.address) == 50 * XRP
