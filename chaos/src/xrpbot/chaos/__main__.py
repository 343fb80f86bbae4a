"""`python -m xrpbot.chaos`: the whole system under a seeded fault schedule, then an audit.

    make chaos        # 10 users, 150 s of load (CHAOS_ARGS passes options)
    make chaos-quick  # 4 users, 40 s of load, a few faults; under 3 minutes

The seed is printed first; `--seed N` replays a run's schedule and the users' choices. The report
goes to `.chaos/report-<seed>.json` and `.md`, what the audit looked at to
`.chaos/evidence-<seed>.json` (`--reaudit` judges it again); the exit status is 1 on any violation.
Ports: 27xxx (services, sandbox, proxy), 25432, 23672, 24672 (servers) + XRPBOT_CHAOS_PORT_OFFSET.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from xrpbot.sandbox.tools.stack import ROOT
from xrpbot.sandbox.tools.telegram_control import TelegramSandbox

from .audit import AuditInput, audit, message_outcome
from .evidence import load_evidence, save_evidence
from .faults import FaultInjector
from .infra import PrivateInfra
from .ledger import account_payments
from .load import Load, make_users
from .report import build_report, write_report
from .schedule import fault_schedule
from .system import ChaosSystem, fund_outside_account, start_system


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m xrpbot.chaos")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: random)")
    parser.add_argument("--users", type=int, default=None, help="users (default 10; quick 4)")
    parser.add_argument("--load-seconds", type=float, default=None, help="default 150; quick 40")
    parser.add_argument("--quiet-seconds", type=float, default=None, help="at most; default 60")
    parser.add_argument("--mean-gap", type=float, default=None, help="mean s between faults")
    parser.add_argument("--quick", action="store_true", help="the short run (chaos-quick)")
    parser.add_argument(
        "--reaudit", type=Path, default=None, help="judge a run's saved evidence again; no run"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    args.users = args.users or (4 if quick else 10)
    args.load_seconds = args.load_seconds or (40.0 if quick else 150.0)
    args.quiet_seconds = args.quiet_seconds or (35.0 if quick else 60.0)
    args.mean_gap = args.mean_gap or (4.0 if quick else 8.0)
    return args


def _quiet(system: ChaosSystem, load: Load, injector: FaultInjector, quiet_s: float) -> None:
    """Faults over: every process running and ready, then wait (at most `quiet_s`) until every
    confirmed quote shows a final outcome, so what is judged is where the system settles."""
    restarted = injector.ensure_running()
    if restarted:
        print(f"  started again after the faults: {', '.join(restarted)}")
    end = time.monotonic() + quiet_s
    while time.monotonic() < end and any(c != 200 for c in system.stack.readiness().values()):
        time.sleep(1)
    tg = TelegramSandbox(system.telegram_url)
    settle_from = time.monotonic()
    while time.monotonic() < end:
        chats = {u.user_id: {m.message_id: m for m in tg.messages(u.chat_id)} for u in load.users}
        open_quotes = [
            q
            for q in load.confirmed
            if message_outcome(chats[q.user_id].get(q.message_id)) not in {"sent", "not_sent"}
        ]
        if not open_quotes and time.monotonic() - settle_from > 8:
            return
        time.sleep(2)


def _samples(system: ChaosSystem, queue: str) -> list[dict[str, Any]]:
    try:
        return system.dead_letter_samples(queue)
    except Exception as err:  # evidence only: the count is the violation
        return [{"error": f"{type(err).__name__}: {err}"}]


def _collect(system: ChaosSystem, load: Load, outside: str) -> AuditInput:
    tg = TelegramSandbox(system.telegram_url)
    ledger = []
    for address in load.addresses.values():
        ledger += account_payments(system.xrpl_url, address)
    dead_letters = system.dead_letters()
    samples = {q: _samples(system, q) for q, n in dead_letters.items() if n}
    return AuditInput(
        chats={u.user_id: tg.messages(u.chat_id) for u in load.users},
        addresses=dict(load.addresses),
        confirmed=list(load.confirmed),
        ledger=ledger,
        outside_senders=frozenset({outside}),
        dead_letters=dead_letters,
        dead_letter_samples=samples,
        readiness=system.stack.readiness(),
    )


def _reaudit(path: Path) -> int:
    violations = audit(load_evidence(path))
    kinds = Counter(v.kind for v in violations)
    for v in violations:
        print(f"  VIOLATION {v.kind}: {v.detail} {v.evidence}")
    print(f"{path}: {len(violations)} violations ({dict(sorted(kinds.items())) or 'none'})")
    return 1 if violations else 0


def main(argv: list[str] | None = None) -> int:
    """Run, audit, report; 0 when no rule was broken, 1 otherwise, 2 if the run could not start."""
    args = _arguments(argv)
    if args.reaudit is not None:
        return _reaudit(args.reaudit)
    offset = int(os.environ.get("XRPBOT_CHAOS_PORT_OFFSET", "0"))
    root = ROOT / ".chaos"
    print(
        f"chaos run: seed {args.seed}, {args.users} users, {args.load_seconds:g} s of load",
        flush=True,
    )
    began = time.monotonic()
    infra = PrivateInfra.under(root / f"servers-{offset}", offset)
    with infra.running():
        print(
            f"  private PostgreSQL and RabbitMQ up in {time.monotonic() - began:.0f} s", flush=True
        )
        try:
            system = start_system(root / f"run-{offset}", infra, offset=offset, quote_ttl_s=30)
        except RuntimeError as err:
            print(f"the system did not start: {err}", file=sys.stderr)
            return 2
        try:
            return _run(args, system, began, root)
        finally:
            system.stop()


def _run(args: argparse.Namespace, system: ChaosSystem, began: float, root: Path) -> int:
    print(f"  system ready in {time.monotonic() - began:.0f} s; setting up users", flush=True)
    load = Load(system.telegram_url, make_users(args.users, args.seed), args.seed)
    load.setup()
    outside, outside_seed = fund_outside_account(system)
    targets = system.stack.instances()
    schedule = fault_schedule(args.seed, args.load_seconds, targets, mean_gap_s=args.mean_gap)
    print(f"  load for {args.load_seconds:g} s with {len(schedule)} faults", flush=True)
    started = time.monotonic()
    deadline = started + args.load_seconds
    threads = load.run(deadline)
    threads.append(load.pay_from_outside(system.xrpl_url, outside_seed, deadline))
    injector = FaultInjector(system)
    faults = threading.Thread(target=injector.run, args=(schedule, started, deadline))
    faults.start()
    faults.join()
    for t in threads:
        t.join()
    injector.join()
    print(f"  load over; quiet period (at most {args.quiet_seconds:g} s)", flush=True)
    _quiet(system, load, injector, args.quiet_seconds)
    data = _collect(system, load, outside)
    save_evidence(data, root / f"evidence-{args.seed}.json")
    violations = audit(data)
    report = build_report(
        seed=args.seed,
        users=args.users,
        load_s=args.load_seconds,
        wall_s=time.monotonic() - began,
        schedule=schedule,
        applied=injector.done,
        fault_errors=injector.errors,
        actions=load.actions,
        data=data,
        violations=violations,
        proxy={"forwarded": system.proxy.forwarded, "failed_over": system.proxy.failed_over},
    )
    json_path, md_path = write_report(report, root)
    print(
        f"seed {args.seed}: {report['confirmed_quotes']} confirmed quotes, "
        f"{sum(injector.done.values())} faults, {len(violations)} violations "
        f"({report['violations_by_kind'] or 'none'}); {report['wall_seconds']:g} s"
    )
    for v in violations:
        print(f"  VIOLATION {v.kind}: {v.detail} {v.evidence}")
    print(f"report: {json_path} and {md_path}")
    return 1 if violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
