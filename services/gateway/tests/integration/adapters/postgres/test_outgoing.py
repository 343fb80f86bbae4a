"""The bot's queued messages on a real Postgres: written on a transaction, leased per chat in
order, never twice at once, a newer body winning, a rollback leaving nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from xrpbot.gateway.adapters.postgres.outgoing import PgOutgoingStore
from xrpbot.gateway.adapters.postgres.uow import GatewayUnitOfWork
from xrpbot.gateway.domain.delivery import Placeholder
from xrpbot.gateway.render.keyboards import no_tag_keyboard
from xrpbot.gateway.render.message import Rendered, rendered_from_json
from xrpbot.runtime.db import create_pool

pytestmark = pytest.mark.integration


def _uow(pool: asyncpg.Pool[Any]) -> GatewayUnitOfWork:
    return GatewayUnitOfWork(pool, "gateway.updates", lambda: None)


async def _say(pool: asyncpg.Pool[Any], chat_id: int, text: str) -> Placeholder:
    async with _uow(pool) as uow:
        slot_id = await uow.outgoing.send(chat_id, Rendered(text))
        await uow.commit()
    return Placeholder(chat_id, slot_id=slot_id)


async def test_a_chats_messages_are_leased_one_at_a_time_oldest_first(
    pool: asyncpg.Pool[Any],
) -> None:
    store = PgOutgoingStore(pool, "gateway-test")
    for text in ("a1", "a2"):
        await _say(pool, 1, text)
    await _say(pool, 2, "b1")
    first = await store.claim(10, 60)
    assert sorted((m.chat_id, m.body["text"]) for m in first) == [(1, "a1"), (2, "b1")]
    assert await store.claim(10, 60) == [], "a chat's next waits until its previous is shown"
    a1 = next(m for m in first if m.chat_id == 1)
    await store.shown(a1, message_id=501)
    [a2] = await store.claim(10, 60)
    assert (a2.chat_id, a2.body["text"], a2.message_id) == (1, "a2", None)


async def test_two_senders_never_lease_the_same_message(pool: asyncpg.Pool[Any]) -> None:
    for chat_id in range(1, 21):
        await _say(pool, chat_id, f"hello {chat_id}")
    one, two = PgOutgoingStore(pool, "gateway-test"), PgOutgoingStore(pool, "gateway-test")
    a, b = await asyncio.gather(one.claim(20, 60), two.claim(20, 60))
    ids = [m.slot_id for m in a + b]
    assert len(ids) == 20
    assert len(set(ids)) == 20


async def test_an_edit_before_the_send_sends_the_newest_body_only(
    pool: asyncpg.Pool[Any],
) -> None:
    store = PgOutgoingStore(pool, "gateway-test")
    placeholder = await _say(pool, 7, "Checking your balance…")
    async with _uow(pool) as uow:
        keyboard = no_tag_keyboard()
        assert await uow.outgoing.edit(placeholder, Rendered("💰 10 XRP", keyboard)) == (
            placeholder.slot_id
        )
        await uow.commit()
    [due] = await store.claim(10, 60)
    assert (due.slot_id, due.message_id, due.version) == (placeholder.slot_id, None, 2)
    assert rendered_from_json(due.body) == Rendered("💰 10 XRP", keyboard)
    await store.shown(due, message_id=900)
    assert await store.claim(10, 60) == []
    assert await store.next_due_in() is None


async def test_a_body_written_while_sending_keeps_the_message_due(
    pool: asyncpg.Pool[Any],
) -> None:
    store = PgOutgoingStore(pool, "gateway-test")
    placeholder = await _say(pool, 7, "Sending…")
    [sending] = await store.claim(10, 60)
    async with _uow(pool) as uow:
        await uow.outgoing.edit(placeholder, Rendered("✅ Sent"))
        await uow.commit()
    await store.shown(sending, message_id=901)  # Telegram showed "Sending…"
    [edit] = await store.claim(10, 60)
    assert (edit.message_id, edit.body["text"]) == (901, "✅ Sent"), "edited, not sent again"


async def test_a_pressed_message_gets_one_row_and_each_edit_bumps_it(
    pool: asyncpg.Pool[Any],
) -> None:
    store = PgOutgoingStore(pool, "gateway-test")
    pressed = Placeholder(7, message_id=300)
    for text in ("Sending…", "✅ Sent"):
        async with _uow(pool) as uow:
            await uow.outgoing.edit(pressed, Rendered(text))
            await uow.commit()
    [due] = await store.claim(10, 60)
    assert (due.message_id, due.body["text"], due.version) == (300, "✅ Sent", 2)
    assert await pool.fetchval("SELECT count(*) FROM chat_messages") == 1


async def test_a_rolled_back_transaction_leaves_no_message(pool: asyncpg.Pool[Any]) -> None:
    async with _uow(pool) as uow:
        await uow.outgoing.send(7, Rendered("Checking your payment…"))
    assert await PgOutgoingStore(pool, "gateway-test").claim(10, 60) == []


async def test_retry_waits_and_an_expired_lease_is_taken_again(pool: asyncpg.Pool[Any]) -> None:
    store = PgOutgoingStore(pool, "gateway-test")
    await _say(pool, 7, "hello")
    [first] = await store.claim(10, 0.2)  # a replica that dies mid-send
    await asyncio.sleep(0.3)
    [again] = await store.claim(10, 60)
    assert (again.slot_id, again.attempts) == (first.slot_id, 2)
    await store.retry(again, after_s=30)
    assert await store.claim(10, 60) == []
    due_in = await store.next_due_in()
    assert due_in is not None
    assert 20 < due_in <= 30


async def test_a_dropped_message_is_never_due_and_a_pruned_slot_becomes_a_new_message(
    pool: asyncpg.Pool[Any],
) -> None:
    store = PgOutgoingStore(pool, "gateway-test")
    placeholder = await _say(pool, 7, "hello")
    [due] = await store.claim(10, 60)
    await store.drop(due, "chat unavailable")
    assert await store.claim(10, 60) == []
    await pool.execute("DELETE FROM chat_messages")
    async with _uow(pool) as uow:
        slot_id = await uow.outgoing.edit(placeholder, Rendered("the answer"))
        await uow.commit()
    assert slot_id != placeholder.slot_id
    [new] = await store.claim(10, 60)
    assert (new.message_id, new.body["text"]) == (None, "the answer")


async def test_a_delayed_placeholder_is_not_due_until_its_time_or_its_answer(
    pool: asyncpg.Pool[Any],
) -> None:
    store = PgOutgoingStore(pool, "gateway-test")
    async with _uow(pool) as uow:
        slot_id = await uow.outgoing.send(7, Rendered("Checking your balance…"), delay_s=30)
        await uow.commit()
    assert await store.claim(10, 60) == [], "the placeholder waits for its answer"
    due_in = await store.next_due_in()
    assert due_in is not None
    assert 20 < due_in <= 30
    async with _uow(pool) as uow:  # the answer comes first: it is due at once
        await uow.outgoing.edit(Placeholder(7, slot_id=slot_id), Rendered("💰 10 XRP"))
        await uow.commit()
    [answer] = await store.claim(10, 60)
    assert (answer.slot_id, answer.message_id, answer.body["text"]) == (slot_id, None, "💰 10 XRP")


async def test_the_leases_of_a_sender_that_stopped_beating_are_free(
    pool: asyncpg.Pool[Any], database_url: str
) -> None:
    await _say(pool, 7, "hello")
    other = await create_pool(database_url, schema="gateway", application_name="gateway-dead")
    dead = PgOutgoingStore(other, "gateway-dead")
    [leased] = await dead.claim(10, 600)  # a replica that leases, then dies (SIGKILL)
    await other.close()  # its connections end, as the process's would
    live = PgOutgoingStore(pool, "gateway-test")
    assert await live.claim(10, 60) == [], (
        "its heartbeat is fresh: a restart of Postgres, or a slow send"
    )
    await pool.execute(
        "UPDATE outgoing_senders SET seen_at = now() - interval '21 seconds' "
        "WHERE holder = 'gateway-dead'"
    )
    [again] = await live.claim(10, 60)
    assert again.slot_id == leased.slot_id, "taken again 20 s after its last beat, not 600 s"


async def test_a_beating_sender_keeps_its_leases_without_claiming(
    pool: asyncpg.Pool[Any],
) -> None:
    await _say(pool, 7, "hello")
    busy, other = PgOutgoingStore(pool, "gateway-busy"), PgOutgoingStore(pool, "gateway-other")
    [_] = await busy.claim(10, 600)
    await pool.execute(
        "UPDATE outgoing_senders SET seen_at = now() - interval '21 seconds' "
        "WHERE holder = 'gateway-busy'"
    )
    await busy.beat()  # all its sends in flight: it beats on its own
    assert await other.claim(10, 60) == []
