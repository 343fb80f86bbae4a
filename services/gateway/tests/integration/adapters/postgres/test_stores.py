"""The stores on a real Postgres: the per-user throttle (with the clock passed in),
preferences, chats, alert rate limiting, and broadcasts that skip inactive chats."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from xrpbot.gateway.adapters.postgres.uow import GatewayUnitOfWork
from xrpbot.gateway.domain.delivery import ChatUnavailable, ReplyView
from xrpbot.gateway.domain.throttle import Verdict
from xrpbot.gateway.render.admin import alert_text
from xrpbot.gateway.render.message import Rendered
from xrpbot.gateway.render.texts import admin as admin_texts
from xrpbot.gateway.use_cases import admin

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _uow(pool: asyncpg.Pool[Any]) -> GatewayUnitOfWork:
    return GatewayUnitOfWork(pool, "gateway.updates", lambda: None)


async def _spend(pool: asyncpg.Pool[Any], user: int, at: datetime) -> Verdict:
    async with _uow(pool) as uow:
        verdict = await uow.throttle(user, burst=5, per_second=1.0, now=at)
        await uow.commit()
    return verdict


async def test_a_burst_of_five_then_one_notice_then_silence_then_one_a_second(
    pool: asyncpg.Pool[Any],
) -> None:
    verdicts = [await _spend(pool, 1, T0 + timedelta(milliseconds=10 * i)) for i in range(8)]
    assert verdicts == [Verdict.ALLOW] * 5 + [Verdict.NOTICE, Verdict.DROP, Verdict.DROP]
    # another user is unaffected
    assert await _spend(pool, 2, T0 + timedelta(milliseconds=80)) is Verdict.ALLOW
    # a second later one more command passes; the next burst gets its own notice
    assert await _spend(pool, 1, T0 + timedelta(seconds=1.1)) is Verdict.ALLOW
    assert await _spend(pool, 1, T0 + timedelta(seconds=1.2)) is Verdict.NOTICE
    # a quiet while refills the whole burst, never more
    later = T0 + timedelta(minutes=5)
    verdicts = [await _spend(pool, 1, later + timedelta(milliseconds=i)) for i in range(6)]
    assert verdicts == [Verdict.ALLOW] * 5 + [Verdict.NOTICE]


async def test_a_rolled_back_transaction_spends_nothing(pool: asyncpg.Pool[Any]) -> None:
    # the throttle middleware therefore decides in a transaction of its own, committed before
    # the update's (tests/integration/middlewares/test_throttle.py)
    for _ in range(5):
        async with _uow(pool) as uow:  # no commit: rolled back
            assert await uow.throttle(3, burst=1, per_second=0.001, now=T0) is Verdict.ALLOW
    assert await _spend(pool, 3, T0 + timedelta(milliseconds=1)) is Verdict.ALLOW


async def test_concurrent_updates_of_one_user_share_one_bucket(pool: asyncpg.Pool[Any]) -> None:
    async def spend() -> Verdict:
        async with _uow(pool) as uow:
            verdict = await uow.throttle(4, burst=3, per_second=0.001)
            await asyncio.sleep(0.01)
            await uow.commit()
        return verdict

    verdicts = await asyncio.gather(*(spend() for _ in range(5)))
    assert sorted(verdicts) == sorted([Verdict.ALLOW] * 3 + [Verdict.NOTICE, Verdict.DROP])


async def test_settings_are_stored_beside_the_fiat_currency(pool: asyncpg.Pool[Any]) -> None:
    async with _uow(pool) as uow:
        assert (await uow.preferences.get(7)).notifications is True
        await uow.fiat.set_currency(7, "eur")
        await uow.preferences.set_language(7, "ru")
        await uow.preferences.set_notifications(7, False)
        await uow.set_reply_view(uuid4(), ReplyView("receive", {"amount_drops": 5}))
        await uow.commit()
    async with _uow(pool) as uow:
        current = await uow.preferences.get(7)
    assert (current.language, current.fiat_currency, current.notifications) == ("ru", "eur", False)


async def test_settings_carry_the_language_telegram_last_gave_for_the_private_chat(
    pool: asyncpg.Pool[Any],
) -> None:
    user = 800_000_000 + uuid4().int % 100_000_000  # a fresh user in a shared database
    async with _uow(pool) as uow:  # never seen, never changed a setting: the defaults
        current = await uow.preferences.get(user)
        assert (current.language, current.fiat_currency, current.notifications) == (
            None,
            "usd",
            True,
        )
        assert current.telegram_language is None
        await uow.chats.see(user, "es")
        await uow.commit()
    async with _uow(pool) as uow:
        assert (await uow.preferences.get(user)).telegram_language == "es"
        await uow.chats.see(user, None)  # an update without a language_code keeps the last one
        await uow.preferences.set_language(user, "ru")
        await uow.commit()
    async with _uow(pool) as uow:
        current = await uow.preferences.get(user)
    assert (current.language, current.telegram_language) == ("ru", "es")


async def test_one_alert_per_kind_per_period_summarising_what_happened(
    pool: asyncpg.Pool[Any],
) -> None:
    async def note(detail: str, at: datetime) -> Any:
        async with _uow(pool) as uow:
            summary = await uow.admin.note_alert("dead_letter", detail, period_s=300, now=at)
            await uow.commit()
        return summary

    first = await note("transfer.confirm_transfer", T0)
    assert first is not None
    assert (first.count, first.details) == (1, {"transfer.confirm_transfer": 1})
    assert await note("gateway.replies", T0 + timedelta(seconds=10)) is None
    assert await note("gateway.replies", T0 + timedelta(seconds=20)) is None
    async with _uow(pool) as uow:  # not due yet
        assert await uow.admin.due_alerts(period_s=300, now=T0 + timedelta(seconds=60)) == []
        await uow.commit()
    async with _uow(pool) as uow:
        [due] = await uow.admin.due_alerts(period_s=300, now=T0 + timedelta(seconds=301))
        await uow.commit()
    assert (due.kind, due.count, due.details) == ("dead_letter", 2, {"gateway.replies": 2})
    assert "2 messages dead-lettered" in alert_text(due)


class RecordingMessenger:
    """Sends succeed, except to `blocked` chats (403)."""

    def __init__(self, blocked: set[int]) -> None:
        self.blocked = blocked
        self.sent: list[tuple[int, str]] = []

    async def send(self, chat_id: int, message: Rendered) -> int:
        if chat_id in self.blocked:
            raise ChatUnavailable("Forbidden: bot was blocked by the user")
        self.sent.append((chat_id, message.text))
        return len(self.sent)

    async def edit(self, placeholder: Any, message: Rendered) -> None:
        raise NotImplementedError


async def test_a_broadcast_reaches_active_private_chats_only(pool: asyncpg.Pool[Any]) -> None:
    admin_id, active, inactive, blocks_now, group = 100, 201, 202, 203, -300
    async with _uow(pool) as uow:
        for chat_id in (admin_id, active, inactive, blocks_now, group):
            await uow.chats.see(chat_id, "en")
        await uow.chats.mark_inactive(inactive, "Forbidden: bot was blocked by the user")
        reach = await uow.admin.queue_broadcast(uuid4(), admin_id, "Maintenance at 18:00")
        await uow.commit()
    assert reach == 3  # the admin, `active`, `blocks_now`: not the inactive chat, not the group
    messenger = RecordingMessenger(blocked={blocks_now})
    waits: list[float] = []
    steps = 0
    while await admin.broadcast_step(
        uow=_uow(pool), messenger=messenger, interval_s=0.0, sleep=waits.append
    ):
        steps += 1
        assert steps < 10
    assert [chat for chat, _ in messenger.sent[:-1]] == [admin_id, active]
    assert all(text == "Maintenance at 18:00" for _, text in messenger.sent[:-1])
    assert messenger.sent[-1] == (admin_id, admin_texts.broadcast_done(sent=2, unreachable=1))
    async with _uow(pool) as uow:
        inactive_now = await uow.conn.fetchval("SELECT count(*) FROM chats WHERE NOT active")
        state = await uow.conn.fetchval("SELECT state FROM broadcasts")
    assert (inactive_now, state) == (2, "done")  # the 403 marked `blocks_now` inactive
    # an update from a chat makes it active again
    async with _uow(pool) as uow:
        await uow.chats.see(inactive, "en")
        await uow.commit()
        assert await uow.conn.fetchval("SELECT active FROM chats WHERE chat_id = $1", inactive)
