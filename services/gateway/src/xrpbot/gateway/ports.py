"""What the gateway's handlers and use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from xrpbot.runtime.ports import Transaction

from .market import FiatQuote, PriceChart
from .render import Rendered

__all__ = [
    "ChatUnavailable",
    "MessageGone",
    "Messenger",
    "Placeholder",
    "TelegramUnavailable",
    "UnitOfWork",
]
__all__ += ["ChartDrawer", "FiatStore"]  # prices (issue 4), defined at the end


@dataclass(frozen=True, slots=True)
class Placeholder:
    """The "working on it…" message a command's reply will replace.

    Attributes:
        chat_id: Telegram chat id.
        message_id: id of the bot's message in that chat.
    """

    chat_id: int
    message_id: int


class TelegramUnavailable(Exception):
    """Telegram could not be reached, answered 5xx, or kept answering 429: try again later."""


class ChatUnavailable(Exception):
    """Nothing can be delivered to the chat: the user blocked the bot, or the chat is gone."""


class MessageGone(Exception):
    """The placeholder can no longer be edited (deleted, or too old): send a new message."""


class Messenger(Protocol):
    """Sends and edits the bot's messages (Bot API sendMessage / editMessageText)."""

    async def send(self, chat_id: int, message: Rendered) -> int:
        """Send `message` to `chat_id`; returns the new message_id.

        Raises:
            ChatUnavailable: the chat cannot receive messages from the bot.
            TelegramUnavailable: a transient failure.
        """
        ...

    async def edit(self, placeholder: Placeholder, message: Rendered) -> None:
        """Replace the placeholder's text and keyboard with `message`.

        An edit that changes nothing ("message is not modified") succeeds: it is what a
        redelivery after a crash sees.

        A message with a chart cannot be an edit of a text: the chart is sent as a new photo
        and the placeholder deleted.

        Raises:
            MessageGone: the placeholder cannot be edited any more.
            ChatUnavailable: the chat cannot receive messages from the bot.
            TelegramUnavailable: a transient failure.
        """
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the gateway's schema: update claims, pending replies, inbox, outbox."""

    @property
    def fiat(self) -> FiatStore:
        """Users' fiat currencies and the latest XRP rates, on this transaction."""
        ...

    @property
    def settings(self) -> SettingsStore:
        """Users' /settings (issue 5), on this transaction."""
        ...

    @property
    def admin(self) -> AdminStore:
        """User counts, admin alerts and broadcasts (issue 5), on this transaction."""
        ...

    async def throttle(
        self, telegram_id: int, *, burst: int, per_second: float, now: datetime | None = None
    ) -> Verdict:
        """Spend one of the user's commands (token bucket: `burst`, refilled `per_second`).

        `now` is when the user sent it (a message's date), else the database clock. Locks the
        user's row until this transaction ends, so replicas agree.
        """
        ...

    async def set_reply_view(self, correlation_id: UUID, view: ReplyView) -> None:
        """Show the reply with `correlation_id` as `view` (see `ReplyView`)."""
        ...

    async def reply_view(self, correlation_id: UUID) -> ReplyView | None:
        """The view stored for the reply with `correlation_id`, if any."""
        ...

    async def claim_update(self, update_id: int) -> bool:
        """Record a Telegram update as processed; False if it already was (then do nothing).

        A concurrent claim of the same update waits until this transaction ends.
        """
        ...

    async def see_chat(self, chat_id: int, language_code: str | None) -> None:
        """Remember the chat (first/last seen, the user's language)."""
        ...

    async def expect_reply(self, correlation_id: UUID, placeholder: Placeholder) -> None:
        """Remember which message the reply with `correlation_id` should replace."""
        ...

    async def placeholder(self, correlation_id: UUID) -> Placeholder | None:
        """The message waiting for the reply with `correlation_id`, if any.

        A concurrent delivery of another reply with the same correlation id (TransferSubmitted
        and TransferValidated of one payment) waits until this transaction ends.
        """
        ...

    async def forget_placeholder(self, correlation_id: UUID) -> None:
        """The reply was delivered: the placeholder waits no more."""
        ...

    async def press_quote(self, transfer_id: UUID, correlation_id: UUID) -> bool:
        """Record the first Confirm/Cancel press on a quote; False if one was recorded before.

        The first press owns the quote's message (it edits it); a concurrent press of the same
        quote waits until this transaction ends, then gets False.
        """
        ...

    async def fsm_state(self, key: str) -> tuple[str | None, dict[str, Any]]:
        """The conversation's FSM (state, data); (None, {}) when it has none.

        Locks the conversation until this transaction ends, so two updates of one user run
        their flow steps one after the other.
        """
        ...

    async def set_fsm_state(self, key: str, state: str | None) -> None:
        """Set (None: clear) the conversation's FSM state."""
        ...

    async def set_fsm_data(self, key: str, data: dict[str, Any]) -> None:
        """Replace the conversation's FSM data (JSON-serialisable values)."""
        ...


# ==== prices (issue 4): fiat preferences and rates, charts ======================================


class FiatStore(Protocol):
    """Each user's fiat currency (`user_settings`) and the latest XRP price per currency
    (`fiat_rates`, fed by pricing's SpotPricesRefreshed events)."""

    async def currency(self, telegram_id: int) -> str:
        """The user's fiat currency, lower case; USD when they never chose one."""
        ...

    async def set_currency(self, telegram_id: int, currency: str) -> None:
        """Remember the user's fiat currency (lower-case code)."""
        ...

    async def quote(self, telegram_id: int) -> FiatQuote | None:
        """The latest price of 1 XRP in the user's currency, if the gateway heard one."""
        ...

    async def rate(self, currency: str) -> FiatQuote | None:
        """The latest price of 1 XRP in `currency` (lower-case code), if the gateway heard one."""
        ...

    async def save_rates(self, quotes: Sequence[FiatQuote]) -> int:
        """Keep each rate unless a newer one (by `as_of`) is stored; returns how many changed."""
        ...


