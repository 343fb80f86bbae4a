"""UserSeen is published when a user's @username or first name changed, or daily; not on every
update. Through the real Dispatcher (the update's transaction middleware) and the use case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from aiogram import Bot, Dispatcher

from xrpbot.gateway.domain.ids import correlation_id_for
from xrpbot.gateway.use_cases.ask import Origin
from xrpbot.gateway.use_cases.users import REPORT_EVERY, report_user_seen
from xrpbot.schemas import Actor, UserSeen

BOT_ID = 123456789
MakeUpdate = Callable[..., dict[str, Any]]


async def test_the_first_update_of_a_user_reports_them(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/help", user_id=77, username="bob"))
    [event] = store.events
    assert isinstance(event, UserSeen)
    assert (event.user.telegram_id, event.user.username, event.user.first_name) == (
        77,
        "bob",
        "Ada",
    )
    assert event.chat_id == 77
    assert event.correlation_id == correlation_id_for(BOT_ID, 1)
    assert abs(event.seen_at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_not_on_every_update(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    for update_id in range(1, 6):
        await dp.feed_raw_update(bot, message_update(update_id, "/help", username="bob"))
    assert len(store.events) == 1
    assert store.processed_updates == {1, 2, 3, 4, 5}


async def test_again_when_the_username_or_first_name_changed(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/help", username="bob"))
    await dp.feed_raw_update(bot, message_update(2, "/help", username="Bobby"))
    await dp.feed_raw_update(bot, message_update(3, "/help", username=None))
    await dp.feed_raw_update(bot, message_update(4, "/help", username=None, first_name="Bo"))
    await dp.feed_raw_update(bot, message_update(5, "/help", username=None, first_name="Bo"))
    assert [(e.user.username, e.user.first_name) for e in store.events] == [
        ("bob", "Ada"),
        ("Bobby", "Ada"),
        (None, "Ada"),
        (None, "Bo"),
    ]


async def test_each_user_is_reported_on_their_own(
    dp: Dispatcher, bot: Bot, store: Any, message_update: MakeUpdate
) -> None:
    await dp.feed_raw_update(bot, message_update(1, "/help", user_id=1, username="bob"))
    await dp.feed_raw_update(bot, message_update(2, "/help", user_id=2, username="bob"))
    assert [e.user.telegram_id for e in store.events] == [1, 2]


async def test_again_once_the_last_report_is_old(store: Any, new_uow: Any) -> None:
    origin = Origin(Actor(telegram_id=7, username="bob", first_name="Bob"), 7, uuid4())
    async with new_uow() as uow:
        assert await report_user_seen(origin, uow=uow)
        await uow.commit()
    async with new_uow() as uow:
        assert not await report_user_seen(origin, uow=uow)
        await uow.commit()
    store.reported[7] = ("bob", "Bob", datetime.now(UTC) - REPORT_EVERY - timedelta(minutes=1))
    async with new_uow() as uow:
        assert await report_user_seen(origin, uow=uow)
        await uow.commit()
    assert len(store.events) == 2


async def test_a_rolled_back_update_reports_nothing(store: Any, new_uow: Any) -> None:
    origin = Origin(Actor(telegram_id=7, username="bob", first_name="Bob"), 7, uuid4())
    async with new_uow() as uow:
        assert await report_user_seen(origin, uow=uow)  # no commit: the update failed
    assert store.events == []
    assert store.reported == {}
    async with new_uow() as uow:
        assert await report_user_seen(origin, uow=uow), "the retried update reports it"
        await uow.commit()
    assert len(store.events) == 1
