"""Transfer names bot users by the username they hold now: a rename reported by the gateway
(gateway.user_seen) reaches incoming-payment alerts; the newest claimer of a username takes it,
the old holder's is cleared; late and repeated events change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from faststream.rabbit import RabbitBroker, TestRabbitBroker

from xrpbot.runtime.topology import EVENTS
from xrpbot.schemas import Actor, PaymentReceived, UserSeen
from xrpbot.transfer.domain.usernames import SeenUser, sighting_changes
from xrpbot.transfer.entrypoints.consumers import build_router
from xrpbot.transfer.use_cases import incoming, usernames

from .test_incoming import XRP, payment

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def seen(telegram_id: int, username: str | None, at: datetime) -> UserSeen:
    user = Actor(telegram_id=telegram_id, username=username)
    return UserSeen(correlation_id=uuid4(), user=user, chat_id=telegram_id, seen_at=at)


def later(world: Any) -> datetime:
    """A minute after the fakes' users were seen (when `world.user` made them)."""
    return world.clock.now() + timedelta(minutes=1)


async def alert_for_payment(world: Any, source: str, destination: str) -> PaymentReceived:
    """Let the watcher find one payment; the alert it queued."""
    index = (world.store.cursor or 100) + 1
    world.store.cursor = index - 1
    world.ledger.ledgers[index] = [payment(uuid4().hex * 2, source, destination, 3 * XRP)]
    await incoming.watch(index, world.deps)
    alert = world.store.replies[-1]
    assert isinstance(alert, PaymentReceived)
    return alert


async def test_a_rename_reaches_the_incoming_payment_alert(world: Any) -> None:
    alice, bobby = world.user(1, "alice"), world.user(2, "bobby")
    await usernames.record_user_seen(seen(1, "alice_new", later(world)), world.deps)
    await usernames.record_user_seen(seen(2, "robert", later(world)), world.deps)
    alert = await alert_for_payment(world, world.address_of(alice), world.address_of(bobby))
    assert alert.source.username == "alice_new"
    assert alert.user.username == "robert", "the recipient too is named as they are now"


async def test_the_newest_claimer_takes_the_name_and_the_old_holder_loses_it(
    world: Any,
) -> None:
    alice, carol = world.user(1, "bob"), world.user(3, "carol")
    await usernames.record_user_seen(seen(3, "Bob", later(world)), world.deps)
    assert world.store.usernames[1].username is None
    assert world.store.usernames[3].username == "Bob"
    alert = await alert_for_payment(world, world.address_of(alice), world.address_of(carol))
    assert alert.source.username is None, "alice no longer holds 'bob'"
    assert alert.user.username == "Bob"


async def test_late_and_repeated_events_change_nothing(world: Any) -> None:
    world.user(1, "alice")
    now = world.clock.now()
    newer = seen(1, "alice_2", now + timedelta(hours=1))
    await usernames.record_user_seen(newer, world.deps)
    await usernames.record_user_seen(seen(1, "alice_1", now), world.deps)  # older, arrives later
    assert world.store.usernames[1].username == "alice_2"
    await usernames.record_user_seen(seen(1, "alice_3", now + timedelta(hours=2)), world.deps)
    await usernames.record_user_seen(newer, world.deps)  # redelivered: the inbox has it
    assert world.store.usernames[1].username == "alice_3"


async def test_a_user_who_drops_their_username_is_named_by_none(world: Any) -> None:
    alice, bobby = world.user(1, "alice"), world.user(2, "bobby")
    await usernames.record_user_seen(seen(1, None, later(world)), world.deps)
    alert = await alert_for_payment(world, world.address_of(alice), world.address_of(bobby))
    assert alert.source.username is None


async def test_the_consumer_is_wired_to_the_gateways_event(world: Any) -> None:
    world.user(1, "alice")
    broker = RabbitBroker(logger=None)
    broker.include_router(build_router(delivery_limit=5))
    broker.context.set_global("deps", world.deps)
    event = seen(1, "alice_new", later(world))
    async with TestRabbitBroker(broker) as br:
        await br.publish(event.model_dump_json().encode(), exchange=EVENTS, routing_key=event.kind)
    assert world.store.usernames[1].username == "alice_new"


def test_sighting_changes_follow_wallets_rule() -> None:
    alice = SeenUser(42, "bob", T0)
    carol = SeenUser(77, "bob", T0 + timedelta(days=1))
    assert sighting_changes(carol, before=None, holder=alice) == [SeenUser(42, None, T0), carol]
    assert sighting_changes(alice, before=None, holder=carol) == [SeenUser(42, None, T0)]
    assert sighting_changes(alice, before=alice, holder=alice) == []
    again = SeenUser(42, "bob", T0 + timedelta(days=2))
    assert sighting_changes(again, before=alice, holder=alice) == [again]
    assert sighting_changes(SeenUser(42, None, T0), before=None, holder=None) == [
        SeenUser(42, None, T0)
    ]
