"""Fakes for the gateway's ports and a Bot API stand-in inside aiogram's session."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import html
import json
import logging
import re
import time
from collections import defaultdict
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Sequence,
)
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod

from xrpbot.gateway.adapters.limiter import Limiter, MemorySendWindows
from xrpbot.gateway.adapters.messenger import BotMessenger
from xrpbot.gateway.adapters.telegram import OutboundMiddleware
from xrpbot.gateway.domain.admin import UserCounts
from xrpbot.gateway.domain.delivery import Placeholder, QueuedMessage, ReplyView
from xrpbot.gateway.domain.fiat import FiatQuote
from xrpbot.gateway.domain.limits import Rule, Rules
from xrpbot.gateway.domain.preferences import Preferences
from xrpbot.gateway.domain.throttle import Verdict
from xrpbot.gateway.entrypoints.outgoing import OutgoingSender
from xrpbot.gateway.handlers import build_dispatcher
from xrpbot.gateway.render.message import Rendered, rendered_to_json
from xrpbot.gateway.use_cases.replies import deliver_reply
from xrpbot.runtime.logs import correlation_id_var
from xrpbot.schemas import (
    Actor,
    Command,
    DailyLimitReported,
    DailyLimitSet,
    Envelope,
    GetDailyLimit,
    PricePeriod,
    PricePoint,
    PriceReported,
    SetDailyLimit,
)

TOKEN = "123456789:test-token-not-secret"
BOT_ID = 123456789
ADMIN = 9001
"""The admin of the `dp` fixture's Dispatcher (ADMIN_IDS)."""
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
USER = 4242
FIXTURES = Path(__file__).parent / "fixtures"


# ---- the database ---------------------------------------------------------------------------


@dataclass
class FakeSlot:
    """One row of `chat_messages`."""

    chat_id: int
    message_id: int | None
    body: dict[str, Any] | None
    version: int = 1
    shown_version: int = 0
    dropped: str | None = None
    leased: bool = False
    delay_s: float = 0.0
    retry_later: bool = False  # Telegram failed: not due again in this pass

    @property
    def due(self) -> bool:
        return self.version > self.shown_version and self.dropped is None


_slot_ids = iter(range(1, 10**9))
"""Slot ids, never reused (a Postgres sequence is not rolled back either)."""


class FakeOutgoing:
    """`UnitOfWork.outgoing` on a transaction's copy of the slots."""

    def __init__(self, slots: dict[int, FakeSlot]) -> None:
        self.slots = slots

    async def send(self, chat_id: int, message: Rendered, *, delay_s: float = 0.0) -> int:
        slot_id = next(_slot_ids)  # the delay is recorded; the fakes show at once
        self.slots[slot_id] = FakeSlot(chat_id, None, rendered_to_json(message), delay_s=delay_s)
        return slot_id

    async def edit(self, placeholder: Placeholder, message: Rendered) -> int:
        body = rendered_to_json(message)
        if placeholder.slot_id is not None:
            slot = self.slots.get(placeholder.slot_id)
            if slot is None or slot.chat_id != placeholder.chat_id:
                return await self.send(placeholder.chat_id, message)
            slot.body, slot.version, slot.dropped = body, slot.version + 1, None
            return placeholder.slot_id
        if placeholder.message_id is None:
            return await self.send(placeholder.chat_id, message)
        for slot_id, slot in self.slots.items():
            if (slot.chat_id, slot.message_id) == (placeholder.chat_id, placeholder.message_id):
                slot.body, slot.version, slot.dropped = body, slot.version + 1, None
                return slot_id
        slot_id = next(_slot_ids)
        self.slots[slot_id] = FakeSlot(placeholder.chat_id, placeholder.message_id, body)
        return slot_id


