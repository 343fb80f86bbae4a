"""What the gateway's use cases and entry points need from the outside world: Protocols only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from xrpbot.runtime.ports import Transaction

from .domain.admin import AlertSummary, BroadcastJob, UserCounts
from .domain.delivery import Placeholder, QueuedMessage, ReplyView
from .domain.fiat import FiatQuote
from .domain.preferences import Preferences
from .domain.throttle import Verdict

if TYPE_CHECKING:
    from .render.message import PriceChart, Rendered

__all__ = [
    "AdminStore",
    "ChartDrawer",
    "Chat",
    "ChatStore",
    "Conversation",
    "FiatStore",
    "Messenger",
    "OutgoingMessages",
    "OutgoingStore",
    "PreferencesStore",
    "QueueDepths",
    "ReportedUsers",
    "UnitOfWork",
    "UpdateInbox",
]


class Messenger(Protocol):
    """Sends and edits the bot's messages (Bot API sendMessage / editMessageText)."""

    async def send(self, chat_id: int, message: Rendered) -> int:
        """Send `message` to `chat_id`; returns the new message_id.

        Raises:
            ChatUnavailable: the chat cannot receive messages from the bot.
            TelegramUnavailable: a transient failure.
        """
        ...

    async def edit(self, placeholder: Placeholder, message: Rendered) -> int:
        """Replace the placeholder's text and keyboard with `message`; returns the id of the
        message that shows it (the placeholder's, or a new one: see below).

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


class Chat(Protocol):
    """The chat an update came from, where a use case answers. Inside the update's transaction
    both calls queue the message (`UnitOfWork.outgoing`), shown only after the commit."""

    async def say(self, message: Rendered, *, placeholder: bool = False) -> Placeholder:
        """Say `message`; returns where it is (a reply may replace it). A `placeholder` waits
        TELEGRAM_PLACEHOLDER_DELAY_MS unsent: an answer within it replaces it, the only message.
        """
        ...

    async def show(self, placeholder: Placeholder, message: Rendered) -> None:
        """Make a message show `message`, its buttons too (none: they are dropped); a message
        gone by then gets it as a new message."""
        ...


class OutgoingMessages(Messenger, Protocol):
    """The bot's messages queued on a transaction (`UnitOfWork.outgoing`): `send` returns the
    slot id, `edit` writes the placeholder's new body; never Telegram's errors."""

    async def send(self, chat_id: int, message: Rendered, *, delay_s: float = 0.0) -> int:
        """Queue `message` as a new message; it is due in `delay_s` seconds (0: at once)."""
        ...


class OutgoingStore(Protocol):
    """The queued bot messages (`gateway.chat_messages`) as the outgoing sender sees them: a
    row is due while Telegram shows an older body; a chat's rows go one at a time, oldest first."""

    async def claim(self, limit: int, lease_s: float) -> list[QueuedMessage]:
        """Lease up to `limit` due messages, at most one per chat (each chat's oldest due one,
        and none of a chat whose oldest is leased already), for `lease_s` seconds."""
        ...

    async def shown(self, message: QueuedMessage, message_id: int) -> None:
        """Telegram shows `message`'s version as `message_id`; the lease ends (a newer body
        keeps the row due)."""
        ...

    async def retry(self, message: QueuedMessage, after_s: float) -> None:
        """Not shown this time: due again in `after_s` seconds (the lease ends)."""
        ...

    async def drop(self, message: QueuedMessage, reason: str) -> None:
        """It will never be shown (`reason`: the chat is gone, Telegram refused it for good)."""
        ...

    async def next_due_in(self) -> float | None:
        """Seconds until the next message may be due (0 if one is), None if none is queued."""
        ...

    async def beat(self) -> None:
        """This sender is alive: its leases hold (a claim beats too)."""
        ...


