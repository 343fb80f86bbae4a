"""/balance as open-loop load at rising offered rates until saturation, then at half of it."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..observe import Call
from ..stats import open_loop_schedule, summarize
from .driver import Driver, poll_until

__all__ = ["balance_steps"]


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


async def balance_steps(
    driver: Driver,
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
    outstanding: dict[int, deque[_Pending]] = {u.user_id: deque() for u in driver.users}
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

    stop = driver.listen(on_call)
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
            status = await driver.deliver(update)
            step.post_latencies_s.append(time.time() - pending.posted_s)
            if not 200 <= status <= 299:
                step.non_2xx += 1

        for intended in schedule:
            delay = intended - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            step.generator_lag_s = max(step.generator_lag_s, time.time() - intended)
            user = driver.users[counter % len(driver.users)]
            counter += 1
            pending = _Pending(intended, index)
            outstanding[user.user_id].append(pending)
            update = driver.command_update(user, "/balance")
            tasks.append(asyncio.create_task(post(update, pending)))
            step.sent += 1
        await poll_until(lambda: not unanswered(index), time.time() + drain_timeout_s)
        await asyncio.gather(*tasks)
        return _step_result(step, unanswered(index))

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
        await poll_until(lambda: not any(outstanding.values()), time.time() + drain_timeout_s)
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