class FakeOutgoingStore:
    """`ports.OutgoingStore` on the committed slots of a `FakeStore` (no delays, no clock)."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def claim(self, limit: int, lease_s: float) -> list[QueuedMessage]:
        heads: dict[int, int] = {}
        for slot_id, slot in sorted(self.store.slots.items()):
            if slot.due and slot.chat_id not in heads:
                heads[slot.chat_id] = slot_id
        claimed = []
        for slot_id in list(heads.values())[:limit]:
            slot = self.store.slots[slot_id]
            if slot.leased or slot.retry_later:
                continue
            slot.leased = True
            assert slot.body is not None
            claimed.append(
                QueuedMessage(slot_id, slot.chat_id, slot.message_id, slot.body, slot.version, 1)
            )
        return claimed

    async def shown(self, message: QueuedMessage, message_id: int) -> None:
        slot = self.store.slots[message.slot_id]
        slot.shown_version = max(slot.shown_version, message.version)
        slot.message_id, slot.leased = message_id, False

    async def retry(self, message: QueuedMessage, after_s: float) -> None:
        self.store.slots[message.slot_id].leased = False
        self.store.slots[message.slot_id].retry_later = True
        self.store.retried.append(message.slot_id)

    async def drop(self, message: QueuedMessage, reason: str) -> None:
        slot = self.store.slots[message.slot_id]
        slot.leased = False
        if slot.version == message.version:
            slot.dropped = reason

    async def next_due_in(self) -> float | None:
        return 0.0 if any(s.due and not s.leased for s in self.store.slots.values()) else None

    async def beat(self) -> None:
        return None


async def show_outgoing(store: FakeStore, bot: Bot, *, charts: Any = None) -> None:
    """What the outgoing sender does after a commit (`OutgoingSender.show_due_now` on the fake
    store): show every due queued message through the real `BotMessenger` (so on the Bot API
    stand-in), a chat's oldest first. A message Telegram refuses transiently stays due until
    the next pass (the test sees it in `store.slots`)."""
    for slot in store.slots.values():  # a later pass: what failed before is due again
        slot.retry_later = False
    await OutgoingSender(FakeOutgoingStore(store), BotMessenger(bot, charts)).show_due_now()


@dataclass
class FakeStore:
    """What the committed gateway schema would hold."""

    processed_updates: set[int] = field(default_factory=set)
    chats: dict[int, str | None] = field(default_factory=dict)
    pending: dict[UUID, Placeholder] = field(default_factory=dict)
    outbox: list[Command] = field(default_factory=list)
    events: list[Envelope] = field(default_factory=list)
    # telegram id -> (username, first name, reported at): `reported_users`
    reported: dict[int, tuple[str | None, str, datetime]] = field(default_factory=dict)
    inbox: set[tuple[str, UUID]] = field(default_factory=set)
    presses: dict[UUID, UUID] = field(default_factory=dict)
    fsm: dict[str, tuple[str | None, dict[str, Any]]] = field(default_factory=dict)
    fiat_currency: dict[int, str] = field(default_factory=dict)
    fiat_rates: dict[str, FiatQuote] = field(default_factory=dict)
    # preferences, throttle verdicts to hand out (else ALLOW), reply views, admin data
    languages: dict[int, str] = field(default_factory=dict)
    notifications: dict[int, bool] = field(default_factory=dict)
    verdicts: dict[int, list[Verdict]] = field(default_factory=dict)
    throttled: list[int] = field(default_factory=list)
    views: dict[UUID, ReplyView] = field(default_factory=dict)
    inactive: set[int] = field(default_factory=set)
    broadcasts: list[tuple[UUID, int, str]] = field(default_factory=list)
    # the bot's queued messages (`chat_messages`): slot id -> FakeSlot
    slots: dict[int, FakeSlot] = field(default_factory=dict)
    retried: list[int] = field(default_factory=list)
    commits: int = 0
    rollbacks: int = 0
    savepoint_rollbacks: int = 0


class FakeUnitOfWork:
    """Copies the store on enter and writes it back only on commit, so rollbacks are real."""

    def __init__(self, store: FakeStore, consumer: str = "gateway.updates") -> None:
        self.store = store
        self.consumer = consumer

    async def __aenter__(self) -> FakeUnitOfWork:
        self._state = copy.deepcopy(
            (self.store.processed_updates, self.store.chats, self.store.pending, self.store.inbox)
        )
        self._presses = dict(self.store.presses)
        self._fsm = copy.deepcopy(self.store.fsm)
        self._outbox: list[Command] = []
        self._events: list[Envelope] = []
        self._reported = dict(self.store.reported)
        self._fiat = FakeFiatStore(dict(self.store.fiat_currency), dict(self.store.fiat_rates))
        self._languages = dict(self.store.languages)
        self._notifications = dict(self.store.notifications)
        self._verdicts = copy.deepcopy(self.store.verdicts)
        self._throttled: list[int] = []
        self._views = dict(self.store.views)
        self._inactive = set(self.store.inactive)
        self._broadcasts: list[tuple[UUID, int, str]] = []
        self._slots = copy.deepcopy(self.store.slots)
        self._slots_at_enter = copy.deepcopy(self.store.slots)
        self._committed = False
        return self

    @property
    def outgoing(self) -> FakeOutgoing:
        return FakeOutgoing(self._slots)

    @property
    def fiat(self) -> FakeFiatStore:
        return self._fiat

    @property
    def preferences(self) -> FakePreferencesStore:
        return FakePreferencesStore(
            self._fiat, self._languages, self._notifications, chats=self._state[1]
        )

    @property
    def chats(self) -> FakeChatStore:
        return FakeChatStore(self._state[1], self._inactive)

    @property
    def admin(self) -> FakeAdminStore:
        return FakeAdminStore(self)

    @property
    def users(self) -> FakeReportedUsers:
        return FakeReportedUsers(self._reported)

    async def publish_event(self, event: Envelope) -> None:
        self._events.append(event)

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """Restores this transaction's copies when the block raises."""
        saved = {k: copy.deepcopy(v) for k, v in vars(self).items() if k != "store"}
        try:
            yield
        except BaseException:
            vars(self).update(saved)
            self.store.savepoint_rollbacks += 1
            raise

    async def throttle(
        self, telegram_id: int, *, burst: int, per_second: float, now: Any = None
    ) -> Verdict:
        self._throttled.append(telegram_id)
        queue = self._verdicts.get(telegram_id)
        return queue.pop(0) if queue else Verdict.ALLOW

    async def set_reply_view(self, correlation_id: UUID, view: ReplyView) -> None:
        self._views.setdefault(correlation_id, view)

    async def reply_view(self, correlation_id: UUID) -> ReplyView | None:
        return self._views.get(correlation_id)

    async def __aexit__(self, *exc: object) -> None:
        if not self._committed:
            self.store.rollbacks += 1

    async def claim_update(self, update_id: int) -> bool:
        processed = self._state[0]
        if update_id in processed:
            return False
        processed.add(update_id)
        return True

    async def expect_reply(self, correlation_id: UUID, placeholder: Placeholder) -> None:
        assert correlation_id not in self._state[2]
        self._state[2][correlation_id] = placeholder

    async def placeholder(self, correlation_id: UUID) -> Placeholder | None:
        return self._state[2].get(correlation_id)

    async def forget_placeholder(self, correlation_id: UUID) -> None:
        self._state[2].pop(correlation_id, None)

    async def send_command(self, command: Command) -> None:
        self._outbox.append(command)

    async def quote_message(self, transfer_id: UUID) -> tuple[UUID, Placeholder] | None:
        owner = self._presses.get(transfer_id)
        placeholder = self._state[2].get(owner) if owner is not None else None
        return (owner, placeholder) if owner is not None and placeholder is not None else None

    async def press_quote(self, transfer_id: UUID, correlation_id: UUID) -> bool:
        if transfer_id in self._presses:
            return False
        self._presses[transfer_id] = correlation_id
        return True

    async def fsm_state(self, key: str) -> tuple[str | None, dict[str, Any]]:
        state, data = self._fsm.get(key, (None, {}))
        return state, copy.deepcopy(data)

    async def set_fsm_state(self, key: str, state: str | None) -> None:
        self._fsm[key] = (state, self._fsm.get(key, (None, {}))[1])

    async def set_fsm_data(self, key: str, data: dict[str, Any]) -> None:
        self._fsm[key] = (self._fsm.get(key, (None, {}))[0], copy.deepcopy(data))

    async def claim(self, message: Envelope) -> bool:
        key = (self.consumer, message.event_id)
        if key in self._state[3]:
            return False
        self._state[3].add(key)
        return True

    async def commit(self) -> None:
        (
            self.store.processed_updates,
            self.store.chats,
            self.store.pending,
            self.store.inbox,
        ) = self._state
        self.store.outbox += self._outbox
        self.store.events += self._events
        self.store.reported = self._reported
        self.store.presses = self._presses
        self.store.fsm = {k: v for k, v in self._fsm.items() if v != (None, {})}
        self.store.fiat_currency, self.store.fiat_rates = self._fiat.currencies, self._fiat.rates
        self.store.languages, self.store.notifications = self._languages, self._notifications
        self.store.verdicts, self.store.views = self._verdicts, self._views
        self.store.throttled += self._throttled
        self.store.inactive = self._inactive
        self.store.broadcasts += self._broadcasts
        for slot_id, slot in self._slots.items():  # what this transaction wrote, merged
            if slot == self._slots_at_enter.get(slot_id):
                continue
            shown = self.store.slots.get(slot_id)
            if shown is not None:  # the sender may have shown it meanwhile: keep what it did
                slot.message_id, slot.shown_version = shown.message_id, shown.shown_version
                slot.leased = shown.leased
            self.store.slots[slot_id] = slot
        self.store.commits += 1
        self._committed = True


