"""The outbound limiter without I/O: Telegram's limits as rules, the waiting, 429/403/5xx."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import defaultdict
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from prometheus_client import REGISTRY

from xrpbot.gateway.adapters.telegram import OutboundMiddleware
from xrpbot.gateway.outbound.limiter import ChatQueue, Limiter, SendSlotUnavailable
from xrpbot.gateway.outbound.limits import (
    GLOBAL_KEY,
    Rule,
    Rules,
    Window,
    blocked,
    decide,
    keys_for,
    next_free,
)
from xrpbot.gateway.outbound.store import MemorySendWindows

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


# ---- rules -----------------------------------------------------------------------------------


def test_keys_of_a_private_chat_and_of_a_group() -> None:
    assert keys_for(7) == ["chat:7", GLOBAL_KEY]
    assert keys_for(-100123) == ["chat:-100123", GLOBAL_KEY, "group:-100123"]
    rules = Rules()
    assert rules.for_key(GLOBAL_KEY) == Rule(30, 1.0)
    assert rules.for_key("chat:7") == Rule(1, 1.0)
    assert rules.for_key("group:-5") == Rule(20, 60.0)


def test_one_message_per_second_in_a_chat() -> None:
    rule = Rule(1, 1.0)
    assert next_free(Window(), rule, now=10.0) == 10.0
    assert next_free(Window([10.0]), rule, now=10.2, margin_s=0.05) == pytest.approx(11.05)
    assert next_free(Window([10.0]), rule, now=11.2, margin_s=0.05) == 11.2


def test_thirty_per_second_allows_a_burst_then_waits_for_the_oldest_to_leave() -> None:
    rule = Rule(30, 1.0)
    sent = [10.0 + i * 0.001 for i in range(29)]
    assert next_free(Window(sent), rule, now=10.1) == 10.1  # the 30th fits
    sent.append(10.1)
    assert next_free(Window(sent), rule, now=10.2) == pytest.approx(11.0)


def test_twenty_per_minute_to_a_group() -> None:
    rules = Rules(margin_s=0.0)
    windows: dict[str, Window] = {k: Window() for k in keys_for(-42)}
    now = 0.0
    for _ in range(20):
        decision = decide(windows, rules, now)
        assert decision.windows is not None
        windows = decision.windows
        now += 1.5  # within the chat's 1 per second
    decision = decide(windows, rules, now)
    assert decision.windows is None
    assert decision.at == pytest.approx(60.0)  # the first of the 20 leaves the minute


def test_a_block_from_a_429_holds_until_it_ends() -> None:
    rules = Rules(margin_s=0.0)
    windows = {"chat:1": Window(blocked_until=15.0), GLOBAL_KEY: Window()}
    assert decide(windows, rules, 10.0).at == 15.0
    assert decide(windows, rules, 15.0).windows is not None


def test_a_refused_send_records_nothing() -> None:
    rules = Rules()
    windows = {"chat:1": Window([9.9]), GLOBAL_KEY: Window()}
    decision = decide(windows, rules, 10.0)
    assert decision.windows is None
    assert windows[GLOBAL_KEY].sent_at == []


def test_a_429_on_a_quiet_chat_blocks_the_bot_too() -> None:
    keys = keys_for(5)
    assert blocked(keys, chat_quiet=True) == ["chat:5", GLOBAL_KEY]
    assert blocked(keys, chat_quiet=False) == ["chat:5"]
    quiet = decide({"chat:5": Window(), GLOBAL_KEY: Window()}, Rules(), 10.0)
    busy = decide({"chat:5": Window([8.5]), GLOBAL_KEY: Window()}, Rules(), 10.0)
    assert quiet.chat_quiet
    assert not busy.chat_quiet


def test_a_burst_of_500_messages_to_100_chats_never_breaks_a_limit() -> None:
    """Simulated: every send is made at the first moment `decide` allows; then every window of
    Telegram's FAQ holds (at most 30 in any second, 1 per second per chat), with no margin."""
    rules = Rules(margin_s=0.0)
    rng = random.Random(5)
    queue = [rng.randrange(100) for _ in range(500)]
    windows: dict[str, Window] = {}
    pending: dict[int, list[int]] = defaultdict(list)
    for i, chat in enumerate(queue):
        pending[chat].append(i)
    sent: list[tuple[float, int]] = []
    now = 0.0
    while pending:
        earliest = float("inf")
        for chat in list(pending):
            keys = keys_for(chat)
            decision = decide({k: windows.get(k, Window()) for k in keys}, rules, now)
            if decision.windows is None:
                earliest = min(earliest, decision.at)
                continue
            windows.update(decision.windows)
            sent.append((now, chat))
            pending[chat].pop(0)
            if not pending[chat]:
                del pending[chat]
        if pending and earliest != float("inf"):
            now = max(now + 1e-6, earliest)
    assert len(sent) == 500
    times = sorted(t for t, _ in sent)
    for i in range(len(times) - 30):
        assert times[i + 30] - times[i] >= 1.0 - 1e-9  # never 31 within one second
    by_chat: dict[int, list[float]] = defaultdict(list)
    for t, chat in sent:
        by_chat[chat].append(t)
    for stamps in by_chat.values():
        assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(stamps))


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
