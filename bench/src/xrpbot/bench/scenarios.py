"""The end-to-end scenarios: wallets beforehand, /balance under rising open-loop load, /send
confirms, and an outbound burst under Telegram's rate limits.

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
import contextlib
import json
import logging
import re
import secrets
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import aiohttp
import asyncpg

from xrpbot.schemas import Actor, Counterparty, PaymentReceived

from .observe import Call, CallsFollower, LedgerTimeline
from .stats import open_loop_schedule, percentile, summarize
from .system import BenchSystem

__all__ = ["BenchUser", "Driver"]

log = logging.getLogger(__name__)

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
TX_HASH = re.compile(r"/([0-9A-F]{64})\b")
WEBHOOK_CONNECTIONS = 100
"""Parallel webhook connections (Telegram: setWebhook max_connections 1-100, default 40)."""
FIRST_BENCH_UPDATE_ID = 1_000_000_000
"""Bench-built updates use ids from here; the stand-in's own start below 900,000,000."""


async def _poll_until(done: Callable[[], bool], deadline_s: float, every_s: float = 0.05) -> None:
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
class _Pending:
    intended_s: float
    step: int
    posted_s: float = 0.0


@dataclass
class _StepLog:
    rate_per_s: float
    duration_s: float
    sent: int = 0
    latencies_s: list[float] = field(default_factory=list)
    answered_at: list[float] = field(default_factory=list)
    post_latencies_s: list[float] = field(default_factory=list)
    non_2xx: int = 0
    errors: int = 0
    first_arrival_s: float = 0.0
    generator_lag_s: float = 0.0


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

    async def _control(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        async with self.http.post(f"{self.system.telegram_url}/sandbox/{path}", json=body) as r:
            answer: dict[str, Any] = await r.json()
            if r.status != 200:
                raise RuntimeError(f"/sandbox/{path}: {r.status} {answer}")
        return answer

    async def user_says(self, user: BenchUser, text: str) -> dict[str, Any]:
        """The user sends `text` in the stand-in; returns the Update for the bench to deliver."""
        answer = await self._control(
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
        answer = await self._control(
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

    def _listen(self, listener: Callable[[Call], None]) -> Callable[[], None]:
        self.follower.listeners.append(listener)
        return lambda: self.follower.listeners.remove(listener)

    # ---- wallets ---------------------------------------------------------------------------

    async def create_wallets(self, timeout_s: float) -> dict[str, Any]:
        """Every user sends /wallet; wait until each has a funded address.

        Returns:
            duration_s, created, failed (answers without a funded wallet), missing.
        """
        chats = {u.user_id for u in self.users}
        done: dict[int, str | None] = {}

        def on_call(call: Call) -> None:
            chat = call.chat_id
            if (
                chat not in chats
                or chat in done
                or not call.ok
                or call.method not in {"editmessagetext", "sendmessage"}
            ):
                return
            if "Creating your wallet" in call.text:
                return
            found = ADDRESS.search(call.text)
            funded = found is not None and "not funded" not in call.text
            done[chat] = found.group(0) if found and funded else None

        stop = self._listen(on_call)
        limit = asyncio.Semaphore(40)  # Telegram's default max_connections
        started = time.time()

        async def one(user: BenchUser) -> None:
            async with limit:
                await self.deliver(await self.user_says(user, "/wallet"))

        try:
            await asyncio.gather(*(one(u) for u in self.users))
            await _poll_until(lambda: len(done) >= len(chats), started + timeout_s)
        finally:
            stop()
        duration = time.time() - started
        self.addresses = {chat: addr for chat, addr in done.items() if addr}
        return {
            "users": len(chats),
            "duration_s": round(duration, 1),
            "created": len(self.addresses),
            "failed": sum(1 for a in done.values() if a is None),
            "missing": len(chats) - len(done),
            "rate_per_s": round(len(self.addresses) / duration, 1) if duration else None,
        }

    # ---- /balance under open-loop load -----------------------------------------------------

    async def balance_steps(
        self,
        rates: list[float],
        duration_s: float,
        *,
        first_duration_s: float | None = None,
        drain_timeout_s: float = 30.0,
        half_saturation: bool = True,
    ) -> dict[str, Any]:
        """/balance at each offered rate in turn until saturation, then at half of it.

        A step is saturated when the achieved throughput stays below 90 % of the offered rate,
        or commands are still unanswered `drain_timeout_s` after its last arrival, or its p50
        exceeds one second. Saturation throughput is the highest achieved throughput of any
        step: answers / (last answer - first arrival), so a saturated step's backlog drains at
        the system's own pace.

        Returns:
            steps (per offered rate), saturation_per_s, half_saturation step, duplicates, lost.
        """
        outstanding: dict[int, deque[_Pending]] = {u.user_id: deque() for u in self.users}
        steps: list[_StepLog] = []
        counts = {"duplicates": 0}

        def on_call(call: Call) -> None:
            queue = outstanding.get(call.chat_id or 0)
            if queue is None or not call.ok:
                return
            if call.method not in {"editmessagetext", "sendmessage"}:
                return
            if "Checking your balance" in call.text:
                return  # the placeholder
            if not queue:
                counts["duplicates"] += 1
                return
            pending = queue.popleft()
            step = steps[pending.step]
            step.latencies_s.append(call.time_s - pending.intended_s)
            step.answered_at.append(call.time_s)
            if "reserve" not in call.text.lower():
                step.errors += 1

        stop = self._listen(on_call)
        counter = 0
        results: list[dict[str, Any]] = []
        saturation = 0.0

        def unanswered(index: int) -> int:
            return sum(1 for q in outstanding.values() for p in q if p.step == index)

        async def run(rate: float, seconds: float) -> dict[str, Any]:
            nonlocal counter
            index = len(steps)
            step = _StepLog(rate, seconds)
            steps.append(step)
            schedule = open_loop_schedule(rate, seconds, start_s=time.time() + 0.2)
            step.first_arrival_s = schedule[0]
            tasks: list[asyncio.Task[None]] = []

            async def post(update: dict[str, Any], pending: _Pending) -> None:
                pending.posted_s = time.time()
                status = await self.deliver(update)
                step.post_latencies_s.append(time.time() - pending.posted_s)
                if not 200 <= status <= 299:
                    step.non_2xx += 1

            for intended in schedule:
                delay = intended - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                step.generator_lag_s = max(step.generator_lag_s, time.time() - intended)
                user = self.users[counter % len(self.users)]
                counter += 1
                pending = _Pending(intended, index)
                outstanding[user.user_id].append(pending)
                update = self.command_update(user, "/balance")
                tasks.append(asyncio.create_task(post(update, pending)))
                step.sent += 1
            await _poll_until(lambda: not unanswered(index), time.time() + drain_timeout_s)
            await asyncio.gather(*tasks)
            return self._step_result(step, unanswered(index))

        try:
            plan = list(rates)
            for position, rate in enumerate(plan):
                seconds = first_duration_s if position == 0 and first_duration_s else duration_s
                result = await run(rate, seconds)
                results.append(result)
                saturation = max(saturation, result["achieved_per_s"])
                print(
                    f"  /balance {rate:6.0f}/s offered → {result['achieved_per_s']:6.1f}/s; "
                    f"p50 {result['latency']['p50_ms']:7.1f} ms, "
                    f"p99 {result['latency']['p99_ms']:7.1f} ms"
                    + ("  (saturated)" if result["saturated"] else ""),
                    flush=True,
                )
                await asyncio.sleep(1.0)
                if result["saturated"]:
                    break
            half: dict[str, Any] | None = None
            if half_saturation and saturation > 0:
                half = await run(max(1.0, round(saturation / 2)), duration_s)
                print(
                    f"  /balance {half['offered_per_s']:6.0f}/s (half of saturation): "
                    f"p99 {half['latency']['p99_ms']:.1f} ms",
                    flush=True,
                )
            await _poll_until(lambda: not any(outstanding.values()), time.time() + drain_timeout_s)
        finally:
            stop()
        saturated = any(r["saturated"] for r in results)
        return {
            "steps": results,
            "saturation_per_s": round(saturation, 1),
            "saturation_reached": saturated,
            "half_saturation": half,
            "commands": sum(s.sent for s in steps),
            "duplicates": counts["duplicates"],
            "lost": sum(len(q) for q in outstanding.values()),
            "webhook_non_2xx": sum(s.non_2xx for s in steps),
        }

    @staticmethod
    def _step_result(step: _StepLog, unanswered: int) -> dict[str, Any]:
        answered = len(step.latencies_s)
        span = (max(step.answered_at) - step.first_arrival_s) if step.answered_at else 0.0
        achieved = answered / span if span > 0 else 0.0
        latency = summarize(step.latencies_s)
        saturated = achieved < 0.9 * step.rate_per_s or unanswered > 0 or latency.p50_ms > 1000
        return {
            "offered_per_s": step.rate_per_s,
            "duration_s": step.duration_s,
            "sent": step.sent,
            "answered": answered,
            "unanswered_after_drain": unanswered,
            "achieved_per_s": round(achieved, 1),
            "latency": latency.as_dict(),
            "webhook_post": summarize(step.post_latencies_s).as_dict(),
            "webhook_non_2xx": step.non_2xx,
            "error_answers": step.errors,
            "generator_lag_ms": round(step.generator_lag_s * 1000, 1),
            "saturated": saturated,
        }

    # ---- /send -----------------------------------------------------------------------------

    async def _quotes(
        self, senders: list[tuple[BenchUser, str]], timeout_s: float
    ) -> tuple[dict[int, list[tuple[int, str]]], list[str]]:
        """Each (user, destination) sends `/send 1 <destination>`; returns the quotes per chat
        (message_id, Confirm's callback data) and any other answers' texts."""
        chats = {u.user_id for u, _ in senders}
        wanted: dict[int, int] = {}
        for user, _ in senders:
            wanted[user.user_id] = wanted.get(user.user_id, 0) + 1
        quotes: dict[int, list[tuple[int, str]]] = {c: [] for c in chats}
        other: list[str] = []

        def on_call(call: Call) -> None:
            chat = call.chat_id
            if chat not in chats or not call.ok or call.method != "editmessagetext":
                return
            markup = call.params.get("reply_markup")
            buttons = (
                [b for row in markup.get("inline_keyboard", []) for b in row]
                if isinstance(markup, dict)
                else []
            )
            confirm = [b for b in buttons if "confirm" in str(b.get("text", "")).lower()]
            message_id = call.message_id
            if confirm and message_id is not None:
                quotes[chat].append((message_id, str(confirm[0].get("callback_data"))))
            elif "Checking your payment" not in call.text:
                other.append(call.text)

        stop = self._listen(on_call)
        try:
            updates = await asyncio.gather(
                *(self.user_says(u, f"/send 1 {destination}") for u, destination in senders)
            )
            await asyncio.gather(*(self.deliver(u) for u in updates))
            deadline = time.time() + timeout_s
            while time.time() < deadline:
                if all(len(quotes[c]) >= n for c, n in wanted.items()):
                    break
                if other and len(other) + sum(map(len, quotes.values())) >= len(senders):
                    break
                await asyncio.sleep(0.05)
        finally:
            stop()
        return quotes, other

    async def _confirm_all(
        self, presses: list[tuple[BenchUser, int, str]], timeout_s: float
    ) -> list[dict[str, Any]]:
        """Press Confirm under every quote at once; follow each to 'Sent' (or a failure)."""
        by_message: dict[tuple[int, int], dict[str, Any]] = {
            (u.user_id, m): {"chat": u.user_id, "message_id": m} for u, m, _ in presses
        }

        def on_call(call: Call) -> None:
            if not call.ok or call.method != "editmessagetext":
                return
            entry = by_message.get((call.chat_id or 0, call.message_id or 0))
            if entry is None or "sent_s" in entry:
                return
            if "Sending" in call.text:
                entry.setdefault("sending_s", call.time_s)
            elif call.text.startswith("✅ Sent") or call.text.startswith("❌"):
                entry["sent_s"] = call.time_s
                entry["ok"] = call.text.startswith("✅")
                found = TX_HASH.search(json.dumps(call.params))
                entry["tx_hash"] = found.group(1) if found else None

        updates = await asyncio.gather(*(self.user_presses(u, m, d) for u, m, d in presses))
        stop = self._listen(on_call)
        try:

            async def press(key: tuple[int, int], update: dict[str, Any]) -> None:
                by_message[key]["confirm_s"] = time.time()
                await self.deliver(update)

            await asyncio.gather(
                *(
                    press((u.user_id, m), up)
                    for (u, m, _), up in zip(presses, updates, strict=True)
                )
            )
            await _poll_until(
                lambda: all("sent_s" in e for e in by_message.values()), time.time() + timeout_s
            )
        finally:
            stop()
        return list(by_message.values())

    async def _transfers(self, hashes: list[str]) -> dict[str, dict[str, Any]]:
        conn = await asyncpg.connect(self.system.database_url)
        try:
            rows = await conn.fetch(
                "SELECT tx_hash, ledger_index, signed_ledger_index, "
                "extract(epoch FROM submitted_at)::float8 AS submitted_s "
                "FROM transfer.transfers WHERE tx_hash = ANY($1::text[])",
                hashes,
            )
        finally:
            await conn.close()
        return {str(r["tx_hash"]): dict(r) for r in rows}

    def _closes(
        self, entries: list[dict[str, Any]], timeline: LedgerTimeline, rows: dict[str, Any]
    ) -> None:
        for entry in entries:
            if "sent_s" not in entry:
                continue
            entry["seconds"] = entry["sent_s"] - entry["confirm_s"]
            entry["closes_confirm_to_sent"] = timeline.closes_between(
                entry["confirm_s"], entry["sent_s"]
            )
            row = rows.get(entry.get("tx_hash") or "")
            if row and row["ledger_index"] and row["signed_ledger_index"]:
                # submission follows signing, and transfer signs against the latest validated
                # ledger (signed_ledger_index): the first ledger that can hold the payment is the
                # next one, so this counts closes after submission, erring on the high side
                # (submitted_at is written after the submit call returns, too late to use)
                entry["ledger_index"] = row["ledger_index"]
                entry["closes_after_submission"] = row["ledger_index"] - row["signed_ledger_index"]

    async def send_scenario(self, payers: int, same_account: int) -> dict[str, Any]:
        """`payers` users each confirm one 1 XRP payment at once; then one user confirms
        `same_account` payments at once. Skipped (with the reason) when /send is not there.
        """
        funded = [u for u in self.users if u.user_id in self.addresses]
        if len(funded) < max(payers, 2) + 1:
            return {"skipped": f"needs {payers + 1} funded users, has {len(funded)}"}
        group = funded[:payers]
        senders = [
            (u, self.addresses[group[(i + 1) % len(group)].user_id]) for i, u in enumerate(group)
        ]
        quotes, other = await self._quotes(senders, timeout_s=60)
        got = sum(len(q) for q in quotes.values())
        if got == 0:
            sample = other[0][:120] if other else "no answer"
            return {"skipped": f"/send not available (the bot answered: {sample!r})"}
        timeline = LedgerTimeline(self.system.xrpl_rpc_url)
        await timeline.start()
        try:
            await asyncio.sleep(0.3)
            presses = [(u, *quotes[u.user_id][0]) for u, _ in senders if quotes[u.user_id]]
            many = await self._confirm_all(presses, timeout_s=90)
            # one account, several payments confirmed together
            single = funded[payers]
            destinations = [self.addresses[u.user_id] for u in group[:same_account]]
            quotes_one, _ = await self._quotes([(single, d) for d in destinations], timeout_s=60)
            mine = quotes_one[single.user_id][:same_account]
            await asyncio.sleep(0.3)
            batch = await self._confirm_all([(single, m, d) for m, d in mine], timeout_s=90)
            await asyncio.sleep(1.5)
        finally:
            await timeline.stop()
        hashes = [e["tx_hash"] for e in many + batch if e.get("tx_hash")]
        rows = await self._transfers(hashes)
        self._closes(many, timeline, rows)
        self._closes(batch, timeline, rows)
        return {
            "payers": self._send_summary(many, len(senders)),
            "same_account": {
                **self._send_summary(batch, same_account),
                "ledgers": sorted({e["ledger_index"] for e in batch if "ledger_index" in e}),
            },
        }

    @staticmethod
    def _send_summary(entries: list[dict[str, Any]], asked: int) -> dict[str, Any]:
        sent = [e for e in entries if e.get("ok")]
        after = [e["closes_after_submission"] for e in sent if "closes_after_submission" in e]
        to_sent = [e["closes_confirm_to_sent"] for e in sent if "closes_confirm_to_sent" in e]
        return {
            "asked": asked,
            "quoted": len(entries),
            "sent": len(sent),
            "failed": sum(1 for e in entries if e.get("ok") is False),
            "lost": sum(1 for e in entries if "sent_s" not in e),
            "seconds_confirm_to_sent": summarize([e["seconds"] for e in sent]).as_dict(),
            "closes_after_submission": {
                "median": percentile([float(a) for a in after], 50) if after else None,
                "max": max(after) if after else None,
                "histogram": {str(k): after.count(k) for k in sorted(set(after))},
            },
            "closes_confirm_to_sent": {
                "median": percentile([float(a) for a in to_sent], 50) if to_sent else None,
                "max": max(to_sent) if to_sent else None,
                "histogram": {str(k): to_sent.count(k) for k in sorted(set(to_sent))},
            },
        }

    # ---- outbound burst --------------------------------------------------------------------

    async def burst(self, replies: int, chats: int, limit_per_s: float) -> dict[str, Any]:
        """`replies` PaymentReceived replies to `chats` chats at once, with the stand-in's
        flood control on (about 30 messages/s overall, about 1/s per chat with a burst of 3).

        The replies are published straight to `xrpbot.replies` (what transfer's incoming-payment
        watcher publishes), so the gateway's outbound path alone is measured.
        """
        targets = self.users[:chats]
        markers: dict[str, int] = {}
        delivered: dict[int, int] = {}
        times: list[float] = []
        counts = {"429": 0, "other_errors": 0}
        chat_ids = {u.user_id for u in targets}

        def on_call(call: Call) -> None:
            if call.chat_id not in chat_ids or call.method != "sendmessage":
                return
            if not call.ok:
                if call.error_code == 429:
                    counts["429"] += 1
                else:
                    counts["other_errors"] += 1
                return
            found = TX_HASH.search(json.dumps(call.params))
            index = markers.get(found.group(1)) if found else None
            if index is not None:
                delivered[index] = delivered.get(index, 0) + 1
                times.append(call.time_s)

        source = Counterparty(
            address=next(iter(self.addresses.values()), "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh")
        )
        events: list[PaymentReceived] = []
        base = secrets.randbits(32)
        for i in range(replies):
            user = targets[i % len(targets)]
            tx_hash = f"{base:08X}{i:056X}"
            markers[tx_hash] = i
            events.append(
                PaymentReceived(
                    correlation_id=uuid.uuid4(),
                    user=Actor(
                        telegram_id=user.user_id, username=user.username, first_name="Bench"
                    ),
                    chat_id=user.user_id,
                    tx_hash=tx_hash,
                    delivered_drops=1_000_000 + i,
                    source=source,
                    ledger_index=1,
                )
            )
        await self._control("flood", {"enabled": True})
        stop = self._listen(on_call)
        try:
            connection = await aio_pika.connect(self.system.amqp_url)
            async with connection:
                channel = await connection.channel(publisher_confirms=True)
                exchange = await channel.get_exchange("xrpbot.replies", ensure=True)
                started = time.time()
                await asyncio.gather(
                    *(
                        exchange.publish(
                            aio_pika.Message(
                                e.model_dump_json().encode(),
                                content_type="application/json",
                                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                                message_id=str(e.event_id),
                                correlation_id=str(e.correlation_id),
                            ),
                            routing_key=e.ROUTING_KEY,
                        )
                        for e in events
                    )
                )
            ideal = replies / limit_per_s
            await _poll_until(lambda: len(delivered) >= replies, started + max(120.0, 6 * ideal))
            await asyncio.sleep(1.0)  # late duplicates
        finally:
            stop()
            with contextlib.suppress(RuntimeError, aiohttp.ClientError):
                await self._control("flood", {"enabled": False})
        unique = len(delivered)
        span = (max(times) - started) if times else 0.0
        rate = unique / span if span > 0 else 0.0
        return {
            "replies": replies,
            "chats": len(targets),
            "limit_per_s": limit_per_s,
            "delivered": unique,
            "duplicates": sum(n - 1 for n in delivered.values()),
            "lost": replies - unique,
            "http_429": counts["429"],
            "other_errors": counts["other_errors"],
            "seconds": round(span, 2),
            "drain_per_s": round(rate, 1),
            "drain_vs_limit": round(rate / limit_per_s, 3),
        }
