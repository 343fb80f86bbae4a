"""Telegram's send limits as pure rules: which requests count, and when the next may go.

Source: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
- in one chat, "avoid sending more than one message per second";
- bulk notifications: "the API will not allow more than 30 messages per second or so";
- "your bot will not be able to send more than 20 messages per minute to the same group".

Each limit is a sliding window, "at most `limit` sends in any `window_s` seconds", kept per key:
`global` (the whole bot), `chat:<id>` (every chat) and `group:<id>` (group and supergroup
chats: their ids are negative, https://core.telegram.org/bots/api#chat). A 429 answer
(https://core.telegram.org/bots/api#responseparameters, `retry_after`) blocks a key until
`blocked_until`. Times are float seconds on one clock (the database's, see `adapters.postgres.send_windows`); nothing
here does I/O (`adapters.limiter` paces the sends with them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

__all__ = [
    "GLOBAL_KEY",
    "LIMITED_METHODS",
    "Decision",
    "Rule",
    "Rules",
    "Window",
    "blocked",
    "decide",
    "is_global_429",
    "keys_for",
    "next_free",
    "record",
]

GLOBAL_KEY = "global"
"""The key of the bot-wide limit."""

LIMITED_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAnimation",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendMediaGroup",
        "sendLocation",
        "sendPoll",
        "sendDice",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
    }
)
"""Bot API methods that put (or change) a message in a chat: the ones the limits count.
answerCallbackQuery, deleteMessage, sendChatAction, getUpdates, setWebhook are not paced."""


@dataclass(frozen=True, slots=True)
class Rule:
    """At most `limit` sends in any `window_s` seconds.

    Attributes:
        limit: sends allowed per window (>= 1).
        window_s: the window, in seconds.
    """

    limit: int
    window_s: float


@dataclass(frozen=True, slots=True)
class Rules:
    """The three limits, and a safety margin added to every window.

    The margin absorbs the jitter between the moment a slot is granted and the moment Telegram
    counts the request (network, the other replica's clock reading), so a send granted exactly
    one window after another is never seen by Telegram a few milliseconds early.

    Attributes:
        global_: the whole bot (FAQ: 30 messages per second).
        chat: any one chat (FAQ: 1 message per second).
        group: one group or supergroup (FAQ: 20 messages per minute), on top of `chat`.
        margin_s: seconds added to each window.
    """

    global_: Rule = Rule(30, 1.0)
    chat: Rule = Rule(1, 1.0)
    group: Rule = Rule(20, 60.0)
    margin_s: float = 0.05

    def for_key(self, key: str) -> Rule:
        """The rule of a key made by `keys_for`."""
        if key == GLOBAL_KEY:
            return self.global_
        if key.startswith("group:"):
            return self.group
        return self.chat


@dataclass(slots=True)
class Window:
    """What one key remembers.

    Attributes:
        sent_at: times of its latest sends, oldest first (at most its rule's `limit`).
        blocked_until: no send before this time (a 429's retry_after); 0 when not blocked.
    """

    sent_at: list[float] = field(default_factory=list)
    blocked_until: float = 0.0


@dataclass(frozen=True, slots=True)
class Decision:
    """What `decide` says about one request.

    Attributes:
        at: the earliest time it may go; <= now means "now".
        windows: the keys' windows with this send recorded (only when it may go now).
        chat_quiet: the chat had sent nothing within twice its window before this send (a 429
            on it can then only come from the bot-wide limit, see `is_global_429`).
    """

    at: float
    windows: dict[str, Window] | None
    chat_quiet: bool = True


def keys_for(chat_id: int) -> list[str]:
    """The keys a message to `chat_id` counts against, sorted (the lock order of `adapters.postgres.send_windows`).

    Group and supergroup ids are negative (https://core.telegram.org/bots/api#chat).
    """
    keys = [GLOBAL_KEY, f"chat:{chat_id}"]
    if chat_id < 0:
        keys.append(f"group:{chat_id}")
    return sorted(keys)


def next_free(window: Window, rule: Rule, now: float, margin_s: float = 0.0) -> float:
    """The earliest time >= now at which one more send keeps `rule`.

    With the sends of the last window sorted, a new one is allowed once the `limit`-th most
    recent of them has left the window.
    """
    span = rule.window_s + margin_s
    start = max(now, window.blocked_until)
    recent = sorted(t for t in window.sent_at if t > start - span)
    if len(recent) < rule.limit:
        return start
    return max(start, recent[-rule.limit] + span)


def record(window: Window, rule: Rule, at: float) -> Window:
    """`window` with a send at `at` added (only the latest `limit` sends are kept)."""
    sent = sorted([*window.sent_at, at])[-rule.limit :]
    return Window(sent_at=sent, blocked_until=window.blocked_until)


def decide(windows: Mapping[str, Window], rules: Rules, now: float) -> Decision:
    """May a message counted against `windows` (keyed as by `keys_for`) go at `now`?

    Returns:
        the earliest time for it; when that is now, the windows with it recorded.
    """
    at = max(
        (next_free(w, rules.for_key(k), now, rules.margin_s) for k, w in windows.items()),
        default=now,
    )
    quiet = all(
        not [t for t in w.sent_at if t > now - 2 * (rules.chat.window_s + rules.margin_s)]
        for k, w in windows.items()
        if k.startswith("chat:")
    )
    if at > now:
        return Decision(at=at, windows=None, chat_quiet=quiet)
    updated = {k: record(w, rules.for_key(k), now) for k, w in windows.items()}
    return Decision(at=now, windows=updated, chat_quiet=quiet)


def is_global_429(chat_quiet: bool) -> bool:
    """Whether a 429 on a send blocks the whole bot, not only its chat.

    Telegram's 429 does not say which limit was hit. If the chat had been quiet, its own limit
    cannot explain it, so the bot-wide limit was hit (by this or another process using the
    token): every chat then waits `retry_after`. Otherwise only that chat waits.
    """
    return chat_quiet


def blocked(keys: Iterable[str], *, chat_quiet: bool) -> list[str]:
    """The keys a 429 on a message counted against `keys` blocks."""
    return [k for k in keys if k != GLOBAL_KEY or is_global_429(chat_quiet)]
