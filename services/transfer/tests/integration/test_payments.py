"""Quotes, confirmation and reliable submission against Postgres and the rippled stand-in."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from xrpbot.schemas import (
    CancelTransfer,
    ConfirmTransfer,
    ErrorCode,
    GetHistory,
    RequestTransfer,
)
from xrpbot.transfer.entrypoints.ledger_worker import LedgerWorker
from xrpbot.transfer.ports import LedgerUnavailable
from xrpbot.transfer.use_cases import queries, quotes

from .conftest import XRP, World

pytestmark = pytest.mark.integration


async def quote(
    world: World, actor: Any, amount: str, destination: str, tag: str | None = None
) -> dict[str, Any]:
    cmd = RequestTransfer.new(
        user=actor,
        chat_id=actor.telegram_id,
        amount=amount,
        destination=destination,
        destination_tag=tag,
    )
    await quotes.request_transfer(cmd, world.deps)
    (reply,) = [m for m in await world.outbox() if m["correlation_id"] == str(cmd.correlation_id)]
    return reply


async def confirm(world: World, actor: Any, transfer_id: str) -> ConfirmTransfer:
    cmd = ConfirmTransfer.new(user=actor, chat_id=actor.telegram_id, transfer_id=UUID(transfer_id))
    await quotes.confirm_transfer(cmd, world.deps)
    return cmd


async def replies_to(world: World, cmd: Any) -> list[dict[str, Any]]:
    return [m for m in await world.outbox() if m["correlation_id"] == str(cmd.correlation_id)]


async def test_quote_confirm_send_validate(world: World) -> None:
    alice, alice_wallet = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "10 XRP", "@Bob_X")
    assert q["kind"] == "transfer.quoted", q.get("code")
    assert q["destination"]["address"] == bob_wallet.address
    assert q["destination"]["username"] == "Bob_X"
    assert q["amount_drops"] == 10 * XRP
    assert q["fee_drops"] >= 10
    assert q["reserve_drops"] == 1 * XRP  # the stand-in's base reserve, no owned objects
    assert q["balance_after_drops"] == 100 * XRP - 10 * XRP - q["fee_drops"]

    cmd = await confirm(world, alice, q["transfer_id"])
    await world.pass_()
    (submitted,) = await replies_to(world, cmd)
    assert submitted["kind"] == "transfer.submitted"
    assert await world.state(q["transfer_id"]) == "submitted"

    world.close()
    await world.pass_()
    _, validated = await replies_to(world, cmd)
    assert validated["kind"] == "transfer.validated"
    assert validated["delivered_drops"] == 10 * XRP
    assert validated["tx_hash"] == submitted["tx_hash"]
    assert world.balance(bob_wallet.address) == 60 * XRP
    assert world.balance(alice_wallet.address) == 90 * XRP - q["fee_drops"]

    # later passes change nothing and say nothing more
    world.close()
    await world.pass_()
    assert len(await replies_to(world, cmd)) == 2
    assert world.balance(bob_wallet.address) == 60 * XRP


async def test_confirm_twice_at_the_same_instant_sends_once(world: World) -> None:
    alice, _alice_wallet = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "5", bob_wallet.address)
    first = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=UUID(q["transfer_id"]))
    second = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=UUID(q["transfer_id"]))
    await asyncio.gather(
        quotes.confirm_transfer(first, world.deps),
        quotes.confirm_transfer(second, world.deps),
    )
    refusals = [
        m
        for m in await world.outbox("transfer.refused")
        if m["correlation_id"] in {str(first.correlation_id), str(second.correlation_id)}
    ]
    assert [r["code"] for r in refusals] == ["quote_already_confirmed"]
    await world.pass_()
    world.close()
    await world.pass_()
    world.close()
    await world.pass_()
    assert world.balance(bob_wallet.address) == 55 * XRP
    assert world.custody.signed == 1


async def test_redelivered_confirm_changes_nothing(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "5", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])
    await quotes.confirm_transfer(cmd, world.deps)  # the same message again
    assert await replies_to(world, cmd) == []


async def test_cancel_then_confirm_and_someone_elses_quote(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    mallory, _ = await world.user(3, "mallory_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "5", "@bob_x")
    stolen = await confirm(world, mallory, q["transfer_id"])
    assert [r["code"] for r in await replies_to(world, stolen)] == ["quote_not_found"]
    cancel = CancelTransfer.new(user=alice, chat_id=1, transfer_id=UUID(q["transfer_id"]))
    await quotes.cancel_transfer(cancel, world.deps)
    assert [r["kind"] for r in await replies_to(world, cancel)] == ["transfer.cancelled"]
    late = await confirm(world, alice, q["transfer_id"])
    assert [r["code"] for r in await replies_to(world, late)] == ["quote_cancelled"]
    await world.pass_()
    assert world.custody.signed == 0


async def test_expired_quote_cannot_be_confirmed(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)
    world.deps = dataclasses.replace(world.deps, quote_ttl=timedelta(0))
    q = await quote(world, alice, "5", "@bob_x")
    late = await confirm(world, alice, q["transfer_id"])
    assert [r["code"] for r in await replies_to(world, late)] == ["quote_expired"]
    assert await world.state(q["transfer_id"]) == "quote_expired"


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("ten", "invalid_amount"),
        ("1,5", "amount_has_comma"),
        ("1e3", "amount_has_exponent"),
        ("100000000000000", "amount_too_large"),
        ("0", "amount_not_positive"),
        ("-3", "amount_not_positive"),
        ("0.0000001", "too_many_decimals"),
        ("5 USD", "unsupported_currency"),
        ("99.99999", "insufficient_funds"),
    ],
)
async def test_amount_refusals(world: World, amount: str, code: str) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)
    reply = await quote(world, alice, amount, "@bob_x")
    assert reply["kind"] == "transfer.refused"
    assert reply["code"] == code
    if code == "insufficient_funds":
        assert reply["spendable_drops"] == 100 * XRP - 1 * XRP - 10
    rows = await world.pool.fetch("SELECT state, code FROM transfers")
    assert [(r["state"], r["code"]) for r in rows] == [("refused", code)]


async def test_destination_refusals(world: World) -> None:
    alice, alice_wallet = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    from xrpl.wallet import Wallet

    async def code_of(destination: str, amount: str = "5", tag: str | None = None) -> str:
        reply = await quote(world, alice, amount, destination, tag)
        return str(reply.get("code", reply["kind"]))

    assert await code_of("@nobody_here") == "recipient_not_found"
    assert await code_of("@alice_x") == "send_to_self"
    assert await code_of(alice_wallet.address) == "send_to_self"
    broken = bob_wallet.address[:-1] + ("a" if bob_wallet.address[-1] != "a" else "b")
    assert await code_of(broken) == "invalid_address"
    assert await code_of("hello world") == "invalid_address"
    assert await code_of(bob_wallet.address, tag="-1") == "invalid_destination_tag"
    assert await code_of(bob_wallet.address, tag="4294967296") == "invalid_destination_tag"

    unfunded = Wallet.create().address
    assert await code_of(unfunded, "0.5") == "destination_not_funded"
    assert await code_of(unfunded, "1") == "transfer.quoted"

    exchange, disallow = Wallet.create(), Wallet.create()
    world.fund(exchange.address, 20 * XRP)
    world.fund(disallow.address, 20 * XRP)
    assert (
        world.submit_signed(exchange, {"TransactionType": "AccountSet", "SetFlag": 1})
        == "tesSUCCESS"
    )
    assert (
        world.submit_signed(disallow, {"TransactionType": "AccountSet", "SetFlag": 3})
        == "tesSUCCESS"
    )
    world.close()
    assert await code_of(exchange.address) == "destination_tag_required"
    assert await code_of(exchange.address, tag="12345") == "transfer.quoted"
    assert await code_of(disallow.address) == "destination_disallows_xrp"

    stranger = {"telegram_id": 99}
    from xrpbot.schemas import Actor

    reply = await quote(world, Actor(**stranger), "5", "@bob_x")
    assert reply["code"] == "wallet_not_found"


async def test_x_address_carries_its_tag(world: World) -> None:
    from xrpl.core.addresscodec import classic_address_to_xaddress

    alice, _ = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    xaddr = classic_address_to_xaddress(bob_wallet.address, 777, is_test_network=True)
    reply = await quote(world, alice, "3", xaddr)
    assert reply["kind"] == "transfer.quoted"
    assert reply["destination"] == {  # an address stays an address: its holder is not named
        "address": bob_wallet.address,
        "destination_tag": 777,
        "telegram_id": None,
        "username": None,
    }


async def test_ten_quick_sends_from_one_account_get_consecutive_sequences(world: World) -> None:
    alice, _alice_wallet = await world.user(1, "alice_x", xrp=1_000)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    quotes = [await quote(world, alice, "1", "@bob_x") for _ in range(10)]
    for q in quotes:
        await confirm(world, alice, q["transfer_id"])
    await world.pass_()
    sequences = await world.pool.fetch(
        "SELECT sequence FROM transfers WHERE sequence IS NOT NULL ORDER BY sequence"
    )
    first = sequences[0]["sequence"]
    assert [r["sequence"] for r in sequences] == list(range(first, first + 10))
    world.close()
    await world.pass_()
    states = {await world.state(q["transfer_id"]) for q in quotes}
    assert states == {"validated"}, "all ten in the first ledger close"
    assert world.balance(bob_wallet.address) == 60 * XRP


async def test_confirmed_beyond_balance_fails_before_sending(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=30)
    await world.user(2, "bob_x", xrp=50)
    a = await quote(world, alice, "20", "@bob_x")
    b = await quote(world, alice, "20", "@bob_x")  # each fits; both do not
    await confirm(world, alice, a["transfer_id"])
    cmd_b = await confirm(world, alice, b["transfer_id"])
    await world.pass_()
    (failed,) = await replies_to(world, cmd_b)
    assert failed["kind"] == "transfer.failed"
    assert failed["code"] == "insufficient_funds"
    assert world.custody.signed == 1


async def test_crash_after_signing_before_submit_resumes_the_same_blob(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])

    real_submit = world.ledger.submit

    async def crash(_: str) -> str:
        raise LedgerUnavailable("connection lost")

    world.ledger.submit = crash  # type: ignore[method-assign]
    await world.pass_()
    row = await world.pool.fetchrow(
        "SELECT state, tx_hash, tx_blob FROM transfers WHERE id = $1", UUID(q["transfer_id"])
    )
    assert row["state"] == "signed"
    assert row["tx_blob"]
    world.ledger.submit = real_submit  # type: ignore[method-assign]

    # a new worker (the restarted service) finds it and submits the stored blob
    restarted = LedgerWorker(world.deps)
    await restarted.run_once(await world.ledger.validated_index())
    world.close()
    await restarted.run_once(await world.ledger.validated_index())
    kinds = [r["kind"] for r in await replies_to(world, cmd)]
    assert kinds == ["transfer.submitted", "transfer.validated"]
    assert (await replies_to(world, cmd))[1]["tx_hash"] == row["tx_hash"]
    assert world.balance(bob_wallet.address) == 57 * XRP
    assert world.custody.signed == 1


async def test_crash_after_submit_before_recording_is_settled_once(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])
    real_submit = world.ledger.submit

    async def submit_then_crash(blob: str) -> str:
        await real_submit(blob)
        raise LedgerUnavailable("the answer was lost")

    world.ledger.submit = submit_then_crash  # type: ignore[method-assign]
    await world.pass_()
    world.ledger.submit = real_submit  # type: ignore[method-assign]
    assert await world.state(q["transfer_id"]) == "signed"
    world.close()  # the lost submission is validated meanwhile
    await world.pass_()
    kinds = [r["kind"] for r in await replies_to(world, cmd)]
    assert kinds == ["transfer.validated"]
    assert world.balance(bob_wallet.address) == 57 * XRP


async def test_not_included_by_last_ledger_sequence_expires_and_nothing_is_sent(
    world: World,
) -> None:
    alice, alice_wallet = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])

    async def unreachable(_: str) -> str:
        raise LedgerUnavailable("no route")

    world.ledger.submit = unreachable  # type: ignore[method-assign]
    await world.pass_()
    for _ in range(6):  # past LastLedgerSequence (validated + 4)
        world.close()
        await world.pass_()
    (failed,) = await replies_to(world, cmd)
    assert failed["kind"] == "transfer.failed"
    assert failed["code"] == "transfer_expired"
    assert failed["fee_drops"] == 0
    assert world.balance(bob_wallet.address) == 50 * XRP
    assert world.balance(alice_wallet.address) == 100 * XRP


async def test_pending_never_reported_as_failed_while_ledger_is_away(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])
    await world.pass_()
    real = world.ledger.transaction

    async def away(*_: Any) -> Any:
        raise LedgerUnavailable("timeout")

    world.ledger.transaction = away  # type: ignore[method-assign]
    for _ in range(3):
        with pytest.raises(LedgerUnavailable):
            await world.pass_()
    world.ledger.transaction = real  # type: ignore[method-assign]
    assert [r["kind"] for r in await replies_to(world, cmd)] == ["transfer.submitted"]


async def test_sequence_taken_by_another_transaction_is_prepared_again(world: World) -> None:
    alice, alice_wallet = await world.user(1, "alice_x", xrp=100)
    _, bob_wallet = await world.user(2, "bob_x", xrp=50)
    q = await quote(world, alice, "7", "@bob_x")
    cmd = await confirm(world, alice, q["transfer_id"])

    real_submit = world.ledger.submit

    async def lost(_: str) -> str:
        raise LedgerUnavailable("lost")

    world.ledger.submit = lost  # type: ignore[method-assign]
    await world.pass_()
    # someone with the same keys (another wallet app) uses the account's next Sequence meanwhile
    other = world.submit_signed(
        alice_wallet,
        {"TransactionType": "Payment", "Destination": bob_wallet.address, "Amount": "1000000"},
    )
    assert other == "tesSUCCESS"
    world.close()
    world.ledger.submit = real_submit  # type: ignore[method-assign]
    await world.pass_()  # tefPAST_SEQ → set aside, prepared again
    await world.pass_()
    world.close()
    await world.pass_()
    kinds = [r["kind"] for r in await replies_to(world, cmd)]
    assert kinds == ["transfer.submitted", "transfer.validated"]
    assert world.balance(bob_wallet.address) == 58 * XRP
    abandoned = await world.pool.fetchval("SELECT count(*) FROM transfer_attempts")
    assert abandoned == 1


async def test_history_pages_both_directions(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=1_000)
    bob, _bob_wallet = await world.user(2, "bob_x", xrp=50)
    for n in range(6):
        q = await quote(world, alice, str(n + 1), "@bob_x")
        await confirm(world, alice, q["transfer_id"])
    await world.pass_()
    world.close()
    await world.pass_()
    world.close()
    await world.pass_()

    async def page(actor: Any, number: int) -> dict[str, Any]:
        cmd = GetHistory.new(user=actor, chat_id=actor.telegram_id, page=number)
        await queries.get_history(cmd, world.deps)
        (reply,) = await replies_to(world, cmd)
        return reply

    first, second = await page(alice, 0), await page(alice, 1)
    assert first["total"] == 6
    assert len(first["entries"]) == 5
    assert len(second["entries"]) == 1
    assert {e["status"] for e in first["entries"]} == {"sent"}
    assert first["entries"][0]["counterparty"]["username"] == "bob_x"
    received = await page(bob, 0)
    assert received["total"] == 6
    assert {e["direction"] for e in received["entries"]} == {"in"}
    assert received["entries"][0]["counterparty"]["username"] == "alice_x"


async def test_ledger_unavailable_at_quote_time_is_said_at_once(world: World) -> None:
    alice, _ = await world.user(1, "alice_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)

    async def away(*_: Any) -> Any:
        raise LedgerUnavailable("timeout")

    world.ledger.account = away  # type: ignore[method-assign]
    reply = await quote(world, alice, "5", "@bob_x")
    assert reply["code"] == ErrorCode.LEDGER_UNAVAILABLE.value
    assert (
        await world.pool.fetchval("SELECT count(*) FROM transfers WHERE state <> 'refused'") == 0
    )


async def test_a_fiat_amount_is_echoed_with_its_rate_in_the_quote(world: World) -> None:
    from datetime import UTC, datetime
    from decimal import Decimal

    from xrpbot.schemas import FiatAmount

    alice, _ = await world.user(1, "alice_x", xrp=100)
    await world.user(2, "bob_x", xrp=50)
    fiat = FiatAmount(
        currency="USD", amount=Decimal(5), rate=Decimal("2.5"), as_of=datetime.now(UTC)
    )
    cmd = RequestTransfer.new(
        user=alice, chat_id=1, amount="2 XRP", destination="@bob_x", fiat=fiat
    )
    await quotes.request_transfer(cmd, world.deps)
    (reply,) = await replies_to(world, cmd)
    assert reply["amount_drops"] == 2 * XRP
    assert FiatAmount.model_validate(reply["fiat"]) == fiat
