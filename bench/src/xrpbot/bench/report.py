"""The report: results.json, a PNG of latency percentiles against offered load, a Markdown
summary with each target's verdict, and (optionally) that summary in docs/benchmarks.md."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

__all__ = ["evaluate_targets", "plot_latency", "render_markdown", "update_docs", "write_json"]

DOCS_BEGIN = "<!-- bench:results:begin -->"
DOCS_END = "<!-- bench:results:end -->"


def write_json(results: dict[str, Any], path: Path) -> None:
    """Write the results as indented JSON."""
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


def plot_latency(results: dict[str, Any], path: Path) -> bool:
    """p50/p95/p99 /balance latency (ms, log scale) against offered load (commands/s).

    Returns:
        False when there is nothing to plot.
    """
    balance = results.get("balance") or {}
    steps = sorted(balance.get("steps", []), key=lambda s: s["offered_per_s"])
    if not steps:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    offered = [s["offered_per_s"] for s in steps]
    figure, axis = plt.subplots(figsize=(8, 4.8), dpi=110)
    for key, style in (("p50_ms", "o-"), ("p95_ms", "s-"), ("p99_ms", "^-")):
        axis.plot(offered, [max(s["latency"][key], 0.1) for s in steps], style, label=key[:3])
    half = balance.get("half_saturation")
    if half:
        axis.plot(
            [half["offered_per_s"]],
            [max(half["latency"]["p99_ms"], 0.1)],
            "k*",
            markersize=11,
            label="p99 at ½ saturation",
        )
    saturation = balance.get("saturation_per_s")
    if saturation:
        axis.axvline(saturation, color="grey", linestyle="--", linewidth=1)
        axis.annotate(
            f"saturation {saturation:g}/s",
            (saturation, axis.get_ylim()[0]),
            rotation=90,
            va="bottom",
            ha="right",
            fontsize=8,
            color="grey",
        )
    bus = results.get("bare_bus", {}).get("c16")
    title = "/balance end to end: webhook POST → final edit"
    if bus:
        title += f"  (bare bus c16: {bus['rate_per_s']:g} round trips/s)"
    axis.set_title(title, fontsize=10)
    axis.set_xlabel("offered load (commands/s, open loop)")
    axis.set_ylabel("latency (ms, log scale)")
    axis.set_yscale("log")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return True


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("✅ holds" if ok else "❌ missed")


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each performance target with the measured value and whether it holds (None: not measured)."""
    targets: list[dict[str, Any]] = []

    def add(name: str, target: str, value: Any, ok: bool | None) -> None:
        targets.append({"name": name, "target": target, "value": value, "holds": ok})

    balance = results.get("balance") or {}
    ratio = results.get("ratio_to_bare_bus")
    add(
        "saturation throughput vs bare bus (c16)",
        "≥ 0.5 x",
        f"{ratio:.3f} x" if ratio is not None else None,
        None if ratio is None else ratio >= 0.5,
    )
    at10 = next((s for s in balance.get("steps", []) if s["offered_per_s"] == 10), None)
    if at10:
        lat = at10["latency"]
        add("/balance p50 at 10/s", "≤ 15 ms", f"{lat['p50_ms']:.1f} ms", lat["p50_ms"] <= 15)
        add("/balance p99 at 10/s", "≤ 40 ms", f"{lat['p99_ms']:.1f} ms", lat["p99_ms"] <= 40)
    else:
        add("/balance at 10/s", "p50 ≤ 15 ms, p99 ≤ 40 ms", None, None)
    half = balance.get("half_saturation")
    add(
        "/balance p99 at half of saturation",
        "≤ 100 ms",
        f"{half['latency']['p99_ms']:.1f} ms at {half['offered_per_s']:g}/s" if half else None,
        None if not half else half["latency"]["p99_ms"] <= 100,
    )
    burst = results.get("burst") or {}
    if "drain_per_s" in burst:
        add(
            "outbound burst drain",
            "≥ 95 % of 30 msg/s",
            f"{burst['drain_per_s']:.1f} msg/s ({burst['drain_vs_limit'] * 100:.0f} %)",
            burst["drain_vs_limit"] >= 0.95,
        )
        add("outbound burst 429s", "0", burst["http_429"], burst["http_429"] == 0)
        add("outbound burst lost", "0", burst["lost"], burst["lost"] == 0)
    send = results.get("send") or {}
    if "payers" in send:
        payers = send["payers"]
        after = payers["closes_after_submission"]
        add(
            "/send median user validated in the first close after submission",
            "1 close",
            after["median"],
            None if after["median"] is None else after["median"] <= 1,
        )
        add(
            "/send all 100 within 2 closes",
            "≤ 2 closes",
            f"max {after['max']} (lost {payers['lost']}, failed {payers['failed']})",
            None
            if after["max"] is None
            else after["max"] <= 2 and payers["lost"] == 0 and payers["failed"] == 0,
        )
        same = send["same_account"]
        add(
            "10 same-account sends in one close",
            "1 ledger",
            f"ledgers {same['ledgers']} (sent {same['sent']}/{same['asked']})",
            len(same["ledgers"]) == 1 and same["sent"] == same["asked"],
        )
    else:
        add("/send", "see issue", send.get("skipped", "not run"), None)
    for name, mb in (results.get("peak_rss_mb") or {}).items():
        if name == "sandbox" or mb is None:
            continue
        add(f"peak RSS {name}", "≤ 150 MB", f"{mb:.0f} MiB", mb <= 150)
    return targets