class Conversation(Protocol):
    """A user's multi-step flow in one chat: its state and data (aiogram's `FSMContext`,
    stored through the update's unit of work, `adapters.fsm`)."""

    async def get_state(self) -> str | None:
        """The flow's state ("<Group>:<state>", `states`), or None outside any flow."""
        ...

    async def set_state(self, state: str | None = None) -> None:
        """Move the flow to `state` (None: leave it)."""
        ...

    async def get_data(self) -> dict[str, Any]:
        """What the flow kept between steps."""
        ...

    async def set_data(self, data: Mapping[str, Any]) -> None:
        """Replace what the flow keeps."""
        ...

    async def update_data(
        self, data: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Add to what the flow keeps; returns all of it."""
        ...

    async def clear(self) -> None:
        """Leave the flow and forget its data."""
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the gateway's schema: update claims, pending replies, inbox, outbox."""

    @property
    def fiat(self) -> FiatStore:
        """Users' fiat currencies and the latest XRP rates, on this transaction."""
        ...

    @property
    def preferences(self) -> PreferencesStore:
        """Users' preferences (/settings), on this transaction."""
        ...

    @property
    def chats(self) -> ChatStore:
        """The chats the bot knows, on this transaction."""
        ...

    @property
    def admin(self) -> AdminStore:
        """User counts, admin alerts and broadcasts, on this transaction."""
        ...

    @property
    def users(self) -> ReportedUsers:
        """The users reported to the other services (UserSeen), on this transaction."""
        ...

    @property
    def outgoing(self) -> OutgoingMessages:
        """The bot's messages queued on this transaction (`OutgoingMessages`)."""
        ...

    def savepoint(self) -> AbstractAsyncContextManager[None]:
        """A block whose writes are undone when it raises (the exception propagates); what the
        transaction wrote before it stays, to commit or roll back as usual."""
        ...

    async def throttle(
        self, telegram_id: int, *, burst: int, per_second: float, now: datetime | None = None
    ) -> Verdict:
        """Spend one of the user's commands (token bucket: `burst`, refilled `per_second`);
        `telegram_id` is a user's id, or a group's (negative) chat id for the group's bucket.

        `now` is when the user sent it (a message's date), else the database clock. Locks the
        bucket's row until this transaction ends, so replicas agree.
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

    async def quote_message(self, transfer_id: UUID) -> tuple[UUID, Placeholder] | None:
        """The quote's message of `transfer_id` while it waits for a reply: (the correlation
        id of the press that owns it, the message), or None. Locks like `placeholder`."""
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


class PreferencesStore(Protocol):
    """Users' preferences (`user_settings`); the fiat currency is also `FiatStore`'s."""

    async def get(self, telegram_id: int) -> Preferences:
        """The user's preferences (defaults when they never changed any)."""
        ...

    async def set_language(self, telegram_id: int, language: str) -> None:
        """Remember the user's language ("en", "es", "ru")."""
        ...

    async def set_notifications(self, telegram_id: int, enabled: bool) -> None:
        """Turn the user's incoming-payment alerts on or off."""
        ...


class ChatStore(Protocol):
    """The chats the bot knows (`chats`): when each was seen, its language, whether it is active."""

    async def see(self, chat_id: int, language_code: str | None) -> None:
        """Remember the chat (first/last seen, the user's language); it is active again."""
        ...

    async def mark_inactive(self, chat_id: int, reason: str) -> None:
        """The chat cannot be written to (blocked, gone): broadcasts skip it until it writes
        again. `reason` is Telegram's description (logged)."""
        ...


class ReportedUsers(Protocol):
    """What the gateway last reported about each user (`reported_users`)."""

    async def due(
        self, telegram_id: int, username: str | None, first_name: str, *, every: timedelta
    ) -> bool:
        """True when (username, first_name) differs from the pair reported last for the user,
        or that report is older than `every`: the pair is then remembered as reported now.
        False (nothing changed) otherwise. Locks the user's row until the transaction ends."""
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


class ChartDrawer(Protocol):
    """Draws price charts (matplotlib, off the event loop)."""

    async def draw(self, chart: PriceChart) -> bytes:
        """The chart as PNG bytes."""
        ...


class QueueDepths(Protocol):
    """Messages waiting in RabbitMQ queues (a passive queue declare)."""

    async def depths(self, queues: Sequence[str]) -> dict[str, int | None]:
        """Ready messages per queue; None for a queue that does not exist or cannot be read."""
        ...


class UpdateInbox(Protocol):
    """Where the webhook leaves an update for processing after its answer
    (`entrypoints.webhook_updates.WebhookUpdates`)."""

    async def accept(self, update_id: int, raw: dict[str, Any]) -> bool:
        """Store the update durably; False if this update_id was stored before.

        Raises:
            Exception: not stored (the webhook answers 500).
        """
        ...
