"""A dead-letter queue filling up or full is told to each admin in words, in their language,
once per event (a redelivery tells nobody twice)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from faststream.rabbit import RabbitBroker, TestRabbitBroker

from xrpbot.gateway.entrypoints.consumers import FILLING_QUEUE, GatewayDeps, build_filling_router
from xrpbot.gateway.render.i18n import CatalogI18n
from xrpbot.gateway.use_cases import admin
from xrpbot.runtime.topology import EVENTS
from xrpbot.schemas import Actor, DeadLettersFilling


@pytest.fixture(scope="module")
def i18n() -> CatalogI18n:
    return CatalogI18n()


def filling(messages: int = 8_000, *, full: bool = False) -> DeadLettersFilling:
    return DeadLettersFilling(
        correlation_id=uuid4(),
        user=Actor(telegram_id=0),
        chat_id=0,
        service="wallet",
        queue="wallet.dead-letter",
        messages=messages,
        bound=10_000,
        full=full,
    )


async def test_each_admin_is_told_in_their_language_once(
    new_uow: Any, messenger: Any, store: Any, i18n: CatalogI18n
) -> None:
    store.languages[2] = "es"
    store.chats[3] = "ru"
    event = filling(8_123)
    for _ in range(2):  # the second is a redelivery
        await admin.alert_dead_letters_filling(
            event, uow=new_uow(FILLING_QUEUE), messenger=messenger, admin_ids={1, 2, 3}, i18n=i18n
        )
    texts = {chat_id: message.text for chat_id, message in messenger.sent}
    assert len(messenger.sent) == 3
    assert texts[1].startswith(
        "⚠️ <b>wallet's dead-letter queue is 81% full</b> (8,123 of 10,000 messages in "
        "<code>wallet.dead-letter</code>)."
    )
    assert texts[2].startswith("⚠️ <b>La cola dead-letter de wallet está llena al 81%</b>")
    assert texts[3].startswith("⚠️ <b>Очередь dead-letter сервиса wallet заполнена на 81%</b>")


async def test_a_full_queue_says_new_dead_letters_are_refused(
    new_uow: Any, messenger: Any
) -> None:
    await admin.alert_dead_letters_filling(
        filling(10_000, full=True), uow=new_uow(FILLING_QUEUE), messenger=messenger, admin_ids={1}
    )
    [(_, shown)] = messenger.sent
    assert shown.text.startswith(
        "🚨 <b>wallet's dead-letter queue is full</b> (10,000 of 10,000 messages in "
        "<code>wallet.dead-letter</code>): new dead letters are being refused"
    )


async def test_without_admins_nothing_is_sent(new_uow: Any, messenger: Any) -> None:
    told = await admin.alert_dead_letters_filling(
        filling(), uow=new_uow(FILLING_QUEUE), messenger=messenger, admin_ids=set()
    )
    assert told == 0
    assert messenger.sent == []


async def test_the_consumer_is_wired_to_the_event(new_uow: Any, messenger: Any) -> None:
    broker = RabbitBroker()
    broker.include_router(build_filling_router(delivery_limit=3))
    broker.context.set_global(
        "deps", GatewayDeps(new_uow=new_uow, messenger=messenger, admin_ids=frozenset({7}))
    )
    event = filling()
    async with TestRabbitBroker(broker) as br:
        await br.publish(
            event.model_dump_json().encode(),
            exchange=EVENTS,
            routing_key=event.ROUTING_KEY,
            content_type="application/json",
        )
    [(chat_id, shown)] = messenger.sent
    assert chat_id == 7
    assert "80% full" in shown.text
