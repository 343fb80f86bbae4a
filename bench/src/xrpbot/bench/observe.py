"""Watching what the bot does: the Telegram stand-in's call log and the ledger's closes.

Each Bot API call the gateway makes is logged by the stand-in with the unix time it arrived
(`GET /sandbox/calls?after=<seq>`). The follower reads the new ones every `poll_s` and hands
each to the current listener. Latencies use the call's own time, so the polling interval does
not add to them.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

__all__ = ["Call", "CallsFollower", "LedgerTimeline"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Call:
    """One Bot API call as the stand-in logged it.

    Attributes:
        seq: its number in the log.
        method: Bot API method, lower case (sendmessage, editmessagetext, ...).
        time_s: unix time it arrived, in seconds.
        ok: whether it succeeded.
        error_code: the HTTP-like error code when it failed (429, 400, ...).
        params: its parameters (chat_id and message_id as strings, reply_markup parsed).
    """

    seq: int
    method: str
    time_s: float
    ok: bool
    error_code: int | None
    params: dict[str, Any]

    @property
    def chat_id(self) -> int | None:
        """The chat the call addressed, if any."""
        raw = self.params.get("chat_id")
        try:
            return int(raw) if raw is not None else None
        except (TypeError, ValueError):
            return None

    @property
    def text(self) -> str:
        """The text (or caption) it carried."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def message_id(self) -> int | None:
        """message_id for edits."""
        raw = self.params.get("message_id")
        try:
            return int(raw) if raw is not None else None
        except (TypeError, ValueError):
            return None


Listener = Callable[[Call], None]


@dataclass
class CallsFollower:
    """Follows the stand-in's call log; every listener sees every new call, in order.

    Args:
        base_url: the Telegram stand-in, e.g. http://127.0.0.1:19081.
        poll_s: seconds between reads of the log.
    """

    base_url: str
    poll_s: float = 0.05
    listeners: list[Listener] = field(default_factory=list)
    last_seq: int = 0
    _task: asyncio.Task[None] | None = None
    _session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        """Skip what is in the log now and follow from here."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        async with self._session.get(
            f"{self.base_url}/sandbox/calls", params={"method": "none"}
        ) as r:
            self.last_seq = int((await r.json())["last_seq"])
        self._task = asyncio.create_task(self._run(), name="calls-follower")

    async def stop(self) -> None:
        """Stop following (one last read first)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            await self.read_once()
        if self._session is not None:
            await self._session.close()

    async def read_once(self) -> int:
        """Read new calls and dispatch them; returns how many there were."""
        assert self._session is not None  # noqa: S101  started
        async with self._session.get(
            f"{self.base_url}/sandbox/calls", params={"after": str(self.last_seq)}
        ) as r:
            body = await r.json()
        calls = body["calls"]
        if calls and calls[0]["seq"] > self.last_seq + 1:
            log.warning(
                "call log overflowed: %d calls missed", calls[0]["seq"] - self.last_seq - 1
            )
        for raw in calls:
            call = Call(
                seq=int(raw["seq"]),
                method=str(raw["method"]).lower(),
                time_s=float(raw["time"]),
                ok=bool(raw.get("ok")),
                error_code=raw.get("error_code"),
                params=dict(raw.get("params") or {}),
            )
            self.last_seq = call.seq
            for listener in list(self.listeners):
                listener(call)
        return len(calls)

    async def _run(self) -> None:
        while True:
            try:
                await self.read_once()
            except (aiohttp.ClientError, TimeoutError) as exc:
                log.warning("reading the call log failed: %s", exc)
            await asyncio.sleep(self.poll_s)


@dataclass
class LedgerTimeline:
    """When each ledger closed, seen by polling the XRPL stand-in's validated ledger index.

    Args:
        rpc_url: the stand-in's JSON-RPC URL.
        poll_s: seconds between polls (the resolution of the close times).
    """

    rpc_url: str
    poll_s: float = 0.02
    closes: list[tuple[float, int]] = field(default_factory=list)
    """(unix time first seen, validated ledger index), oldest first."""
    _task: asyncio.Task[None] | None = None

    async def _validated(self, session: aiohttp.ClientSession) -> int:
        # ledger_closed is the lightest call; on the stand-in a closed ledger is validated
        body = {"method": "ledger_closed", "params": [{}]}
        async with session.post(self.rpc_url, json=body) as r:
            result = (await r.json())["result"]
        return int(result["ledger_index"])

    async def start(self) -> None:
        """Start polling."""
        self._task = asyncio.create_task(self._run(), name="ledger-timeline")

    async def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while True:
                try:
                    index = await self._validated(session)
                except (aiohttp.ClientError, TimeoutError, KeyError, ValueError) as exc:
                    log.warning("ledger poll failed: %s", exc)
                else:
                    if not self.closes or index != self.closes[-1][1]:
                        self.closes.append((time.time(), index))
                await asyncio.sleep(self.poll_s)

    def validated_at(self, unix_s: float) -> int | None:
        """The validated ledger index at a moment (None before the first poll)."""
        times = [t for t, _ in self.closes]
        position = bisect.bisect_right(times, unix_s)
        return self.closes[position - 1][1] if position else None

    def closes_between(self, start_s: float, end_s: float) -> int:
        """How many ledgers closed (were validated) after `start_s` and up to `end_s`."""
        return sum(1 for t, _ in self.closes[1:] if start_s < t <= end_s)
