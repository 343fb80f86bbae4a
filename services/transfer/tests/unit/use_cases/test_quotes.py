"""Quotes against fakes: what is quoted, every refusal (destination rules included: DepositAuth,
black holes, X-addresses of the other network), confirm exactly once, cancel, expiry."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from xrpl.core.addresscodec import classic_address_to_xaddress

from xrpbot.schemas import (
    Actor,
    CancelTransfer,
    ConfirmTransfer,
    ErrorCode,
    RequestTransfer,
    TransferCancelled,
    TransferQuoted,
    TransferRefused,
)
from xrpbot.transfer.domain.accounts import AccountSnapshot
from xrpbot.transfer.domain.quote import LSF_DEPOSIT_AUTH
from xrpbot.transfer.domain.reply_to import ReplyTo
from xrpbot.transfer.domain.transfer import TransferState
from xrpbot.transfer.use_cases import quotes

XRP = 1_000_000
UNFUNDED = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"


async def confirm(world: Any, actor: Actor, quote: TransferQuoted) -> ConfirmTransfer:
    cmd = ConfirmTransfer.new(user=actor, chat_id=actor.telegram_id, transfer_id=quote.transfer_id)
    await quotes.confirm_transfer(cmd, world.deps)
    return cmd


async def test_quote_names_the_destination_and_keeps_fee_and_reserve(world: Any) -> None:
    alice = world.user(1, "alice", xrp=100)
    world.user(2, "bobby", xrp=50)
    quote = await world.quote(alice, "10 XRP", "@Bobby")
    assert isinstance(quote, TransferQuoted)
    assert quote.destination.username == "Bobby"
    assert quote.destination.telegram_id == 2
    assert quote.amount_drops == 10 * XRP
    assert quote.fee_drops == 12  # the open ledger's cost, above the base fee
    assert quote.reserve_drops == 1 * XRP
    assert quote.balance_after_drops == 90 * XRP - 12
    assert quote.destination_funded is True
    assert quote.expires_at == world.clock.now() + timedelta(minutes=2)
    stored = world.transfer(quote.transfer_id)
    assert stored.state is TransferState.QUOTED
    assert stored.reply_to == ReplyTo(quote.correlation_id, alice, 1)


async def test_an_address_of_a_bot_user_stays_an_address(world: Any) -> None:
    alice = world.user(1, "alice")
    bob = world.user(2, "bobby")
    quote = await world.quote(alice, "1", world.address_of(bob), tag="7")
    assert isinstance(quote, TransferQuoted)
    assert quote.destination.address == world.address_of(bob)
    assert quote.destination.destination_tag == 7
    assert (quote.destination.username, quote.destination.telegram_id) == (None, None), (
        "a quote must not tell whose account an address is"
    )
    assert quote.recipient_first_name is None
    assert quote.username_seen_at is None


async def test_the_seen_time_and_first_name_reach_the_quote(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    seen_at = world.clock.now() - timedelta(days=3)
    world.custody.users["bobby"] = dataclasses.replace(
        world.custody.users["bobby"], first_name="Bob", username_seen_at=seen_at
    )
    quote = await world.quote(alice, "1", "@bobby")
    assert isinstance(quote, TransferQuoted)
    assert quote.recipient_first_name == "Bob"
    assert quote.username_seen_at == seen_at
    assert quote.username_stale is False


async def test_a_username_not_seen_for_long_is_quoted_as_stale(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    world.custody.users["bobby"] = dataclasses.replace(
        world.custody.users["bobby"], username_seen_at=world.clock.now() - timedelta(days=31)
    )
    quote = await world.quote(alice, "1", "@bobby")
    assert isinstance(quote, TransferQuoted)
    assert quote.username_stale is True


async def test_a_sender_whose_old_username_someone_else_took_may_send_to_it(world: Any) -> None:
    # alice opened her wallet as @bobby and is @alice now; carol holds "bobby" since
    alice = world.user(1, "bobby").model_copy(update={"username": "alice"})
    world.user(3, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    assert isinstance(quote, TransferQuoted)
    assert quote.destination.telegram_id == 3


@pytest.mark.parametrize(
    ("amount", "destination", "code"),
    [
        ("ten", "@bobby", ErrorCode.INVALID_AMOUNT),
        ("0", "@bobby", ErrorCode.AMOUNT_NOT_POSITIVE),
        ("5 USD", "@bobby", ErrorCode.UNSUPPORTED_CURRENCY),
        ("5", "@nobody", ErrorCode.RECIPIENT_NOT_FOUND),
        ("5", "@alice", ErrorCode.SEND_TO_SELF),
        ("5", "hello world", ErrorCode.INVALID_ADDRESS),
        ("0.5", UNFUNDED, ErrorCode.DESTINATION_NOT_FUNDED),
        ("99.999989", "@bobby", ErrorCode.INSUFFICIENT_FUNDS),
    ],
)
async def test_refusals_are_stored_only_as_refusals(
    world: Any, amount: str, destination: str, code: ErrorCode
) -> None:
    alice = world.user(1, "alice", xrp=100)
    world.user(2, "bobby")
    reply = await world.quote(alice, amount, destination)
    assert isinstance(reply, TransferRefused)
    assert reply.code is code
    assert world.store.transfers == {}
    assert world.store.refused == [(1, 1, code)]


@pytest.mark.parametrize(
    ("amount", "tag", "code"),
    [
        ("1e999999999", None, ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1e30 USD", None, ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1e3", None, ErrorCode.AMOUNT_HAS_EXPONENT),
        ("1", "²", ErrorCode.DIGITS_NOT_ASCII),
        ("\u0661\u0660", None, ErrorCode.DIGITS_NOT_ASCII),
        ("\uff15", None, ErrorCode.DIGITS_NOT_ASCII),
        ("5 usd", None, ErrorCode.UNSUPPORTED_CURRENCY),
        ("2,000 XRP", None, ErrorCode.AMOUNT_HAS_COMMA),
        ("100000000000000", None, ErrorCode.AMOUNT_TOO_LARGE),
    ],
)
async def test_hostile_amounts_and_tags_are_refused_with_their_own_code(
    world: Any, amount: str, tag: str | None, code: ErrorCode
) -> None:
    alice = world.user(1, "alice", xrp=100)
    world.ledger.accounts[UNFUNDED] = AccountSnapshot(20 * XRP, 0, 1)
    reply = await world.quote(alice, amount, UNFUNDED, tag=tag)
    assert isinstance(reply, TransferRefused)
    assert reply.code is code
    assert world.store.transfers == {}
    assert world.store.refused == [(1, 1, code)]


async def test_insufficient_funds_says_what_could_be_sent(world: Any) -> None:
    alice = world.user(1, "alice", xrp=100)
    world.user(2, "bobby")
    reply = await world.quote(alice, "100", "@bobby")
    assert reply.code is ErrorCode.INSUFFICIENT_FUNDS
    assert reply.spendable_drops == 100 * XRP - 1 * XRP - 12


async def test_what_is_already_on_its_way_is_not_spendable(world: Any) -> None:
    alice = world.user(1, "alice", xrp=100)
    world.user(2, "bobby")
    first = await world.quote(alice, "60", "@bobby")
    await confirm(world, alice, first)
    second = await world.quote(alice, "60", "@bobby")
    assert second.code is ErrorCode.INSUFFICIENT_FUNDS
    assert second.spendable_drops == 100 * XRP - 1 * XRP - 12 - (60 * XRP + 12)


async def test_unknown_sender_has_no_wallet(world: Any) -> None:
    world.user(2, "bobby")
    reply = await world.quote(Actor(telegram_id=9), "1", "@bobby")
    assert reply.code is ErrorCode.WALLET_NOT_FOUND


async def test_sending_to_your_own_address_is_refused(world: Any) -> None:
    alice = world.user(1, "alice")
    reply = await world.quote(alice, "1", world.address_of(alice))
    assert reply.code is ErrorCode.SEND_TO_SELF


async def test_flags_of_the_destination_are_honoured(world: Any) -> None:
    alice = world.user(1, "alice")
    world.ledger.accounts[UNFUNDED] = AccountSnapshot(20 * XRP, 0, 1, flags=0x00020000)
    assert (await world.quote(alice, "1", UNFUNDED)).code is ErrorCode.DESTINATION_TAG_REQUIRED
    assert isinstance(await world.quote(alice, "1", UNFUNDED, tag="5"), TransferQuoted)
    world.ledger.accounts[UNFUNDED] = AccountSnapshot(20 * XRP, 0, 1, flags=0x00080000)
    assert (await world.quote(alice, "1", UNFUNDED)).code is ErrorCode.DESTINATION_DISALLOWS_XRP


async def test_ledger_or_wallet_away_is_said_at_once(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    world.custody.down = True
    assert (await world.quote(alice, "1", "@bobby")).code is ErrorCode.SIGNING_UNAVAILABLE
    world.custody.down = False
    world.ledger.down = True
    assert (await world.quote(alice, "1", "@bobby")).code is ErrorCode.LEDGER_UNAVAILABLE
    assert world.store.transfers == {}


async def test_redelivered_request_changes_nothing(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    cmd = RequestTransfer.new(user=alice, chat_id=1, amount="1", destination="@bobby")
    await quotes.request_transfer(cmd, world.deps)
    await quotes.request_transfer(cmd, world.deps)
    assert len(world.store.replies_to(cmd)) == 1
    assert len(world.store.transfers) == 1


async def test_confirm_moves_the_quote_once_and_wakes_the_sender(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    cmd = await confirm(world, alice, quote)
    stored = world.transfer(quote.transfer_id)
    assert stored.state is TransferState.CONFIRMED
    assert stored.confirmed_at == world.clock.now()
    assert stored.reply_to == ReplyTo(cmd.correlation_id, alice, 1), "replies answer the Confirm"
    assert world.store.replies_to(cmd) == []
    assert len(world.wakes) == 1

    second = await confirm(world, alice, quote)
    (refused,) = world.store.replies_to(second)
    assert refused.code is ErrorCode.QUOTE_ALREADY_CONFIRMED
    await quotes.confirm_transfer(cmd, world.deps)  # redelivered
    assert world.store.replies_to(cmd) == []
    assert len(world.wakes) == 1


async def test_someone_elses_quote_is_not_found(world: Any) -> None:
    alice, mallory = world.user(1, "alice"), world.user(3, "mallory")
    world.user(2, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    stolen = await confirm(world, mallory, quote)
    assert world.store.replies_to(stolen)[0].code is ErrorCode.QUOTE_NOT_FOUND
    cancel = CancelTransfer.new(user=mallory, chat_id=3, transfer_id=quote.transfer_id)
    await quotes.cancel_transfer(cancel, world.deps)
    assert world.store.replies_to(cancel)[0].code is ErrorCode.QUOTE_NOT_FOUND
    assert world.transfer(quote.transfer_id).state is TransferState.QUOTED


async def test_a_quote_past_its_ttl_expires_when_pressed(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    world.clock.advance(121)
    late = await confirm(world, alice, quote)
    assert world.store.replies_to(late)[0].code is ErrorCode.QUOTE_EXPIRED
    assert world.transfer(quote.transfer_id).state is TransferState.QUOTE_EXPIRED
    again = await confirm(world, alice, quote)
    assert world.store.replies_to(again)[0].code is ErrorCode.QUOTE_EXPIRED
    assert world.wakes == []


async def test_cancel_then_confirm_is_refused(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    cancel = CancelTransfer.new(user=alice, chat_id=1, transfer_id=quote.transfer_id)
    await quotes.cancel_transfer(cancel, world.deps)
    assert isinstance(world.store.replies_to(cancel)[0], TransferCancelled)
    assert world.transfer(quote.transfer_id).state is TransferState.CANCELLED
    late = await confirm(world, alice, quote)
    assert world.store.replies_to(late)[0].code is ErrorCode.QUOTE_CANCELLED


async def test_cancel_after_confirm_is_too_late(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    await confirm(world, alice, quote)
    cancel = CancelTransfer.new(user=alice, chat_id=1, transfer_id=quote.transfer_id)
    await quotes.cancel_transfer(cancel, world.deps)
    assert world.store.replies_to(cancel)[0].code is ErrorCode.QUOTE_ALREADY_CONFIRMED
    assert world.transfer(quote.transfer_id).state is TransferState.CONFIRMED


async def test_an_expired_quote_can_still_be_cancelled(world: Any) -> None:
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    quote = await world.quote(alice, "1", "@bobby")
    world.clock.advance(121)
    await confirm(world, alice, quote)  # marks it quote_expired
    cancel = CancelTransfer.new(user=alice, chat_id=1, transfer_id=quote.transfer_id)
    await quotes.cancel_transfer(cancel, world.deps)
    assert isinstance(world.store.replies_to(cancel)[0], TransferCancelled)
    assert world.transfer(quote.transfer_id).state is TransferState.QUOTE_EXPIRED


async def test_a_deposit_auth_destination_is_refused_before_confirm(world: Any) -> None:
    # today's alternative: a quote, a Confirm, then tecNO_PERMISSION with the fee burnt
    alice = world.user(1, "alice")
    world.ledger.accounts[UNFUNDED] = AccountSnapshot(20 * XRP, 0, 1, flags=LSF_DEPOSIT_AUTH)

    reply = await world.quote(alice, "5", UNFUNDED)

    assert isinstance(reply, TransferRefused)
    assert reply.code is ErrorCode.DESTINATION_DEPOSIT_AUTH
    assert world.store.transfers == {}


async def test_a_deposit_auth_destination_that_preauthorized_the_sender_is_quoted(
    world: Any,
) -> None:
    alice = world.user(1, "alice")
    world.ledger.accounts[UNFUNDED] = AccountSnapshot(20 * XRP, 0, 1, flags=LSF_DEPOSIT_AUTH)
    world.ledger.preauthorized.add((UNFUNDED, world.address_of(alice)))

    assert isinstance(await world.quote(alice, "5", UNFUNDED), TransferQuoted)


async def test_a_bot_user_with_deposit_auth_is_refused_by_username_too(world: Any) -> None:
    alice = world.user(1, "alice")
    bob = world.user(2, "bobby")
    world.ledger.accounts[world.address_of(bob)] = AccountSnapshot(
        20 * XRP, 0, 1, flags=LSF_DEPOSIT_AUTH
    )

    assert (await world.quote(alice, "5", "@bobby")).code is ErrorCode.DESTINATION_DEPOSIT_AUTH


@pytest.mark.parametrize(
    "address",
    [
        "rrrrrrrrrrrrrrrrrrrrrhoLvTp",
        "rrrrrrrrrrrrrrrrrrrrBZbvji",
        "rrrrrrrrrrrrrrrrrNAMEtxvNvQ",
        "rrrrrrrrrrrrrrrrrrrn5RM1rHd",
    ],
)
async def test_a_black_hole_is_refused_without_asking_the_ledger(world: Any, address: str) -> None:
    alice = world.user(1, "alice")
    world.ledger.down = True  # the rule needs no ledger: it is refused even now

    reply = await world.quote(alice, "1", address)

    assert reply.code is ErrorCode.DESTINATION_BLACK_HOLE
    assert world.store.refused == [(1, 1, ErrorCode.DESTINATION_BLACK_HOLE)]


async def test_a_mainnet_x_address_is_refused_on_a_test_network(world: Any) -> None:
    alice = world.user(1, "alice")
    world.ledger.accounts[UNFUNDED] = AccountSnapshot(20 * XRP, 0, 1)
    mainnet = classic_address_to_xaddress(UNFUNDED, 5, is_test_network=False)
    testnet = classic_address_to_xaddress(UNFUNDED, 5, is_test_network=True)

    assert (await world.quote(alice, "1", mainnet)).code is ErrorCode.ADDRESS_WRONG_NETWORK
    assert isinstance(await world.quote(alice, "1", testnet), TransferQuoted)


async def test_a_test_x_address_is_refused_on_mainnet(world: Any) -> None:
    alice = world.user(1, "alice")
    world.ledger.accounts[UNFUNDED] = AccountSnapshot(20 * XRP, 0, 1)
    on_mainnet = dataclasses.replace(world.deps, test_network=False)
    testnet = classic_address_to_xaddress(UNFUNDED, 5, is_test_network=True)
    mainnet = classic_address_to_xaddress(UNFUNDED, 5, is_test_network=False)

    refused = RequestTransfer.new(user=alice, chat_id=1, amount="1", destination=testnet)
    accepted = RequestTransfer.new(user=alice, chat_id=1, amount="1", destination=mainnet)
    await quotes.request_transfer(refused, on_mainnet)
    await quotes.request_transfer(accepted, on_mainnet)

    assert world.store.replies_to(refused)[0].code is ErrorCode.ADDRESS_WRONG_NETWORK
    assert isinstance(world.store.replies_to(accepted)[0], TransferQuoted)
