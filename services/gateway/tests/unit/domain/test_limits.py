"""Telegram's send limits as pure rules: keys, windows, 429 blocks."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import pytest

from xrpbot.gateway.domain.limits import (
    GLOBAL_KEY,
    Rule,
    Rules,
    Window,
    blocked,
    decide,
    keys_for,
    next_free,
)

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