class FakeReportedUsers:
    """`ports.ReportedUsers` over one transaction's copy, timed by the wall clock."""

    def __init__(self, reported: dict[int, tuple[str | None, str, datetime]]) -> None:
        self.reported = reported

    async def due(
        self, telegram_id: int, username: str | None, first_name: str, *, every: timedelta
    ) -> bool:
        now = datetime.now(UTC)
        last = self.reported.get(telegram_id)
        if last is not None and last[:2] == (username, first_name) and now - last[2] <= every:
            return False
        self.reported[telegram_id] = (username, first_name, now)
        return True


class FakeFiatStore:
    """`ports.FiatStore` over one transaction's copy of the user settings and rates."""

    def __init__(self, currencies: dict[int, str], rates: dict[str, FiatQuote]) -> None:
        self.currencies = currencies
        self.rates = rates

    async def currency(self, telegram_id: int) -> str:
        return self.currencies.get(telegram_id, "usd")

    async def set_currency(self, telegram_id: int, currency: str) -> None:
        self.currencies[telegram_id] = currency

    async def quote(self, telegram_id: int) -> FiatQuote | None:
        return self.rates.get(await self.currency(telegram_id))

    async def rate(self, currency: str) -> FiatQuote | None:
        return self.rates.get(currency)

    async def save_rates(self, quotes: Sequence[FiatQuote]) -> int:
        changed = 0
        for quote in quotes:
            if not quote.price > 0:  # fiat_rates' CHECK (price > 0), as Postgres refuses it
                raise asyncpg.CheckViolationError("fiat_rates_price_check")
            known = self.rates.get(quote.currency)
            if known is None or known.as_of < quote.as_of:
                self.rates[quote.currency] = quote
                changed += 1
        return changed


