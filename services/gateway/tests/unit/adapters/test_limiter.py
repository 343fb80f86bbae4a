"""The outbound limiter and the Bot API middleware that paces, retries and counts every
request (429, 403, 5xx), on a fake clock."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from prometheus_client import REGISTRY

from xrpbot.gateway.adapters.limiter import (
    ChatQueue,
    Limiter,
    MemorySendWindows,
    SendSlotUnavailable,
)
from xrpbot.gateway.adapters.telegram import OutboundMiddleware
from xrpbot.gateway.domain.limits import (
    GLOBAL_KEY,
    Rules,
)

TOKEN = "42:test-token"


class FakeClock:
    """A clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


# ---- the limiter -----------------------------------------------------------------------------


async def test_acquire_waits_for_the_chats_next_second() -> None:
    clock = FakeClock()
    limiter = Limiter(
        MemorySendWindows(clock), Rules(margin_s=0.0), clock=clock, sleep=clock.sleep
    )
    first = await limiter.acquire(7)
    second = await limiter.acquire(7)
    assert first.waited_s == 0
    assert second.waited_s == pytest.approx(1.0)
    assert (await limiter.acquire(8)).waited_s == 0  # another chat does not wait


async def test_a_slot_too_far_away_is_given_up_for_a_later_retry() -> None:
    clock = FakeClock()
    windows = MemorySendWindows(clock)
    limiter = Limiter(windows, Rules(), max_wait_s=5.0, clock=clock, sleep=clock.sleep)
    await windows.block(["chat:9"], 30.0)
    with pytest.raises(SendSlotUnavailable):
        await limiter.acquire(9)


async def test_after_close_nothing_is_granted() -> None:
    limiter = Limiter(MemorySendWindows())
    limiter.close()
    with pytest.raises(SendSlotUnavailable):
        await limiter.acquire(1)


async def test_a_chats_turns_follow_the_order_they_were_asked_for() -> None:
    queue = ChatQueue()
    order: list[int] = []

    async def send(i: int) -> None:
        async with queue.turn(1):
            await asyncio.sleep(0.001 * (5 - i))  # later ones would finish first
            order.append(i)

    await asyncio.gather(*(send(i) for i in range(5)))
    assert order == [0, 1, 2, 3, 4]
    assert len(queue) == 0  # no lock left behind


# ---- the session middleware --------------------------------------------------------------------


@pytest.fixture
def paced(telegram: Any) -> tuple[Bot, Any, Limiter, FakeClock, list[tuple[int, str]]]:
    """A Bot on a fresh fake Telegram with only the OutboundMiddleware."""
    session = type(telegram)()
    clock = FakeClock()
    limiter = Limiter(MemorySendWindows(clock), Rules(), clock=clock, sleep=clock.sleep)
    forbidden: list[tuple[int, str]] = []

    async def on_forbidden(chat_id: int, reason: str) -> None:
        forbidden.append((chat_id, reason))

    session.middleware(OutboundMiddleware(limiter, on_forbidden=on_forbidden, sleep=clock.sleep))
    return Bot(TOKEN, session=session), session, limiter, clock, forbidden


def _count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_a_429_is_honoured_for_the_chat_and_retried(paced: Any) -> None:
    bot, session, limiter, clock, _ = paced
    before = _count("xrpbot_telegram_rate_limited_total", method="sendMessage")
    session.fail("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    started = clock.now
    message = await bot.send_message(11, "hi")
    assert message.text == "hi"
    assert len(session.sent("sendMessage")) == 2
    assert clock.now - started >= 3.0  # waited the retry_after before the second try
    windows = limiter.windows
    assert isinstance(windows, MemorySendWindows)
    assert windows.windows["chat:11"].blocked_until == pytest.approx(started + 3.0)
    assert windows.windows[GLOBAL_KEY].blocked_until == pytest.approx(started + 3.0)  # quiet chat
    assert _count("xrpbot_telegram_rate_limited_total", method="sendMessage") == before + 1
    assert _count("xrpbot_telegram_requests_total", method="sendMessage", outcome="ok") >= 1


async def test_a_403_marks_the_chat_inactive_and_is_not_retried(paced: Any) -> None:
    bot, session, _, _, forbidden = paced
    session.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(12, "hi")
    assert forbidden == [(12, "Forbidden: bot was blocked by the user")]
    assert len(session.sent("sendMessage")) == 1


async def test_server_errors_are_retried_with_backoff(paced: Any) -> None:
    bot, session, _, clock, _ = paced
    session.fail("sendMessage", 502, "Bad Gateway")
    session.fail("sendMessage", 500, "Internal Server Error")
    assert (await bot.send_message(13, "hi")).text == "hi"
    assert len(session.sent("sendMessage")) == 3
    assert [s for s in clock.sleeps if s in (0.5, 1.0)] == [0.5, 1.0]


async def test_methods_that_send_no_message_are_not_paced(paced: Any) -> None:
    bot, session, limiter, _, _ = paced
    await bot.send_message(14, "one")
    await bot.answer_callback_query("q1")
    await bot.delete_message(14, 1)
    windows = limiter.windows
    assert isinstance(windows, MemorySendWindows)
    assert len(windows.windows[GLOBAL_KEY].sent_at) == 1
    assert [m.__api_method__ for m in session.calls] == [
        "sendMessage",
        "answerCallbackQuery",
        "deleteMessage",
    ]
