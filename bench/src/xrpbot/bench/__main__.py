"""`python -m xrpbot.bench [--quick] [--users N] [--docs]`: measure the whole system.

1. start the system (sandbox + four services) on its own RabbitMQ vhost, database and ports;
2. bare-bus baseline: aio-pika request/reply at concurrency 1 and 16;
3. wallets for every user beforehand (/wallet), timed on their own;
4. /balance as open-loop load at rising rates until saturation, then at half of it;
5. /send: users confirming at once, and several sends from one account;
6. outbound burst with the stand-in's Telegram rate limits on;
7. peak RSS of each service; the report under .bench/ (and docs/benchmarks.md with --docs).

Exit status 1 when a reply was lost (or the system did not start); timings never fail it.
Environment: XRPBOT_BENCH_PORT_OFFSET (ports), RABBITMQ_URL / DATABASE_URL (servers).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from xrpbot.sandbox.tools.stack import ROOT

from .report import evaluate_targets, plot_latency, render_markdown, update_docs, write_json
from .scenarios.balance_load import balance_steps
from .scenarios.bare_bus import measure_bus
from .scenarios.driver import BenchUser, Driver
from .scenarios.outbound_burst import outbound_burst
from .scenarios.send_confirm import confirm_payments
from .scenarios.wallets import create_wallets
from .stats import rate_steps
from .system import BenchSystem, NoiseMonitor, machine_info, peak_rss_mb, start_system

__all__ = ["main"]

DOC = ROOT / "docs" / "benchmarks.md"
DOC_PLOT = ROOT / "docs" / "benchmarks-latency.png"


def _profile(quick: bool) -> dict[str, Any]:
    if quick:
        return {
            "users": 150,
            "bus_seconds": 3.0,
            "rates": rate_steps(10, 1.8, 2000),
            "first_step_s": 5.0,
            "step_s": 4.0,
            "payers": 20,
            "same_account": 10,
            "burst": (150, 30),
        }
    return {
        "users": 1000,
        "bus_seconds": 10.0,
        "rates": rate_steps(10, 1.35, 2000),
        "first_step_s": 30.0,
        "step_s": 10.0,
        "payers": 100,
        "same_account": 10,
        "burst": (500, 100),
    }


async def _scenarios(
    system: BenchSystem, profile: dict[str, Any], results: dict[str, Any]
) -> None:
    noise = NoiseMonitor(system)
    await noise.start()
    try:
        await _measure(system, profile, results)
    finally:
        results["noise"] = await noise.stop()


async def _measure(system: BenchSystem, profile: dict[str, Any], results: dict[str, Any]) -> None:
    print("bare bus: aio-pika request/reply at concurrency 1 and 16 ...", flush=True)
    c1, c16 = await measure_bus(system.amqp_url, [1, 16], profile["bus_seconds"])
    results["bare_bus"] = {"c1": c1.as_dict(), "c16": c16.as_dict()}
    print(f"  c1 {c1.rate_per_s:.0f}/s, c16 {c16.rate_per_s:.0f}/s", flush=True)
    base = 7_100_000_000 + secrets.randbelow(100_000_000) * 10
    users = [BenchUser(base + i, f"bench_{base % 100_000}_{i}") for i in range(profile["users"])]
    async with Driver(system, users) as driver:
        print(f"wallets for {len(users)} users ...", flush=True)
        results["wallets"] = await create_wallets(driver, timeout_s=60 + 0.5 * len(users))
        print(f"  {results['wallets']}", flush=True)
        print("/balance, open loop, rising rates ...", flush=True)
        results["balance"] = await balance_steps(
            driver, profile["rates"], profile["step_s"], first_duration_s=profile["first_step_s"]
        )
        print("/send ...", flush=True)
        results["send"] = await confirm_payments(
            driver, profile["payers"], profile["same_account"]
        )
        print(f"  {_short(results['send'])}", flush=True)
        replies, chats = profile["burst"]
        print(
            f"outbound burst: {replies} replies to {chats} chats, rate limits on ...", flush=True
        )
        results["burst"] = await outbound_burst(driver, replies, chats, limit_per_s=30.0)
        print(f"  {results['burst']}", flush=True)
        results["webhook_retries"] = driver.webhook_retries


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) < 400 else text[:400] + " …"


def _lost(results: dict[str, Any]) -> int:
    lost = (results.get("balance") or {}).get("lost", 0) + (results.get("burst") or {}).get(
        "lost", 0
    )
    send = results.get("send") or {}
    for key in ("payers", "same_account"):
        if key in send:
            lost += send[key]["lost"]
    return int(lost)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m xrpbot.bench")
    parser.add_argument("--quick", action="store_true", help="short run (under 2 minutes)")
    parser.add_argument("--users", type=int, help="simulated users (default 1000, quick 150)")
    parser.add_argument("--docs", action="store_true", help="also update docs/benchmarks.md")
    parser.add_argument(
        "--label",
        default=os.environ.get("XRPBOT_BENCH_LABEL", "run"),
        help="what kind of run this is (shown in the report)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / ".bench", help="report directory")
    args = parser.parse_args(argv)
    profile = _profile(args.quick)
    if args.users:
        profile["users"] = args.users
    offset = int(os.environ.get("XRPBOT_BENCH_PORT_OFFSET", "0"))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.out / stamp
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "label": args.label,
        "started_at": stamp,
        "quick": args.quick,
        "users": profile["users"],
        "port_offset": offset,
    }
    started = time.monotonic()
    print(f"starting the system (logs in {out / 'run'}) ...", flush=True)
    try:
        system = start_system(out / "run", port_offset=offset, ledger_close_s=1.0)
    except RuntimeError as err:
        print(f"the system did not start: {err}", file=sys.stderr)
        return 1
    failure: BaseException | None = None
    try:
        results["machine"] = machine_info(system)
        asyncio.run(_scenarios(system, profile, results))
    except Exception as exc:  # report what was measured before the failure
        failure = exc
        results["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        results["peak_rss_mb"] = {
            name: (round(mb, 1) if (mb := peak_rss_mb(pid)) is not None else None)
            for name, pid in system.pids().items()
        }
        system.stop()
    results["duration_s"] = round(time.monotonic() - started, 1)
    bus = (results.get("bare_bus") or {}).get("c16")
    balance = results.get("balance") or {}
    if bus and balance.get("saturation_per_s"):
        results["ratio_to_bare_bus"] = round(balance["saturation_per_s"] / bus["rate_per_s"], 4)
    results["targets"] = evaluate_targets(results)
    results["lost_replies"] = _lost(results)
    write_json(results, out / "results.json")
    plotted = plot_latency(results, out / "latency.png")
    markdown = render_markdown(results, "latency.png" if plotted else None)
    (out / "report.md").write_text(markdown + "\n")
    latest = args.out / "latest"
    shutil.rmtree(latest, ignore_errors=True)
    shutil.copytree(out, latest, ignore=shutil.ignore_patterns("run"))
    if args.docs:
        if plotted:
            shutil.copyfile(out / "latency.png", DOC_PLOT)
        doc_markdown = render_markdown(results, DOC_PLOT.name if plotted else None)
        if not update_docs(DOC, doc_markdown):
            print(f"{DOC} has no results markers; not updated", file=sys.stderr)
    print("\n" + markdown)
    print(f"\nreport: {out}/ (results.json, report.md, latency.png); also {latest}/")
    if "ratio_to_bare_bus" in results:
        print(
            f"RATIO end-to-end saturation ÷ bare bus (c16): {balance['saturation_per_s']:g} ÷ "
            f"{bus['rate_per_s'] if bus else 0:g} = {results['ratio_to_bare_bus']:.3f}"
        )
    if failure is not None:
        print(f"the bench failed: {results['error']}", file=sys.stderr)
        return 1
    if results["lost_replies"]:
        print(f"FAILED: {results['lost_replies']} lost replies", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
