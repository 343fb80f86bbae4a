"""Delivering payment replies: progress keeps the message, the outcome edits it, incoming
payments are new messages, and a reply never edits another chat's message."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from xrpbot.gateway.domain.delivery import Delivery, Placeholder
from xrpbot.gateway.entrypoints.consumers import REPLIES_QUEUE
from xrpbot.gateway.render.replies import render_reply
from xrpbot.gateway.use_cases.replies import deliver_reply
from xrpbot.schemas import (
    Actor,
    Counterparty,
    ErrorCode,
    PaymentReceived,
    TransferRefused,
    TransferSubmitted,
    TransferValidated,
)

TX = "AB" * 32
BOB = Counterparty(address="rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY", username="bob")


def _meta(correlation_id: UUID, chat_id: int = 1) -> dict[str, Any]:
    return {
        "correlation_id": correlation_id,
        "user": Actor(telegram_id=chat_id),
        "chat_id": chat_id,
    }


def _submitted(correlation_id: UUID) -> TransferSubmitted:
    return TransferSubmitted(
        **_meta(correlation_id),
        transfer_id=uuid4(),
        tx_hash=TX,
        destination=BOB,
        amount_drops=10_000_000,
    )


def _validated(correlation_id: UUID) -> TransferValidated:
    return TransferValidated(
        **_meta(correlation_id),
        transfer_id=uuid4(),
        tx_hash=TX,
        destination=BOB,
        delivered_drops=10_000_000,
        fee_drops=12,
        ledger_index=9,
    )


async def test_submitted_edits_and_keeps_the_message_for_the_outcome(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    correlation_id = uuid4()
    store.pending[correlation_id] = Placeholder(1, 300)
    submitted, validated = _submitted(correlation_id), _validated(correlation_id)
    assert await deliver_reply(submitted, uow=new_uow(REPLIES_QUEUE), messenger=messenger) == (
        Delivery.EDITED
    )
    assert store.pending == {correlation_id: Placeholder(1, 300)}
    assert await deliver_reply(validated, uow=new_uow(REPLIES_QUEUE), messenger=messenger) == (
        Delivery.EDITED
    )
    assert store.pending == {}
    assert [(p, m.text) for p, m in messenger.edited] == [
        (Placeholder(1, 300), render_reply(submitted).text),
        (Placeholder(1, 300), render_reply(validated).text),
    ]
    assert messenger.sent == []


async def test_a_late_submitted_never_follows_the_outcome(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    correlation_id = uuid4()
    store.pending[correlation_id] = Placeholder(1, 300)
    await deliver_reply(
        _validated(correlation_id), uow=new_uow(REPLIES_QUEUE), messenger=messenger
    )
    late = _submitted(correlation_id)
    outcome = await deliver_reply(late, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.SKIPPED
    assert len(messenger.edited) == 1
    assert messenger.sent == []
    assert (REPLIES_QUEUE, late.event_id) in store.inbox


async def test_a_refused_second_press_is_a_new_message(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    first, second = uuid4(), uuid4()
    store.pending[first] = Placeholder(1, 300)  # the first press owns the quote's message
    refused = TransferRefused(
        **_meta(second),
        code=ErrorCode.QUOTE_ALREADY_CONFIRMED,
        command="transfer.confirm_transfer",
    )
    outcome = await deliver_reply(refused, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.SENT
    assert messenger.edited == []
    assert "already confirmed" in messenger.sent[0][1].text
    assert store.pending == {first: Placeholder(1, 300)}


async def test_payment_received_is_always_a_new_message_to_the_recipient(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    # even if the transfer service reused the sender's correlation id
    correlation_id = uuid4()
    store.pending[correlation_id] = Placeholder(1, 300)
    received = PaymentReceived(
        **_meta(correlation_id, chat_id=2),
        tx_hash=TX,
        delivered_drops=10_000_000,
        source=Counterparty(address=BOB.address, username="alice"),
        ledger_index=9,
    )
    outcome = await deliver_reply(received, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.SENT
    assert messenger.edited == []
    [(chat_id, message)] = messenger.sent
    assert chat_id == 2
    assert "You received <b>10 XRP</b> from @alice" in message.text
    assert store.pending == {correlation_id: Placeholder(1, 300)}


async def test_a_placeholder_in_another_chat_is_never_edited(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    correlation_id = uuid4()
    store.pending[correlation_id] = Placeholder(1, 300)
    reply = TransferRefused(
        **_meta(correlation_id, chat_id=2),
        code=ErrorCode.QUOTE_NOT_FOUND,
        command="transfer.confirm_transfer",
    )
    await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert messenger.edited == []
    assert messenger.sent[0][0] == 2


async def test_the_quote_follows_the_payment_whichever_press_transfer_took_first(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    # two presses of Confirm: the gateway saw `owner` first (it owns the quote's message),
    # transfer took `other` first; the owner's answer is the "already confirmed" notice
    owner, other = uuid4(), uuid4()
    validated = _validated(other)
    store.presses[validated.transfer_id] = owner
    store.pending[owner] = Placeholder(1, 300)
    notice = TransferRefused(
        **_meta(owner),
        code=ErrorCode.QUOTE_ALREADY_CONFIRMED,
        command="transfer.confirm_transfer",
        transfer_id=validated.transfer_id,
    )
    assert await deliver_reply(notice, uow=new_uow(REPLIES_QUEUE), messenger=messenger) is (
        Delivery.SENT
    )
    assert messenger.edited == [], "the notice never covers the payment's message"
    assert [m.text for _, m in messenger.sent] == [render_reply(notice).text]
    assert owner in store.pending, "the quote still waits for the payment's outcome"

    outcome = await deliver_reply(validated, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.EDITED
    assert messenger.edited == [(Placeholder(1, 300), render_reply(validated))]
    assert store.pending == {}
