"""The chaos run's report: `.chaos/report-<seed>.json` and `.md`, and the lines printed at the end."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .audit import AuditInput, Violation, message_outcome
from .schedule import Fault

__all__ = ["build_report", "write_report"]

_EXAMPLES = 3


def build_report(
    *,
    seed: int,
    users: int,
    load_s: float,
    wall_s: float,
    schedule: list[Fault],
    applied: Counter[str],
    fault_errors: list[str],
    actions: Counter[str],
    data: AuditInput,
    violations: list[Violation],
    proxy: dict[str, int],
) -> dict[str, Any]:
    """The report as a JSON object: settings, counts, faults, violations by kind with examples."""
    by_id = {uid: {m.message_id: m for m in ms} for uid, ms in data.chats.items()}
    outcomes = Counter(
        message_outcome(by_id.get(q.user_id, {}).get(q.message_id)) for q in data.confirmed
    )
    ledger = {p.tx_hash: p for p in data.ledger if p.result == "tesSUCCESS"}
    users_at = set(data.addresses.values())
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in violations:
        grouped[v.kind].append(v.as_json())
    return {
        "seed": seed,
        "replay": f"make chaos CHAOS_ARGS='--seed {seed} --users {users} --load-seconds {load_s:g}'",
        "users": users,
        "load_seconds": load_s,
        "wall_seconds": round(wall_s, 1),
        "confirmed_quotes": len(data.confirmed),
        "pressed_twice": sum(q.pressed_twice for q in data.confirmed),
        "fiat_confirmed": sum(q.fiat for q in data.confirmed),
        "outcomes_shown": dict(outcomes),
        "ledger_payments_between_users": sum(
            1 for p in ledger.values() if p.account in users_at and p.destination in users_at
        ),
        "ledger_payments_from_outside": sum(
            1 for p in ledger.values() if p.account in data.outside_senders
        ),
        "actions": dict(actions),
        "faults_scheduled": len(schedule),
        "faults_applied": dict(applied),
        "fault_errors": fault_errors,
        "schedule": [f.as_json() for f in schedule],
        "webhook_proxy": proxy,
        "violations": len(violations),
        "violations_by_kind": {k: len(v) for k, v in sorted(grouped.items())},
        "examples": {k: v[:_EXAMPLES] for k, v in sorted(grouped.items())},
        "all_violations": [v.as_json() for v in violations],
        "confirmed": [asdict(q) for q in data.confirmed],
        "addresses": {str(uid): address for uid, address in data.addresses.items()},
    }


def _markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Chaos run, seed {report['seed']}",
        "",
        f"Replay: `{report['replay']}`",
        "",
        "| | |",
        "| --- | --- |",
        f"| users | {report['users']} |",
        f"| load | {report['load_seconds']:g} s (whole run {report['wall_seconds']:g} s) |",
        f"| confirmed quotes | {report['confirmed_quotes']} ({report['pressed_twice']} pressed twice, {report['fiat_confirmed']} in fiat) |",
        f"| outcomes shown | {', '.join(f'{k} {v}' for k, v in sorted(report['outcomes_shown'].items()))} |",
        f"| ledger payments between users / from outside | {report['ledger_payments_between_users']} / {report['ledger_payments_from_outside']} |",
        f"| faults applied | {sum(report['faults_applied'].values())} of {report['faults_scheduled']}: {', '.join(f'{k} {v}' for k, v in sorted(report['faults_applied'].items()))} |",
        f"| violations | {report['violations']} |",
        "",
    ]
    if report["violations_by_kind"]:
        lines += ["## Violations by kind", ""]
        for kind, count in report["violations_by_kind"].items():
            lines.append(f"- **{kind}**: {count}")
            for example in report["examples"][kind]:
                lines.append(
                    f"  - {example['detail']}: `{json.dumps(example['evidence'], ensure_ascii=False)[:300]}`"
                )
        lines.append("")
    if report["fault_errors"]:
        lines += [
            "## Faults that failed to apply",
            "",
            *[f"- {e}" for e in report["fault_errors"]],
            "",
        ]
    lines += [
        "## Schedule",
        "",
        *[f"- {f['at_s']:g} s {f['kind']} {f['target']}".rstrip() for f in report["schedule"]],
        "",
    ]
    return "\n".join(lines)


def write_report(report: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    """Write `report-<seed>.json` and `.md` into `directory`; returns both paths."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"report-{report['seed']}.json"
    md_path = directory / f"report-{report['seed']}.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(_markdown(report))
    return json_path, md_path
