"""Replies: the deliver_reply use case with fakes, and the consumer's wiring in memory."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from faststream.rabbit import RabbitBroker, TestRabbitBroker

from xrpbot.gateway.domain.delivery import (
    ChatUnavailable,
    Delivery,
    MessageGone,
    Placeholder,
    TelegramUnavailable,
)
from xrpbot.gateway.entrypoints.consumers import REPLIES_QUEUE, GatewayDeps
from xrpbot.gateway.entrypoints.consumers import build_replies_router as build_router
from xrpbot.gateway.render.message import rendered_to_json
from xrpbot.gateway.render.replies import render_reply as render
from xrpbot.gateway.render.texts import errors as errors_texts
from xrpbot.gateway.use_cases.replies import deliver_reply
from xrpbot.runtime.topology import REPLIES
from xrpbot.schemas import Actor, ErrorCode, WalletCreated, WalletFailed, WalletInfo

ADDRESS = "rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY"


def _created(correlation_id: Any = None, chat_id: int = 77) -> WalletCreated:
    return WalletCreated(
        correlation_id=correlation_id or uuid4(),
        user=Actor(telegram_id=chat_id, first_name="Bob"),
        chat_id=chat_id,
        wallet=WalletInfo(address=ADDRESS, funded=True),
        already_existed=False,
        balance_drops=1_000_000_000,
    )


async def test_reply_edits_the_placeholder_and_forgets_it(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    reply = _created()
    store.pending[reply.correlation_id] = Placeholder(77, 501)
    outcome = await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.EDITED
    assert messenger.edited == [(Placeholder(77, 501), render(reply))]
    assert messenger.sent == []
    assert store.pending == {}
    assert (REPLIES_QUEUE, reply.event_id) in store.inbox


async def test_reply_without_placeholder_is_sent_as_a_new_message(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    reply = _created(chat_id=88)
    outcome = await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.SENT
    assert messenger.sent == [(88, render(reply))]


async def test_a_redelivered_reply_changes_nothing(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    reply = _created()
    store.pending[reply.correlation_id] = Placeholder(77, 501)
    await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    outcome = await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.DUPLICATE
    assert len(messenger.edited) == 1
    assert messenger.sent == []


async def test_a_gone_placeholder_falls_back_to_a_new_message(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    reply = _created()
    store.pending[reply.correlation_id] = Placeholder(77, 501)
    messenger.errors["edit"].append(MessageGone("message to edit not found"))
    outcome = await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.SENT
    assert messenger.sent == [(77, render(reply))]
    assert store.pending == {}


async def test_telegram_down_rolls_back_so_the_redelivery_delivers(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    reply = _created()
    store.pending[reply.correlation_id] = Placeholder(77, 501)
    messenger.errors["edit"].append(TelegramUnavailable("editMessageText: 502"))
    with pytest.raises(TelegramUnavailable):
        await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert store.inbox == set()
    assert reply.correlation_id in store.pending

    outcome = await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.EDITED
    assert store.pending == {}


async def test_a_chat_that_blocked_the_bot_is_dropped_and_acknowledged(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    reply = _created()
    store.pending[reply.correlation_id] = Placeholder(77, 501)
    messenger.errors["edit"].append(ChatUnavailable("Forbidden: bot was blocked by the user"))
    outcome = await deliver_reply(reply, uow=new_uow(REPLIES_QUEUE), messenger=messenger)
    assert outcome is Delivery.UNDELIVERABLE
    assert store.pending == {}
    assert (REPLIES_QUEUE, reply.event_id) in store.inbox


async def test_consumer_decodes_any_reply_and_delivers_it(
    store: Any, new_uow: Any, messenger: Any
) -> None:
    broker = RabbitBroker()
    broker.include_router(build_router(delivery_limit=3))
    broker.context.set_global("deps", GatewayDeps(new_uow=new_uow, messenger=messenger))
    failed = WalletFailed(
        correlation_id=uuid4(),
        user=Actor(telegram_id=5, first_name="Eve"),
        chat_id=5,
        code=ErrorCode.WALLET_NOT_FOUND,
        command="wallet.get_balance",
    )
    store.pending[failed.correlation_id] = Placeholder(5, 9)
    async with TestRabbitBroker(broker) as br:
        await br.publish(
            failed.model_dump_json().encode(),
            exchange=REPLIES,
            routing_key=failed.ROUTING_KEY,
            content_type="application/json",
        )
        # queued on the reply's transaction, for the outgoing sender: the pressed message 9
        [slot] = store.slots.values()
        assert (slot.chat_id, slot.message_id) == (5, 9)
        assert slot.body == rendered_to_json(render(failed))
        assert errors_texts.wallet_not_found() in slot.body["text"]
        assert messenger.edited == messenger.sent == [], "nothing went to Telegram at once"

        with pytest.raises(Exception, match="validation error"):
            await br.publish(
                b'{"kind": "wallet.unknown"}',
                exchange=REPLIES,
                routing_key="wallet.unknown",
                content_type="application/json",
            )
