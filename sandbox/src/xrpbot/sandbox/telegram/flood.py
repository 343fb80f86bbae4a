"""Telegram's flood control, when switched on: per-chat, global and per-group send limits answered with 429."""

from __future__ import annotations

import math
import time
from collections import deque

from .errors import ApiError
from .state import BotState, Bucket


def check_flood(bot: BotState, method: str, chat_id: int | None) -> None:
    """Telegram's flood control, when switched on (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
    about 1 message per second per chat with short bursts, about 30 per second overall (token
    buckets), and no more than 20 messages per minute to one group (a sliding window; group
    ids are negative). Over a limit: 429 "Too Many Requests: retry after N" with
    `parameters.retry_after` = N (https://core.telegram.org/bots/api#responseparameters), and
    the message is not sent. Each 429 is counted (`GET /sandbox/flood`)."""
    if bot.flood is None or method not in {
        "sendmessage",
        "sendphoto",
        "editmessagetext",
        "editmessagereplymarkup",
        "editmessagecaption",
    }:
        return
    now = time.monotonic()
    keys: list[tuple[int, float, float]] = [
        (0, bot.flood["global_burst"], bot.flood["global_per_second"])
    ]
    if chat_id is not None:
        keys.append((chat_id, bot.flood["chat_burst"], bot.flood["chat_per_second"]))
    waits: list[float] = []
    if chat_id is not None and chat_id < 0:
        window = bot.flood.get("group_window_seconds", 60.0)
        sent = bot.group_sends.setdefault(chat_id, deque())
        while sent and sent[0] <= now - window:
            sent.popleft()
        if len(sent) >= bot.flood.get("group_per_minute", 20):
            waits.append(sent[0] + window - now)
    for key, burst, rate in keys:
        bucket = bot.buckets.setdefault(key, Bucket(burst, rate, burst, now))
        wait = bucket.peek(now)
        if wait > 0:
            waits.append(wait)
    if waits:
        seconds = max(1, math.ceil(max(waits)))
        bot.flood_rejected += 1
        bot.flood_rejected_chats[chat_id or 0] = bot.flood_rejected_chats.get(chat_id or 0, 0) + 1
        raise ApiError(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds)
    for key, _, _ in keys:  # within every limit: the message counts against each
        bot.buckets[key].take(now)
    if chat_id is not None and chat_id < 0:
        bot.group_sends[chat_id].append(now)