class FakePreferencesStore:
    """`ports.PreferencesStore` over one transaction's copies."""

    def __init__(
        self,
        fiat: FakeFiatStore,
        languages: dict[int, str],
        notifications: dict[int, bool],
        *,
        chats: dict[int, str | None],
    ) -> None:
        self.fiat, self.languages, self.notifications = fiat, languages, notifications
        # chat id -> the language_code Telegram last gave (a private chat's id is its user's)
        self.chats = chats

    async def get(self, telegram_id: int) -> Preferences:
        return Preferences(
            self.languages.get(telegram_id),
            await self.fiat.currency(telegram_id),
            self.notifications.get(telegram_id, True),
            telegram_language=self.chats.get(telegram_id),
        )

    async def set_language(self, telegram_id: int, language: str) -> None:
        self.languages[telegram_id] = language

    async def set_notifications(self, telegram_id: int, enabled: bool) -> None:
        self.notifications[telegram_id] = enabled


class FakeChatStore:
    """`ports.ChatStore` over one transaction's copies of the chats seen and the inactive ones."""

    def __init__(self, chats: dict[int, str | None], inactive: set[int]) -> None:
        self.chats, self.inactive = chats, inactive

    async def see(self, chat_id: int, language_code: str | None) -> None:
        self.chats[chat_id] = language_code
        self.inactive.discard(chat_id)

    async def mark_inactive(self, chat_id: int, reason: str) -> None:
        self.inactive.add(chat_id)


