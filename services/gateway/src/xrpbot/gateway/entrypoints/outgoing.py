"""The outgoing sender: shows the bot's queued messages after the commits that decided them.

Every replica runs one. Updates and replies only queue their messages in their own
transaction (`ports.UnitOfWork.outgoing`) and wake the sender after the commit; the sender
leases each chat's oldest due message (`ports.OutgoingStore.claim`) and shows it
(`use_cases.outgoing.show_queued`) in a task of its own, paced by the limiter within Telegram's
limits. So a chat or group that floods waits for its own slots only: its next message is not
leased before the previous one is shown, and every other chat's messages go meanwhile. A
message whose replica dies mid-send is leased again when its lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot

from ..adapters.metrics import record_outgoing
from ..domain.delivery import QueuedMessage
from ..ports import Messenger, OutgoingStore
from ..use_cases.outgoing import record, retry_delay_s, show_queued

__all__ = ["OutgoingSender"]

log = logging.getLogger(__name__)


class OutgoingSender:
    """Leases due messages and shows them, one chat at a time, many chats at once.

    Args:
        store: the queued messages.
        telegram: the Bot API (`BotMessenger`, through the limiter).
        concurrency: messages in flight at most (each waits for its own chat's slot).
        lease_s: how long a leased message is this replica's (longer than one send can take:
            the limiter's longest wait plus the request's retries).
        idle_s: the longest sleep when nothing is due and nothing wakes it (a safety net:
            commits wake it, and a delayed message's time is known).
    """

    def __init__(
        self,
        store: OutgoingStore,
        telegram: Messenger,
        *,
        concurrency: int = 32,
        lease_s: float = 180.0,
        idle_s: float = 5.0,
    ) -> None:
        self.store = store
        self.telegram = telegram
        self.concurrency = concurrency
        self.lease_s = lease_s
        self.idle_s = idle_s
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._in_flight: set[asyncio.Task[None]] = set()
        self._room = asyncio.Event()
        self._room.set()

    async def wake(self, _bot: Bot | None = None) -> None:
        """Something was committed: look for due messages now (the middleware's `on_commit`)."""
        self._wake.set()

    def wake_soon(self) -> None:
        """`wake` for synchronous callers."""
        self._wake.set()

    async def run(self) -> None:
        """Lease and show due messages until `stop`; a database error is logged and retried."""
        while not self._stopping.is_set():
            try:
                leased = await self._lease_some()
            except Exception as exc:
                log.warning("outgoing messages not leased (%s); retrying", type(exc).__name__)
                await self._sleep(1.0)
                continue
            if leased:
                continue
            try:
                due_in = await self.store.next_due_in()
            except Exception as exc:
                log.warning("outgoing queue not read (%s)", type(exc).__name__)
                due_in = 1.0
            await self._sleep(self.idle_s if due_in is None else min(due_in, self.idle_s))

    async def _lease_some(self) -> int:
        """Lease as many due messages as there is room for and start showing them."""
        room = self.concurrency - len(self._in_flight)
        if room <= 0:  # every send in flight: wait for one, beating meanwhile
            self._room.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._room.wait(), timeout=self.idle_s)
            if not self._room.is_set():
                await self.store.beat()
            return 1
        self._wake.clear()
        messages = await self.store.claim(room, self.lease_s)
        for message in messages:
            task = asyncio.create_task(self._show(message), name=f"outgoing-{message.slot_id}")
            self._in_flight.add(task)
            task.add_done_callback(self._done)
        return len(messages)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._room.set()
        self._wake.set()  # the chat's next message may be due now

    async def _show(self, message: QueuedMessage) -> None:
        try:
            outcome = await show_queued(message, store=self.store, telegram=self.telegram)
        except Exception as exc:  # an error no rule foresaw: free it for a later try
            log.warning(
                "message %s not shown (%s); due again later",
                message.slot_id,
                type(exc).__name__,
                exc_info=exc,
            )
            outcome = "error"
            try:
                await record(lambda: self.store.retry(message, retry_delay_s(message.attempts)))
            except Exception as lost:  # its lease runs out and it is tried again
                log.warning("message %s: lease kept (%s)", message.slot_id, type(lost).__name__)
        record_outgoing(outcome)

    async def show_due_now(self) -> int:
        """Lease and show what is due now, in this task, until nothing is (tests, scripts);
        returns how many messages were handled."""
        handled = 0
        while messages := await self.store.claim(self.concurrency, self.lease_s):
            await asyncio.gather(*(self._show(message) for message in messages))
            handled += len(messages)
        return handled

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=max(seconds, 0.0))

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Lease nothing more; wait up to `timeout_s` for the messages in flight."""
        self._stopping.set()
        self._wake.set()
        self._room.set()
        if self._in_flight:
            await asyncio.wait(list(self._in_flight), timeout=timeout_s)

    async def drained(self, timeout_s: float = 30.0) -> bool:
        """Wait until nothing is due nor in flight (tests); False after `timeout_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while loop.time() < deadline:
            due_in = await self.store.next_due_in()
            if due_in is None and not self._in_flight:
                return True
            self._wake.set()
            await asyncio.sleep(0.05)
        return False
