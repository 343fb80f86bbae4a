"""The outbound limiter: every message the bot sends waits here for a slot that keeps Telegram's
limits (`domain.limits`), across every gateway replica (the send windows in Postgres,
`postgres.send_windows`), one chat's messages in order.

How a send goes (see `adapters.telegram.OutboundMiddleware`, which calls this for each Bot API
request in `domain.limits.LIMITED_METHODS`):
1. `turn(chat_id)`: this process's queue for the chat (FIFO): one message of a chat at a time,
   in the order they asked, so a chat's replies keep their order here.
2. `acquire(chat_id)`: record the send in the shared windows if every limit allows it now, else
   sleep until the earliest time they will and try again.
3. once the answer is in, `sent(grant)` counts the send from then (`SendWindows.restamp`);
4. after a 429, `penalize(grant, retry_after)` blocks the chat (and the whole bot, see
   `domain.limits.is_global_429`) for `retry_after` seconds in the shared windows, so every replica
   honours it; the next `acquire` waits it out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..domain.delivery import TelegramUnavailable
from ..domain.limits import Decision, Rules, Window, blocked, decide, keys_for
from .metrics import record_send_wait

__all__ = [
    "ChatQueue",
    "Grant",
    "Limiter",
    "MemorySendWindows",
    "SendSlotUnavailable",
    "SendWindows",
]

log = logging.getLogger(__name__)


class SendWindows(Protocol):
    """Shared state of the send limits."""

    async def try_send(self, keys: Sequence[str], rules: Rules) -> tuple[Decision, float]:
        """Record a send against `keys` if every rule allows it now.

        Returns:
            (the decision, the store's clock now, in seconds); when `decision.at` > now nothing
            was recorded and the caller should try again at `decision.at`.
        """
        ...

    async def block(self, keys: Sequence[str], seconds: float) -> None:
        """No send on `keys` for `seconds` from now (a 429's retry_after)."""
        ...

    async def restamp(self, keys: Sequence[str], granted_at: float) -> None:
        """Move the send granted at `granted_at` to now, when its request has finished.

        Telegram counts a request when it arrives, somewhere between the grant and the answer;
        counting it from the answer keeps the next one of the chat at least a window after
        its arrival, however long the request took.
        """
        ...


class MemorySendWindows:
    """`SendWindows` in this process only (tests, and before the database is open).

    Args:
        clock: seconds (monotonic by default).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.windows: dict[str, Window] = {}

    async def try_send(self, keys: Sequence[str], rules: Rules) -> tuple[Decision, float]:
        now = self.clock()
        decision = decide({k: self.windows.get(k, Window()) for k in keys}, rules, now)
        if decision.windows is not None:
            self.windows.update(decision.windows)
        return decision, now

    async def restamp(self, keys: Sequence[str], granted_at: float) -> None:
        now = self.clock()
        for key in keys:
            window = self.windows.get(key)
            if window is not None:
                window.sent_at = sorted(now if t == granted_at else t for t in window.sent_at)

    async def block(self, keys: Sequence[str], seconds: float) -> None:
        until = self.clock() + seconds
        for key in keys:
            window = self.windows.setdefault(key, Window())
            window.blocked_until = max(window.blocked_until, until)


class SendSlotUnavailable(TelegramUnavailable):
    """No slot within `max_wait_s`, or the gateway is stopping: deliver it later."""


@dataclass(frozen=True, slots=True)
class Grant:
    """A slot the limiter granted.

    Attributes:
        chat_id: the chat.
        keys: the windows it was recorded in.
        chat_quiet: the chat had been quiet before it (see `domain.limits.is_global_429`).
        waited_s: seconds it waited.
        granted_at: the store's time of the grant (seconds), the send's stamp until `sent`.
    """

    chat_id: int
    keys: tuple[str, ...]
    chat_quiet: bool
    waited_s: float
    granted_at: float = 0.0


class ChatQueue:
    """FIFO turns per chat in this process: `async with queue.turn(chat_id): ...`.

    asyncio.Lock wakes its waiters in the order they came, so the turns follow the order of the
    `turn` calls. A chat's lock is dropped when nobody holds or waits for it.
    """

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        """Wait for the chat's earlier turns, then hold it until the block ends."""
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users <= 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class Limiter:
    """Paces the bot's messages (see the module docstring).

    Args:
        windows: the state of the windows. None: the shared (database) windows `use` will give;
            until then nothing is granted (a replica starting while others send must not
            pace itself from an empty memory).
        rules: the limits.
        max_wait_s: a message that would wait longer than this for its slot is given up with
            `SendSlotUnavailable` (its reply is requeued and retried later).
        clock: monotonic seconds, for `waited_s` only.
        sleep: asyncio.sleep (tests pass a fake).
    """

    def __init__(
        self,
        windows: SendWindows | None = None,
        rules: Rules | None = None,
        *,
        max_wait_s: float = 60.0,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        self.windows: SendWindows = windows or MemorySendWindows()
        self._attached = asyncio.Event()
        if windows is not None:
            self._attached.set()
        self.rules = rules or Rules()
        self.max_wait_s = max_wait_s
        self.chats = ChatQueue()
        loop_time = clock or (lambda: asyncio.get_running_loop().time())
        self._clock = loop_time
        self._sleep = sleep
        self._closing = asyncio.Event()
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def use(self, windows: SendWindows) -> None:
        """Switch to shared windows (once the database is open); grants may start."""
        self.windows = windows
        self._attached.set()

    def turn(self, chat_id: int) -> contextlib.AbstractAsyncContextManager[None]:
        """The chat's FIFO turn in this process (see `ChatQueue`)."""
        return self.chats.turn(chat_id)

    async def acquire(self, chat_id: int) -> Grant:
        """Wait for a slot for one message to `chat_id` and record it.

        Raises:
            SendSlotUnavailable: the slot is more than `max_wait_s` away, or `close` was called.
            asyncpg errors: the shared windows are unreachable (transient).
        """
        keys = keys_for(chat_id)
        started = self._clock()
        if not self._attached.is_set():
            try:
                await asyncio.wait_for(self._attached.wait(), timeout=self.max_wait_s)
            except TimeoutError:
                raise SendSlotUnavailable("the send windows are not open yet") from None
        while True:
            if self._closing.is_set():
                raise SendSlotUnavailable("the gateway is stopping")
            decision, now = await self.windows.try_send(keys, self.rules)
            if decision.windows is not None:
                waited = self._clock() - started
                record_send_wait(waited)
                return Grant(chat_id, tuple(keys), decision.chat_quiet, waited, now)
            wait = decision.at - now
            if self._clock() - started + wait > self.max_wait_s:
                raise SendSlotUnavailable(f"no send slot within {self.max_wait_s:.0f} s")
            await self._wait(wait)

    async def _wait(self, seconds: float) -> None:
        if self._sleep is not None:
            await self._sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), timeout=seconds)

    async def sent(self, grant: Grant) -> None:
        """The request sent with `grant` has its answer: count it from now (`SendWindows.restamp`).

        A failure to write is logged and ignored (the grant's stamp stays, a little early).
        """
        try:
            await self.windows.restamp(grant.keys, grant.granted_at)
        except Exception as exc:
            log.warning("send window not restamped (%s)", type(exc).__name__)

    async def penalize(self, grant: Grant, retry_after_s: float) -> list[str]:
        """Honour a 429 on the message sent with `grant`; returns the keys blocked."""
        keys = blocked(grant.keys, chat_quiet=grant.chat_quiet)
        await self.windows.block(keys, retry_after_s)
        log.warning(
            "Telegram 429 for chat %s: %s blocked for %s s", grant.chat_id, keys, retry_after_s
        )
        return keys

    @contextlib.contextmanager
    def sending(self) -> Iterator[None]:
        """Mark a request in flight (so `drain` can wait for it)."""
        self._in_flight += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self._idle.set()

    def close(self) -> None:
        """Grant nothing more: waiting messages give up with SendSlotUnavailable."""
        self._closing.set()

    async def drain(self, timeout_s: float) -> bool:
        """Wait until no request is in flight; False if some still are after `timeout_s`."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout=timeout_s)
        except TimeoutError:
            return False
        return True