class FakeAdminStore:
    """`ports.AdminStore`, only what the handlers use: counts from the chats seen, broadcasts."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def user_counts(self, since: Any) -> UserCounts:
        users = [c for c in self.uow._state[1] if c > 0]
        inactive = [c for c in users if c in self.uow._inactive]
        return UserCounts(len(users), len(users), len(inactive))

    async def queue_broadcast(self, broadcast_id: UUID, created_by: int, text: str) -> int:
        self.uow._broadcasts.append((broadcast_id, created_by, text))
        return len([c for c in self.uow._state[1] if c > 0 and c not in self.uow._inactive])


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@dataclass(frozen=True)
class FakeTypes:
    """The fake classes, for tests that break one method (`monkeypatch.setattr`)."""

    unit_of_work: type[FakeUnitOfWork] = FakeUnitOfWork
    chats: type[FakeChatStore] = FakeChatStore
    fiat: type[FakeFiatStore] = FakeFiatStore


@pytest.fixture
def fake_types() -> FakeTypes:
    return FakeTypes()


@pytest.fixture
def new_uow(store: FakeStore) -> Callable[..., FakeUnitOfWork]:
    def make(consumer: str = "gateway.updates") -> FakeUnitOfWork:
        return FakeUnitOfWork(store, consumer)

    return make


class FakeWallet:
    """Answers the daily-limit commands the gateway published as wallet would, and delivers
    the replies (`use_cases.replies.deliver_reply`): `await wallet.answer()` returns the
    messages shown, edited placeholders first. Nothing was sent today; an own limit above the default is never stored."""

    def __init__(
        self, store: FakeStore, new_uow: Callable[..., FakeUnitOfWork], messenger: FakeMessenger
    ) -> None:
        self.store, self.new_uow, self.messenger = store, new_uow, messenger
        self.default_drops = 10_000 * 1_000_000
        self.own: dict[int, int] = {}
        self._answered = 0

    def _state(self, telegram_id: int) -> dict[str, Any]:
        own = self.own.get(telegram_id)
        limit = self.default_drops if own is None else own
        return {
            "limit_drops": limit,
            "default_limit_drops": self.default_drops,
            "own": own is not None,
            "sent_today_drops": 0,
            "remaining_today_drops": limit,
        }

    async def answer(self, i18n: Any = None) -> list[Rendered]:
        edited, sent = len(self.messenger.edited), len(self.messenger.sent)
        for command in self.store.outbox[self._answered :]:
            reply: DailyLimitReported | DailyLimitSet
            if isinstance(command, SetDailyLimit):
                if command.limit_drops is None:
                    self.own.pop(command.user.telegram_id, None)
                else:
                    assert command.limit_drops <= self.default_drops
                    self.own[command.user.telegram_id] = command.limit_drops
                state = self._state(command.user.telegram_id)
                reply = DailyLimitSet.replying_to(command, **state)
            elif isinstance(command, GetDailyLimit):
                state = self._state(command.user.telegram_id)
                reply = DailyLimitReported.replying_to(command, **state)
            else:
                continue
            await deliver_reply(
                reply, uow=self.new_uow("gateway.replies"), messenger=self.messenger, i18n=i18n
            )
        self._answered = len(self.store.outbox)
        # placeholders edited (in order), then replies that had none
        return [m for _, m in self.messenger.edited[edited:]] + [
            m for _, m in self.messenger.sent[sent:]
        ]


@pytest.fixture
def wallet(
    store: FakeStore, new_uow: Callable[..., FakeUnitOfWork], messenger: FakeMessenger
) -> FakeWallet:
    """A `FakeWallet` over the gateway's fake store (default limit 10,000 XRP)."""
    return FakeWallet(store, new_uow, messenger)


