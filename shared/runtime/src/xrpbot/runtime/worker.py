"""A background worker that runs when kicked and at least every few seconds: the one way the
services run their loops (the outbox relay, transfer's ledger worker)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

__all__ = ["KickableWorker"]

log = logging.getLogger(__name__)


class KickableWorker:
    """Runs `step(kicked)` in a background task whenever `kick()` is called, and at least every
    `poll_seconds` (which covers work left by a crash or by another replica).

    A failing step is logged and the loop goes on after `pause_after_error` seconds; exceptions
    of the `quiet` types (expected outages) are logged without a traceback.

    Args:
        name: the task's name, also used in logs.
        poll_seconds: the longest time between two steps.
        quiet: expected, transient exception types.
        pause_after_error: seconds to wait after a failed step.
    """

    def __init__(
        self,
        name: str,
        *,
        poll_seconds: float,
        quiet: tuple[type[BaseException], ...] = (),
        pause_after_error: float = 0.0,
    ) -> None:
        self.name = name
        self.poll_seconds = poll_seconds
        self.quiet = quiet
        self.pause_after_error = pause_after_error
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def step(self, kicked: bool) -> None:
        """One round of work (override). `kicked`: `kick()` was called since the last round."""
        raise NotImplementedError

    def kick(self) -> None:
        """Run a step now (or right after the current one)."""
        self._wake.set()

    def start(self) -> None:
        """Start the loop in a background task; the first step runs at once."""
        self._wake.set()
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        """Cancel the loop; what a step did not finish is left for the next start."""
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            kicked = self._wake.is_set()
            self._wake.clear()
            try:
                await self.step(kicked)
            except asyncio.CancelledError:
                raise
            except self.quiet as exc:
                log.warning("%s: %s; will retry", self.name, exc)
                await asyncio.sleep(self.pause_after_error)
            except Exception:
                log.warning("%s: step failed; will retry", self.name, exc_info=True)
                await asyncio.sleep(self.pause_after_error)
