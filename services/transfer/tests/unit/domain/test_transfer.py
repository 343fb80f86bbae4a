"""Transfer's state machine: each move from its source states only, what each move records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from xrpbot.schemas import Actor, ErrorCode
from xrpbot.transfer.domain.reply_to import ReplyTo
from xrpbot.transfer.domain.transfer import (
    IllegalTransition,
    Transfer,
    TransferState,
    Transition,
    confirm_refusal,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ALICE = Actor(telegram_id=1, username="alice")
REQUEST = ReplyTo(uuid4(), ALICE, 1)
CONFIRM = ReplyTo(uuid4(), ALICE, 1)


def quoted(destination_tag: int | None = None) -> Transfer:
    return Transfer(
        id=uuid4(),
        telegram_id=1,
        chat_id=1,
        state=TransferState.QUOTED,
        sender_address="rSender",
        destination_address="rDestination",
        destination_tag=destination_tag,
        destination_user_id=None,
        destination_username=None,
        amount_drops=10_000_000,
        fee_drops=12,
        reply_to=REQUEST,
        expires_at=NOW + timedelta(minutes=2),
    )


def signed() -> Transfer:
    return (
        quoted()
        .confirm(CONFIRM, NOW)
        .sign(
            sequence=5,
            last_ledger_sequence=120,
            signed_ledger_index=100,
            tx_blob="BLOB",
            tx_hash="AB" * 32,
        )
    )


def test_the_happy_path_records_each_step() -> None:
    confirmed = quoted().confirm(CONFIRM, NOW)
    assert confirmed.state is TransferState.CONFIRMED
    assert (confirmed.reply_to, confirmed.confirmed_at) == (CONFIRM, NOW)
    transfer = signed()
    assert (transfer.state, transfer.sequence, transfer.tx_hash) == (
        TransferState.SIGNED,
        5,
        "AB" * 32,
    )
    submitted = transfer.submitted("terQUEUED", NOW)
    assert (submitted.state, submitted.submit_result) == (TransferState.SUBMITTED, "terQUEUED")
    done = submitted.validated(
        result="tesSUCCESS", ledger_index=110, delivered_drops=10_000_000, at=NOW
    )
    assert done.state is TransferState.VALIDATED
    assert (done.code, done.ledger_index, done.finished_at) == (None, 110, NOW)


def test_final_states_come_from_any_in_flight_state() -> None:
    confirmed = quoted().confirm(CONFIRM, NOW)
    assert confirmed.failed(ErrorCode.INSUFFICIENT_FUNDS, at=NOW).code is (
        ErrorCode.INSUFFICIENT_FUNDS
    )
    rejected = signed().failed(
        ErrorCode.TRANSFER_REJECTED, at=NOW, result="tecUNFUNDED_PAYMENT", ledger_index=9
    )
    assert (rejected.state, rejected.result) == (TransferState.FAILED, "tecUNFUNDED_PAYMENT")
    expired = signed().submitted("tesSUCCESS", NOW).expired(NOW)
    assert (expired.state, expired.code) == (TransferState.EXPIRED, ErrorCode.TRANSFER_EXPIRED)


def test_sequence_taken_clears_the_blob_for_a_new_preparation() -> None:
    again = signed().submitted("tesSUCCESS", NOW).sequence_taken()
    assert again.state is TransferState.CONFIRMED
    assert (again.sequence, again.tx_blob, again.tx_hash, again.last_ledger_sequence) == (
        None,
        None,
        None,
        None,
    )
    assert again.reply_to == CONFIRM


@pytest.mark.parametrize(
    ("transfer", "move"),
    [
        (
            quoted(),
            lambda t: t.sign(
                sequence=1, last_ledger_sequence=2, signed_ledger_index=1, tx_blob="B", tx_hash="H"
            ),
        ),
        (quoted(), lambda t: t.submitted("tesSUCCESS", NOW)),
        (quoted(), lambda t: t.expired(NOW)),
        (quoted().cancel(), lambda t: t.confirm(CONFIRM, NOW)),
        (quoted().expire_quote(), lambda t: t.cancel()),
        (quoted().confirm(CONFIRM, NOW), lambda t: t.confirm(CONFIRM, NOW)),
        (quoted().confirm(CONFIRM, NOW), lambda t: t.submitted("tesSUCCESS", NOW)),
        (quoted().confirm(CONFIRM, NOW), lambda t: t.sequence_taken()),
        (signed().submitted("tesSUCCESS", NOW), lambda t: t.submitted("tesSUCCESS", NOW)),
        (signed().expired(NOW), lambda t: t.failed(ErrorCode.INTERNAL, at=NOW)),
    ],
)
def test_illegal_moves_raise(transfer: Transfer, move: object) -> None:
    with pytest.raises(IllegalTransition):
        move(transfer)  # type: ignore[operator]


DEADLINE = timedelta(seconds=120)


def test_a_confirmed_transfer_is_overdue_only_past_its_signing_deadline() -> None:
    confirmed = quoted().confirm(CONFIRM, NOW)

    assert not confirmed.sign_overdue(NOW + DEADLINE, DEADLINE)
    assert confirmed.sign_overdue(NOW + DEADLINE + timedelta(seconds=1), DEADLINE)
    assert not signed().sign_overdue(NOW + timedelta(hours=1), DEADLINE)  # signed in time
    assert not quoted().sign_overdue(NOW + timedelta(hours=1), DEADLINE)  # never confirmed


def test_giving_up_fails_a_confirmed_transfer_as_never_signed() -> None:
    late = NOW + timedelta(minutes=3)

    given_up = quoted().confirm(CONFIRM, NOW).give_up(late)

    assert (given_up.state, given_up.code, given_up.finished_at) == (
        TransferState.FAILED,
        ErrorCode.SIGNING_TIMED_OUT,
        late,
    )
    assert given_up.tx_hash is None
    assert Transition.GIVE_UP.sources == {TransferState.CONFIRMED}


@pytest.mark.parametrize(
    "transfer",
    [signed(), signed().submitted("tesSUCCESS", NOW), quoted()],
    ids=["signed", "submitted", "quoted"],
)
def test_a_transfer_signed_or_never_confirmed_cannot_be_given_up(transfer: Transfer) -> None:
    with pytest.raises(IllegalTransition):
        transfer.give_up(NOW)


def test_validated_needs_a_blob() -> None:
    confirmed = quoted().confirm(CONFIRM, NOW)
    with pytest.raises(IllegalTransition):
        confirmed.validated(result="tesSUCCESS", ledger_index=1, delivered_drops=1, at=NOW)


def test_each_transition_names_its_sources_and_target() -> None:
    assert Transition.CONFIRM.sources == {TransferState.QUOTED}
    assert Transition.SEQUENCE_TAKEN.sources == {TransferState.SIGNED, TransferState.SUBMITTED}
    assert Transition.FAIL.sources == {s for s in TransferState if s.in_flight}
    assert Transition.SUBMIT.target is TransferState.SUBMITTED


def test_confirm_refusals() -> None:
    transfer = quoted()
    assert confirm_refusal(transfer, 1, NOW) is None
    assert confirm_refusal(None, 1, NOW) is ErrorCode.QUOTE_NOT_FOUND
    assert confirm_refusal(transfer, 2, NOW) is ErrorCode.QUOTE_NOT_FOUND
    assert confirm_refusal(transfer.cancel(), 1, NOW) is ErrorCode.QUOTE_CANCELLED
    assert confirm_refusal(transfer.expire_quote(), 1, NOW) is ErrorCode.QUOTE_EXPIRED
    late = NOW + timedelta(minutes=3)
    assert confirm_refusal(transfer, 1, late) is ErrorCode.QUOTE_EXPIRED
    assert confirm_refusal(signed(), 1, NOW) is ErrorCode.QUOTE_ALREADY_CONFIRMED


def test_the_payment_to_sign() -> None:
    tx = quoted(destination_tag=7).unsigned_payment(
        sequence=5, last_ledger_sequence=120, network_id=21338
    )
    assert tx == {
        "TransactionType": "Payment",
        "Account": "rSender",
        "Destination": "rDestination",
        "Amount": "10000000",
        "Fee": "12",
        "Sequence": 5,
        "LastLedgerSequence": 120,
        "Flags": 0,
        "DestinationTag": 7,
        "NetworkID": 21338,
    }
    assert "NetworkID" not in quoted().unsigned_payment(
        sequence=5, last_ledger_sequence=120, network_id=1
    )
