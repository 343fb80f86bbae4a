"""Updates the webhook accepted: stored before its 200, processed right after, in every replica.

`accept` is the only thing the webhook awaits: one INSERT into `gateway.webhook_updates`
(migrations/0006_outbound.sql; a repeated update_id hits the primary key and changes nothing).
The worker then leases pending rows (`FOR UPDATE SKIP LOCKED`, so replicas share them) and
feeds each to the `UpdateProcessor` (handlers, the update claim + outbox transaction, and the
handlers' answers, which wait for their turn within Telegram's limits). One chat's updates are
processed in update_id order in a replica. A transient failure (database or Telegram down)
retries the update with back-off until it succeeds; any other failure was answered by the
handlers (`middlewares.failures`), so one that still escapes is logged once and given up, like
the poller does. A replica that dies mid-update leaves a lease that
expires, and any replica takes the update again (the update claim makes a finished one a no-op).
Processed rows are pruned after RETENTION_DAYS (`adapters.postgres.retention`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
from aiogram.types import Update

from xrpbot.runtime.db import TRANSIENT_DB_ERRORS

from ..adapters.limiter import ChatQueue
from ..middlewares.failures import TRANSIENT_ERRORS
from .updates import UpdateProcessor

__all__ = ["WebhookUpdates", "chat_of"]

log = logging.getLogger(__name__)


def chat_of(raw: dict[str, Any]) -> int:
    """The chat an update belongs to (its ordering key); 0 when it has none."""
    for kind in ("message", "edited_message", "callback_query", "my_chat_member"):
        body = raw.get(kind)
        if not isinstance(body, dict):
            continue
        if kind == "callback_query":
            body = body.get("message") or {"chat": body.get("from")}
        chat = body.get("chat") if isinstance(body, dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
    return 0


class WebhookUpdates:
    """The store and worker of webhook updates.

    Args:
        processor: processes one update.
        concurrency: updates processed at once in this replica.
        lease_s: a leased update another replica may take after this long (> the processor's
            timeout).
        poll_s: how often pending rows are looked for without a kick (expired leases, other
            replicas' back-offs).
    """

    def __init__(
        self,
        processor: UpdateProcessor,
        *,
        concurrency: int = 16,
        lease_s: float = 90.0,
        poll_s: float = 1.0,
    ) -> None:
        self.processor = processor
        self.concurrency = concurrency
        self.lease_s = lease_s
        self.poll_s = poll_s
        self.chats = ChatQueue()
        self._pool: asyncpg.Pool[Any] | None = None
        self._kick = asyncio.Event()
        self._slots = asyncio.Semaphore(concurrency)
        self._task: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()

    @property
    def pool(self) -> asyncpg.Pool[Any]:
        """The pool it stores with (set by `start`)."""
        if self._pool is None:
            raise RuntimeError("webhook updates not started")
        return self._pool

    async def accept(self, update_id: int, raw: dict[str, Any]) -> bool:
        """Store an update the webhook received; False if that update_id was stored before.

        Raises:
            asyncpg errors: not stored (the webhook answers 500, Telegram re-sends).
        """
        row = await self.pool.fetchval(
            "INSERT INTO webhook_updates (update_id, body) VALUES ($1, $2) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            update_id,
            raw,
        )
        self._kick.set()
        return row is not None

    def start(self, pool: asyncpg.Pool[Any]) -> None:
        """Start the worker on `pool`."""
        self._pool = pool
        self._task = asyncio.create_task(self._run(), name="gateway-webhook-updates")

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Stop taking updates; wait up to `timeout_s` for those in progress (the rest are
        cancelled: their transactions roll back and their leases expire)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._running:
            _, late = await asyncio.wait(self._running, timeout=timeout_s)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            self._kick.clear()
            try:
                free = self.concurrency - len(self._running)
                rows = await self._lease(free) if free > 0 else []
                for row in sorted(rows, key=lambda r: int(r["update_id"])):
                    self._spawn(int(row["update_id"]), row["body"], int(row["attempts"]))
                if rows and len(rows) == free:
                    continue  # there may be more
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: try again at the next poll
                log.warning("webhook updates: lease failed (%s)", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), timeout=self.poll_s)

    async def _lease(self, limit: int) -> list[asyncpg.Record]:
        return await self.pool.fetch(
            "UPDATE webhook_updates SET attempts = attempts + 1, "
            "leased_until = now() + make_interval(secs => $2) "
            "WHERE update_id IN (SELECT update_id FROM webhook_updates "
            "WHERE done_at IS NULL AND leased_until <= now() "
            "ORDER BY update_id LIMIT $1 FOR UPDATE SKIP LOCKED) "
            "RETURNING update_id, body, attempts",
            limit,
            self.lease_s,
        )

    def _spawn(self, update_id: int, raw: dict[str, Any], attempts: int) -> None:
        chat = chat_of(raw)
        turn = self.chats.turn(chat) if chat else contextlib.nullcontext()

        async def run() -> None:
            async with turn:
                await self._process(update_id, raw, attempts)

        task = asyncio.create_task(run(), name=f"update-{update_id}")
        self._running.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        self._kick.set()  # a slot is free

    async def _process(self, update_id: int, raw: dict[str, Any], attempts: int) -> None:
        update: Update | None = self.processor.parse(raw)
        try:
            outcome = "ignored" if update is None else await self.processor.process(update)
        except asyncio.CancelledError:
            raise
        except TRANSIENT_ERRORS as exc:
            delay = min(2.0 ** min(attempts, 6), 60.0)
            log.warning(
                "update %s failed (%s); retrying in %.0f s", update_id, type(exc).__name__, delay
            )
            await self._retry_in(update_id, delay, type(exc).__name__)
            return
        except Exception:
            log.exception("update %s failed; given up", update_id)
            outcome = "failed"
        with contextlib.suppress(*TRANSIENT_DB_ERRORS):  # else the lease expires: a no-op retry
            await self.pool.execute(
                "UPDATE webhook_updates SET done_at = now(), last_error = $2 WHERE update_id = $1",
                update_id,
                None if outcome != "failed" else "failed",
            )
        log.debug("update %s: %s", update_id, outcome)

    async def _retry_in(self, update_id: int, delay_s: float, error: str) -> None:
        with contextlib.suppress(*TRANSIENT_DB_ERRORS):
            await self.pool.execute(
                "UPDATE webhook_updates SET leased_until = now() + make_interval(secs => $2), "
                "last_error = $3 WHERE update_id = $1",
                update_id,
                delay_s,
                error,
            )
