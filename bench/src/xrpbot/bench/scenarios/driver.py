"""The simulated users and the driver that plays them against the system, as Telegram would.

Users exist in the Telegram stand-in (they "send" their first message through its control API,
as `make demo` does). Updates reach the gateway the way Telegram delivers them: a POST of the
Update JSON to the webhook with the secret header, many at once (Telegram opens up to
`max_connections`, 40 by default, in parallel). The stand-in's own webhook delivery is one
update at a time, so the bench delivers them itself:

- /wallet, /send and Confirm presses: the stand-in builds the Update (`"deliver": false`),
  so the user's message or the callback query exists there, and the bench POSTs it;
- /balance under load: the bench builds the Update itself (the same JSON Telegram sends for a
  command, update_ids from 1,000,000,000 up) so the stand-in's control API is not part of the
  load.

Every answer is seen in the stand-in's call log with the time the gateway's call arrived there.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from ..observe import Call, CallsFollower
from ..system import BenchSystem

__all__ = ["TX_HASH", "BenchUser", "Driver", "poll_until"]

TX_HASH = re.compile(r"/([0-9A-F]{64})\b")
"""A transaction hash in a link to the ledger explorer (the Sent edit, the PaymentReceived reply)."""
WEBHOOK_CONNECTIONS = 100
"""Parallel webhook connections (Telegram: setWebhook max_connections 1-100, default 40)."""
FIRST_BENCH_UPDATE_ID = 1_000_000_000
"""Bench-built updates use ids from here; the stand-in's own start below 900,000,000."""


async def poll_until(done: Callable[[], bool], deadline_s: float, every_s: float = 0.05) -> None:
    """Return once `done()` holds or the unix time `deadline_s` passed (answers arrive through
    the call-log follower, so there is nothing to await but time)."""
    while True:
        if done() or time.time() >= deadline_s:
            return
        await asyncio.sleep(every_s)


@dataclass(frozen=True)
class BenchUser:
    """A simulated Telegram user; in a private chat chat_id == user_id."""

    user_id: int
    username: str
    first_name: str = "Bench"

    def as_user(self) -> dict[str, Any]:
        """The Bot API User object."""
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "username": self.username,
            "language_code": "en",
        }


@dataclass
class Driver:
    """Plays the users against a started system.

    Args:
        system: the running system.
        users: the simulated users.
    """

    system: BenchSystem
    users: list[BenchUser]
    http: aiohttp.ClientSession = field(init=False)
    follower: CallsFollower = field(init=False)
    addresses: dict[int, str] = field(default_factory=dict)
    webhook_retries: int = 0
    _next_update_id: int = FIRST_BENCH_UPDATE_ID
    _next_message_id: int = 1_000_000

    async def __aenter__(self) -> Driver:
        connector = aiohttp.TCPConnector(limit=WEBHOOK_CONNECTIONS)
        self.http = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=120)
        )
        self.follower = CallsFollower(self.system.telegram_url)
        await self.follower.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.follower.stop()
        await self.http.close()

    # ---- talking to Telegram's side --------------------------------------------------------

    async def control(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST `body` to the stand-in's control API `/sandbox/<path>`; returns its JSON answer.

        Raises:
            RuntimeError: the stand-in answered other than 200.
        """
        async with self.http.post(f"{self.system.telegram_url}/sandbox/{path}", json=body) as r:
            answer: dict[str, Any] = await r.json()
            if r.status != 200:
                raise RuntimeError(f"/sandbox/{path}: {r.status} {answer}")
        return answer

    async def user_says(self, user: BenchUser, text: str) -> dict[str, Any]:
        """The user sends `text` in the stand-in; returns the Update for the bench to deliver."""
        answer = await self.control(
            "send",
            {
                "user_id": user.user_id,
                "username": user.username,
                "first_name": user.first_name,
                "language_code": "en",
                "text": text,
                "deliver": False,
            },
        )
        update: dict[str, Any] = answer["update"]
        return update

    async def user_presses(self, user: BenchUser, message_id: int, data: str) -> dict[str, Any]:
        """The user presses an inline button in the stand-in; returns the Update to deliver."""
        answer = await self.control(
            "press",
            {"user_id": user.user_id, "message_id": message_id, "data": data, "deliver": False},
        )
        update: dict[str, Any] = answer["update"]
        return update

    def command_update(self, user: BenchUser, command: str) -> dict[str, Any]:
        """A message update carrying a bot command, exactly as Telegram sends it."""
        update_id, self._next_update_id = self._next_update_id, self._next_update_id + 1
        message_id, self._next_message_id = self._next_message_id, self._next_message_id + 1
        return {
            "update_id": update_id,
            "message": {
                "message_id": message_id,
                "from": user.as_user(),
                "chat": {
                    "id": user.user_id,
                    "first_name": user.first_name,
                    "username": user.username,
                    "type": "private",
                },
                "date": int(time.time()),
                "text": command,
                "entities": [{"offset": 0, "length": len(command), "type": "bot_command"}],
            },
        }

    async def deliver(self, update: dict[str, Any]) -> int:
        """POST an update to the webhook as Telegram does; re-send after a non-2xx answer
        (Telegram repeats unsuccessful requests). Returns the last HTTP status."""
        body = json.dumps(update, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": self.system.webhook_secret,
        }
        status = 0
        for attempt in range(5):
            try:
                async with self.http.post(
                    self.system.webhook_url, data=body, headers=headers
                ) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0
            if 200 <= status <= 299:
                return status
            self.webhook_retries += 1
            await asyncio.sleep(0.5 * (attempt + 1))
        return status

    def listen(self, listener: Callable[[Call], None]) -> Callable[[], None]:
        """Call `listener` with every call the stand-in logs from now on; returns the unsubscribe."""
        self.follower.listeners.append(listener)
        return lambda: self.follower.listeners.remove(listener)