# ---- Telegram -------------------------------------------------------------------------------


def _too_long(method: TelegramMethod[Any]) -> str | None:
    """Telegram's refusal of a text or caption over its limit, measured after HTML entities are
    parsed (https://core.telegram.org/bots/api#sendmessage), else None."""
    limits = {
        "text": (4096, "message is too long"),
        "caption": (1024, "message caption is too long"),
    }
    for attribute, (limit, refusal) in limits.items():
        value = getattr(method, attribute, None)
        if isinstance(value, str) and len(html.unescape(re.sub(r"<[^>]+>", "", value))) > limit:
            return refusal
    return None


class FakeTelegram(BaseSession):
    """The Bot API inside aiogram's session: records every method, answers like Telegram.

    Answers go through aiogram's own `check_response`, so scripted errors become the same
    exceptions a real server's answers would. `script(method, status, body)` queues an answer.
    """

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.scripted: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.next_message_id = 100
        self.waits: list[float] = []
        self.now = 1000.0

    def clock(self) -> float:
        """The fake clock of the outbound limiter (seconds); only `waited` moves it."""
        return self.now

    async def waited(self, seconds: float) -> None:
        """Stands in for asyncio.sleep in the outbound middleware and its limiter: records the
        wait and moves the fake clock, does not wait."""
        self.waits.append(seconds)
        self.now += seconds

    def script(self, api_method: str, status: int, body: dict[str, Any]) -> None:
        self.scripted[api_method].append((status, body))

    def fail(self, api_method: str, status: int, description: str, **parameters: Any) -> None:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        self.script(api_method, status, body)

    def sent(self, api_method: str) -> list[Any]:
        return [m for m in self.calls if m.__api_method__ == api_method]

    def _default(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        name = method.__api_method__
        if name in {"sendMessage", "editMessageText"}:
            if name == "sendMessage":
                self.next_message_id += 1
                message_id = self.next_message_id
            else:
                message_id = method.message_id  # type: ignore[attr-defined]
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": method.chat_id, "type": "private"},  # type: ignore[attr-defined]
                "from": {"id": bot.id, "is_bot": True, "first_name": "xrpbot"},
                "text": method.text,  # type: ignore[attr-defined]
            }
        if name == "getMe":
            return {"id": bot.id, "is_bot": True, "first_name": "xrpbot", "username": "xrpbot"}
        if name == "getUpdates":
            return []
        return True

    async def make_request(  # the signature is aiogram's
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        self.calls.append(method)
        too_long = _too_long(method)
        if too_long is not None:
            body = {"ok": False, "error_code": 400, "description": f"Bad Request: {too_long}"}
            return self.check_response(bot, method, 400, json.dumps(body)).result
        queue = self.scripted[method.__api_method__]
        if method.__api_method__ == "getUpdates" and not queue:
            await asyncio.sleep(0.01)  # a long poll that found nothing
        if queue:
            status, body = queue.pop(0)
        else:
            status, body = 200, {"ok": True, "result": self._default(bot, method)}
        return self.check_response(bot, method, status, json.dumps(body)).result

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109  the signature is aiogram's
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError
        yield b""  # pragma: no cover

    async def close(self) -> None:
        return None


UNPACED = Rules(
    global_=Rule(1000, 1.0), chat=Rule(1000, 1.0), group=Rule(1000, 60.0), margin_s=0.0
)
"""Limits no unit test reaches: only a 429 (or a 5xx) makes the production middleware wait."""


def _telegram() -> FakeTelegram:
    session = FakeTelegram()
    windows = MemorySendWindows(clock=session.clock)
    limiter = Limiter(windows, UNPACED, clock=session.clock, sleep=session.waited)
    session.middleware(OutboundMiddleware(limiter, sleep=session.waited))
    return session


def _bot(session: FakeTelegram) -> Bot:
    return Bot(
        TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


@pytest.fixture
def telegram() -> FakeTelegram:
    """The Bot API stand-in behind the gateway's own outbound middleware and limiter (as
    `adapters.telegram.create_bot` installs them), on a fake clock."""
    return _telegram()


@pytest.fixture
def bot(telegram: FakeTelegram) -> Bot:
    return _bot(telegram)


class FakeMessenger:
    """`ports.Messenger` that records what it showed; errors are queued per call."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Rendered]] = []
        self.edited: list[tuple[Placeholder, Rendered]] = []
        self.errors: dict[str, list[Exception]] = defaultdict(list)

    async def send(self, chat_id: int, message: Rendered) -> int:
        if self.errors["send"]:
            raise self.errors["send"].pop(0)
        self.sent.append((chat_id, message))
        return 500 + len(self.sent)

    async def edit(self, placeholder: Placeholder, message: Rendered) -> None:
        if self.errors["edit"]:
            raise self.errors["edit"].pop(0)
        self.edited.append((placeholder, message))


@pytest.fixture
def messenger() -> FakeMessenger:
    return FakeMessenger()


# ---- updates --------------------------------------------------------------------------------


def _message_update(
    update_id: int,
    text: str,
    *,
    user_id: int = 4242,
    chat_type: str = "private",
    chat_id: int | None = None,
    first_name: str = "Ada",
    username: str | None = "ada",
    language_code: str | None = "en",
) -> dict[str, Any]:
    """A message update shaped like Telegram's (https://core.telegram.org/bots/api#update)."""
    sender: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        sender["username"] = username
    if language_code:
        sender["language_code"] = language_code
    chat: dict[str, Any] = {"id": chat_id or user_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = first_name
    else:
        chat["title"] = "A group"
    message: dict[str, Any] = {
        "message_id": 7,
        "from": sender,
        "chat": chat,
        "date": 1_700_000_000,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [
            {"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}
        ]
    return {"update_id": update_id, "message": message}


@pytest.fixture
def message_update() -> Callable[..., dict[str, Any]]:
    """`message_update(update_id, text, user_id=..., chat_type=...)` builds a raw update."""
    return _message_update


@dataclass(frozen=True)
class Logged:
    """One record as written: level, message, whether it carried a traceback, correlation id."""

    levelno: int
    message: str
    traceback: bool
    correlation_id: str | None


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[Logged] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(
            Logged(
                record.levelno,
                record.getMessage(),
                record.exc_info is not None,
                correlation_id_var.get(),
            )
        )


@pytest.fixture
def logged() -> Iterator[list[Logged]]:
    """What the gateway's loggers (`xrpbot.*`) write during the test, as `Logged` records.

    The handler sits on the `xrpbot` logger, so it sees every record before any handler an
    earlier test left on the root logger (which may format it and drop its traceback)."""
    recorder = _Recorder()
    logger = logging.getLogger("xrpbot")
    level = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    try:
        yield recorder.records
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(level)


@pytest.fixture
def load_fixture() -> Callable[[str], Any]:
    def load(name: str) -> Any:
        return json.loads((FIXTURES / name).read_text())

    return load


# ---- the Dispatcher, button presses, keyboards, price replies --------------------------------


class FakeDepths:
    """`ports.QueueDepths` with one known queue and one that cannot be read."""

    async def depths(self, queues: Any) -> dict[str, int | None]:
        return {"gateway.replies": 3, "transfer.dead-letter": None}


@pytest.fixture
def outgoing_store(store: FakeStore) -> FakeOutgoingStore:
    """`ports.OutgoingStore` on the fake store's committed slots (for a real `OutgoingSender`)."""
    return FakeOutgoingStore(store)


@pytest.fixture
def show_after_commit(store: FakeStore) -> Callable[[Bot], Awaitable[None]]:
    """The Dispatcher's `on_commit` on the fakes: shows what the update queued at once
    (`show_outgoing`), as the outgoing sender does after being woken."""

    async def show(bot: Bot) -> None:
        await show_outgoing(store, bot)

    return show


@pytest.fixture
def dp(
    new_uow: Callable[..., FakeUnitOfWork], show_after_commit: Callable[[Bot], Awaitable[None]]
) -> Dispatcher:
    """The real Dispatcher on the fakes, with `ADMIN` as its admin."""
    return build_dispatcher(
        new_uow, admin_ids={ADMIN}, queue_depths=FakeDepths(), on_commit=show_after_commit
    )


@dataclass
class FakeGateway:
    """A whole gateway on fakes, fresh: its store, the Bot API stand-in, the Bot, the Dispatcher."""

    store: FakeStore
    telegram: FakeTelegram
    bot: Bot
    dp: Dispatcher


@pytest.fixture
def new_gateway() -> Callable[[], FakeGateway]:
    """`new_gateway()` builds a `FakeGateway` with nothing shared with any other (for tests
    that run many examples in one test, such as hypothesis's)."""

    def make() -> FakeGateway:
        store, telegram = FakeStore(), _telegram()

        def new_uow(consumer: str = "gateway.updates") -> FakeUnitOfWork:
            return FakeUnitOfWork(store, consumer)

        async def show(bot: Bot) -> None:
            await show_outgoing(store, bot)

        dp = build_dispatcher(
            new_uow, admin_ids={ADMIN}, queue_depths=FakeDepths(), on_commit=show
        )
        return FakeGateway(store, telegram, _bot(telegram), dp)

    return make


def _press(
    update_id: int,
    data: str,
    *,
    user_id: int = 4242,
    chat_id: int | None = None,
    chat_type: str = "private",
    language_code: str = "en",
) -> dict[str, Any]:
    """A callback query update: `user_id` presses `data` under bot message 50."""
    chat: dict[str, Any] = {"id": chat_id or user_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "A group"
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"q{update_id}",
            "from": {
                "id": user_id,
                "is_bot": False,
                "first_name": "Ada",
                "language_code": language_code,
            },
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 50,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "xrpbot"},
                "chat": chat,
                "date": 1_700_000_000,
                "text": "What would you like to do?",
            },
        },
    }


@pytest.fixture
def press() -> Callable[..., dict[str, Any]]:
    """`press(update_id, data, user_id=..., chat_id=..., chat_type=...)` builds a raw
    callback_query update."""
    return _press


def _labels(markup: Any) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


@pytest.fixture
def labels() -> Callable[[Any], list[str]]:
    """`labels(markup)`: the texts of an inline keyboard's buttons, row by row."""
    return _labels


def _price_reply(
    *,
    period: PricePeriod = PricePeriod.WEEK,
    currency: str = "usd",
    stale: bool = False,
    history: bool = True,
    age: timedelta = timedelta(0),
    points: int = 169,
) -> PriceReported:
    step = {
        PricePeriod.DAY: timedelta(minutes=5),
        PricePeriod.WEEK: timedelta(hours=1),
        PricePeriod.MONTH: timedelta(hours=1),
        PricePeriod.YEAR: timedelta(days=1),
    }[period]
    series = tuple(
        PricePoint(
            at=NOW - age - step * (points - 1 - i), price=Decimal("0.5") + Decimal(i % 13) / 200
        )
        for i in range(points)
    )
    return PriceReported(
        correlation_id=uuid4(),
        user=Actor(telegram_id=USER),
        chat_id=USER,
        occurred_at=NOW,
        vs_currency=currency,
        price=series[-1].price,
        change_24h_pct=Decimal("-1.234"),
        as_of=NOW - age,
        period=period,
        history=series if history else (),
        high=max(p.price for p in series) if history else None,
        low=min(p.price for p in series) if history else None,
        history_as_of=series[-1].at if history else None,
        stale=stale,
    )


@pytest.fixture
def price_reply() -> Callable[..., PriceReported]:
    """`price_reply(period=, currency=, stale=, history=, age=, points=)` builds a
    PriceReported with a history series ending at `NOW - age`."""
    return _price_reply