class ChartDrawer(Protocol):
    """Draws price charts (matplotlib, off the event loop)."""

    async def draw(self, chart: PriceChart) -> bytes:
        """The chart as PNG bytes."""
        ...


# ==== issue 5: settings, throttling, reply views, admin ========================================

__all__ += [
    "AdminStore",
    "AlertSummary",
    "BroadcastJob",
    "QueueDepths",
    "ReplyView",
    "SettingsStore",
    "UserCounts",
    "UserSettings",
    "Verdict",
]


class Verdict(StrEnum):
    """What the throttle decided for one command of a user."""

    ALLOW = "allow"
    """Within the allowance: handle it."""
    NOTICE = "notice"
    """The first command over the allowance in this burst: answer the polite notice only."""
    DROP = "drop"
    """Over the allowance again in the same burst: no answer at all."""


@dataclass(frozen=True, slots=True)
class UserSettings:
    """One user's /settings.

    Attributes:
        language: "en", "es" or "ru" as chosen; None to follow Telegram's language_code.
        fiat_currency: lower-case ISO code (usd when never chosen).
        notifications: False silences "You received …" alerts (the payment stays in /history).
        telegram_language: the language_code Telegram last gave for the user's private chat
            (`chats`), for messages that carry none (an incoming payment's alert, admin alerts).
    """

    language: str | None
    fiat_currency: str
    notifications: bool
    telegram_language: str | None = None


@dataclass(frozen=True, slots=True)
class ReplyView:
    """How a reply is to be shown besides its default (stored with the command).

    Attributes:
        view: "receive" (BalanceReported as the address and its QR) or "stats" (StatsReported
            plus the gateway's numbers).
        args: the view's data: receive {"amount_drops": int | None}; stats {"users": int,
            "active_today": int, "inactive": int, "queues": {name: messages | None}}.
    """

    view: str
    args: dict[str, Any]


@dataclass(frozen=True, slots=True)
class UserCounts:
    """Private chats the gateway knows (one per user who talked to the bot).

    Attributes:
        users: every user; active_today: seen since the day's start; inactive: who blocked the bot.
    """

    users: int
    active_today: int
    inactive: int


@dataclass(frozen=True, slots=True)
class AlertSummary:
    """What happened for one alert kind since its last alert.

    Attributes:
        kind: "dead_letter" or "payment_failed".
        count: events since the last alert.
        details: counts per detail (queue name, error code).
    """

    kind: str
    count: int
    details: dict[str, int]


@dataclass(frozen=True, slots=True)
class BroadcastJob:
    """A broadcast being sent.

    Attributes:
        id: its id; created_by: the admin's Telegram id (gets the final report).
        text: the message (HTML, escaped when it was queued).
        cursor: the last chat id done; sent / unreachable: counts so far.
        wait_s: seconds to wait before the next message, so every replica together keeps the pace.
    """

    id: UUID
    created_by: int
    text: str
    cursor: int
    sent: int
    unreachable: int
    wait_s: float


class SettingsStore(Protocol):
    """Users' /settings (`user_settings`); the fiat currency is also `FiatStore`'s."""

    async def get(self, telegram_id: int) -> UserSettings:
        """The user's settings (defaults when they never changed any)."""
        ...

    async def set_language(self, telegram_id: int, language: str) -> None:
        """Remember the user's language ("en", "es", "ru")."""
        ...

    async def set_notifications(self, telegram_id: int, enabled: bool) -> None:
        """Turn the user's incoming-payment alerts on or off."""
        ...


class AdminStore(Protocol):
    """Admin data in the gateway's schema: user counts, alerts, broadcasts."""

    async def user_counts(self, since: datetime) -> UserCounts:
        """Users (private chats), those seen since `since`, and those who blocked the bot."""
        ...

    async def note_alert(
        self, kind: str, detail: str, *, period_s: float, now: datetime | None = None
    ) -> AlertSummary | None:
        """Count one event; the summary to send when the kind's last alert is `period_s` old
        (then the count restarts), else None. Serialised per kind across replicas."""
        ...

    async def due_alerts(
        self, *, period_s: float, now: datetime | None = None
    ) -> list[AlertSummary]:
        """Summaries of kinds with events waiting whose last alert is `period_s` old (taken)."""
        ...

    async def queue_broadcast(self, broadcast_id: UUID, created_by: int, text: str) -> int:
        """Queue a broadcast; returns how many active private chats it will reach."""
        ...

    async def next_broadcast(self, *, interval_s: float) -> BroadcastJob | None:
        """Lock the oldest queued broadcast (None if none, or another replica holds it)."""
        ...

    async def next_target(self, job: BroadcastJob) -> int | None:
        """The next active private chat after the job's cursor, or None when done."""
        ...

    async def advance_broadcast(self, job: BroadcastJob, chat_id: int, *, sent: bool) -> None:
        """Record chat `chat_id` as done (sent, or unreachable) and when it was sent."""
        ...

    async def finish_broadcast(self, job: BroadcastJob) -> None:
        """Mark the broadcast done."""
        ...

    async def mark_inactive(self, chat_id: int) -> None:
        """The chat cannot be written to (403): broadcasts skip it until it writes again."""
        ...


class QueueDepths(Protocol):
    """Messages waiting in RabbitMQ queues (a passive queue declare)."""

    async def depths(self, queues: Sequence[str]) -> dict[str, int | None]:
        """Ready messages per queue; None for a queue that does not exist or cannot be read."""
        ...
