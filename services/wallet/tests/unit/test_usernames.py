"""Usernames: the user seen with one last holds it; the former holder no longer resolves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from xrpbot.schemas import Actor, CreateWallet, ResolveUser, UserSeen
from xrpbot.wallet import use_cases
from xrpbot.wallet.domain.usernames import SeenUser, sighting_changes

T0 = datetime(2025, 1, 1, tzinfo=UTC)
ALICE = Actor(telegram_id=42, username="bob", first_name="Alice")
CAROL = Actor(telegram_id=77, username="Bob", first_name="Carol")
MALLORY = Actor(telegram_id=66, username="mallory", first_name="Mallory")


def seen(user: Actor, at: datetime) -> UserSeen:
    return UserSeen(correlation_id=uuid4(), user=user, chat_id=user.telegram_id, seen_at=at)


async def resolve(world: Any, username: str) -> Any:
    return await use_cases.resolve_user(
        ResolveUser.new(user=MALLORY, chat_id=66, username=username), world.deps
    )


async def open_wallets(world: Any, *users: Actor) -> None:
    for user in users:
        await use_cases.create_wallet(
            CreateWallet.new(user=user, chat_id=user.telegram_id), world.deps
        )


async def test_resolves_the_holder_with_first_name_and_seen_time(world: Any) -> None:
    await open_wallets(world, ALICE)
    await use_cases.record_user_seen(seen(ALICE, T0), world.deps)
    found = await resolve(world, "@BOB")
    assert found.telegram_id == 42
    assert found.address == world.store.wallets[42].address
    assert found.first_name == "Alice"
    assert found.username_seen_at == T0


async def test_the_newest_claimer_takes_the_username(world: Any) -> None:
    await open_wallets(world, ALICE, CAROL)
    await use_cases.record_user_seen(seen(ALICE, T0), world.deps)
    await use_cases.record_user_seen(seen(CAROL, T0 + timedelta(days=3)), world.deps)
    found = await resolve(world, "bob")
    assert found.telegram_id == 77
    assert found.address == world.store.wallets[77].address
    assert found.first_name == "Carol"
    assert world.store.users[42].username is None, "the old holder's mapping is cleared"


async def test_the_old_holder_no_longer_resolves_when_the_new_one_has_no_wallet(
    world: Any,
) -> None:
    await open_wallets(world, ALICE)
    await use_cases.record_user_seen(seen(ALICE, T0), world.deps)
    await use_cases.record_user_seen(seen(CAROL, T0 + timedelta(days=1)), world.deps)
    found = await resolve(world, "bob")
    assert (found.telegram_id, found.address, found.first_name) == (None, None, None)


async def test_a_user_who_dropped_their_username_no_longer_resolves(world: Any) -> None:
    await open_wallets(world, ALICE)
    await use_cases.record_user_seen(seen(ALICE, T0), world.deps)
    renamed = ALICE.model_copy(update={"username": None})
    await use_cases.record_user_seen(seen(renamed, T0 + timedelta(hours=1)), world.deps)
    assert (await resolve(world, "bob")).address is None


async def test_a_late_event_does_not_take_the_username_back(world: Any) -> None:
    await open_wallets(world, ALICE, CAROL)
    await use_cases.record_user_seen(seen(CAROL, T0 + timedelta(days=3)), world.deps)
    await use_cases.record_user_seen(seen(ALICE, T0), world.deps)  # older, arrives later
    assert (await resolve(world, "bob")).telegram_id == 77
    assert world.store.users[42].username is None


async def test_a_redelivered_event_changes_nothing(world: Any) -> None:
    await open_wallets(world, ALICE, CAROL)
    first = seen(ALICE, T0)
    await use_cases.record_user_seen(first, world.deps)
    await use_cases.record_user_seen(seen(CAROL, T0 + timedelta(days=1)), world.deps)
    await use_cases.record_user_seen(first, world.deps)
    assert (await resolve(world, "bob")).telegram_id == 77


def test_sighting_changes_rules() -> None:
    alice = SeenUser(42, "bob", "Alice", T0)
    carol = SeenUser(77, "bob", "Carol", T0 + timedelta(days=1))
    assert sighting_changes(carol, before=None, holder=alice) == [
        SeenUser(42, None, "Alice", T0),
        carol,
    ]
    assert sighting_changes(alice, before=None, holder=carol) == [SeenUser(42, None, "Alice", T0)]
    assert sighting_changes(alice, before=alice, holder=alice) == []
    again = SeenUser(42, "bob", "Alice", T0 + timedelta(days=2))
    assert sighting_changes(again, before=alice, holder=alice) == [again]