def render_markdown(results: dict[str, Any], plot_name: str | None) -> str:
    """The summary of one run as Markdown (what docs/benchmarks.md shows)."""
    m = results["machine"]
    lines = [
        f"**Run:** {results['label']} — {results['started_at']} "
        f"({'quick' if results['quick'] else 'full'}; {results['users']} users; "
        f"took {results['duration_s']:.0f} s)",
        "",
        f"**Machine:** {m['nproc']} CPUs ({m['cpu_model']}), {m['ram_gib']} GiB RAM, "
        f"Python {m['python']}, RabbitMQ {m['rabbitmq']}, PostgreSQL {m['postgres']}, "
        f"Linux {m['kernel']}",
        "",
    ]
    noise = results.get("noise") or {}
    if noise:
        lines += [
            f"**Noise during the run:** load average (1 min) mean {noise['loadavg_1m_mean']}, "
            f"max {noise['loadavg_1m_max']} on {m['nproc']} CPUs; RabbitMQ unreachable "
            f"{noise['rabbitmq_unreachable_s']:g} s, Postgres unreachable "
            f"{noise['postgres_unreachable_s']:g} s"
            + (
                " — **the figures of this run are not valid**"
                if noise["rabbitmq_unreachable_s"] or noise["postgres_unreachable_s"]
                else ""
            ),
            "",
        ]
    ratio = results.get("ratio_to_bare_bus")
    balance = results.get("balance") or {}
    bus = results.get("bare_bus") or {}
    if ratio is not None:
        lines += [
            f"**Ratio: end-to-end /balance saturation throughput ÷ bare-bus request/reply "
            f"(c16) = {balance['saturation_per_s']:g} ÷ {bus['c16']['rate_per_s']:g} = "
            f"{ratio:.3f}**",
            "",
        ]
    lines += [
        "### Targets",
        "",
        "| target | goal | measured | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for t in results.get("targets", []):
        value = "—" if t["value"] is None else t["value"]
        lines.append(f"| {t['name']} | {t['target']} | {value} | {_verdict(t['holds'])} |")
    lines += ["", "### Bare bus (aio-pika request/reply, quorum queues, persistent, confirms)", ""]
    lines += ["| concurrency | round trips/s | p50 ms | p95 ms | p99 ms | body bytes |"]
    lines += ["| --- | --- | --- | --- | --- | --- |"]
    for key in ("c1", "c16"):
        b = bus.get(key)
        if b:
            lat = b["latency"]
            lines.append(
                f"| {b['concurrency']} | {b['rate_per_s']:g} | {lat['p50_ms']:.2f} | "
                f"{lat['p95_ms']:.2f} | {lat['p99_ms']:.2f} | {b['message_bytes']} |"
            )
    lines += [
        "",
        "### /balance end to end (webhook POST → final edit recorded by the stand-in)",
        "",
    ]
    lines += [
        "| offered/s | achieved/s | answered | p50 ms | p95 ms | p99 ms | max ms | webhook p50 ms | saturated |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    steps = list(balance.get("steps", []))
    if balance.get("half_saturation"):
        steps.append({**balance["half_saturation"], "half": True})
    for s in steps:
        lat = s["latency"]
        offered = f"{s['offered_per_s']:g}" + (" (½ sat.)" if s.get("half") else "")
        lines.append(
            f"| {offered} | {s['achieved_per_s']:g} | {s['answered']}/{s['sent']} | "
            f"{lat['p50_ms']:.1f} | {lat['p95_ms']:.1f} | {lat['p99_ms']:.1f} | "
            f"{lat['max_ms']:.1f} | {s['webhook_post']['p50_ms']:.1f} | "
            f"{'yes' if s['saturated'] else 'no'} |"
        )
    lines += [
        "",
        f"Commands: {balance.get('commands', 0)}, lost {balance.get('lost', 0)}, duplicated "
        f"{balance.get('duplicates', 0)}, webhook non-2xx {balance.get('webhook_non_2xx', 0)}. "
        f"Saturation throughput: {balance.get('saturation_per_s', 0):g}/s"
        + ("" if balance.get("saturation_reached") else " (not reached: highest step)")
        + ".",
        "",
    ]
    if plot_name:
        lines += [f"![latency percentiles against offered load]({plot_name})", ""]
    wallets = results.get("wallets") or {}
    if wallets:
        lines += [
            f"**Wallets beforehand:** {wallets['created']}/{wallets['users']} funded in "
            f"{wallets['duration_s']:g} s ({wallets.get('rate_per_s')}/s; failed "
            f"{wallets['failed']}, missing {wallets['missing']}).",
            "",
        ]
    send = results.get("send") or {}
    lines += ["### /send", ""]
    if "payers" in send:
        for key, title in (
            ("payers", "users confirming at once"),
            ("same_account", "sends from one account"),
        ):
            s = send[key]
            sec = s["seconds_confirm_to_sent"]
            lines.append(
                f"- {s['asked']} {title}: sent {s['sent']}, failed {s['failed']}, lost "
                f"{s['lost']}; Confirm → 'Sent' p50 {sec['p50_ms'] / 1000:.2f} s, max "
                f"{sec['max_ms'] / 1000:.2f} s; closes after submission "
                f"{s['closes_after_submission']['histogram']}; closes Confirm → 'Sent' "
                f"{s['closes_confirm_to_sent']['histogram']}"
                + (f"; ledgers {s['ledgers']}" if "ledgers" in s else "")
            )
        lines.append("")
    else:
        lines += [f"- skipped: {send.get('skipped', 'not run')}", ""]
    burst = results.get("burst") or {}
    if burst:
        lines += [
            "### Outbound burst (Telegram rate limits on in the stand-in)",
            "",
            f"{burst['replies']} replies to {burst['chats']} chats: delivered "
            f"{burst['delivered']} in {burst['seconds']:g} s = {burst['drain_per_s']:g} msg/s "
            f"({burst['drain_vs_limit'] * 100:.0f} % of {burst['limit_per_s']:g}/s); "
            f"429 answers {burst['http_429']}, lost {burst['lost']}, duplicated "
            f"{burst['duplicates']}.",
            "",
        ]
    rss = results.get("peak_rss_mb") or {}
    if rss:
        lines += ["### Peak RSS (VmHWM)", "", "| process | MiB |", "| --- | --- |"]
        lines += [f"| {k} | {v:.0f} |" for k, v in rss.items() if v is not None]
        lines.append("")
    return "\n".join(lines)


def update_docs(doc: Path, markdown: str) -> bool:
    """Replace the text between the results markers in `doc`; False if the markers are missing."""
    if not doc.exists():
        return False
    text = doc.read_text()
    pattern = re.compile(re.escape(DOCS_BEGIN) + r".*?" + re.escape(DOCS_END), re.DOTALL)
    if not pattern.search(text):
        return False
    doc.write_text(pattern.sub(lambda _: f"{DOCS_BEGIN}\n{markdown}\n{DOCS_END}", text))
    return True
