"""/send: many users confirming payments at once, then several payments from one account."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import asyncpg

from ..observe import Call, LedgerTimeline
from ..stats import percentile, summarize
from .driver import TX_HASH, BenchUser, Driver, poll_until

__all__ = ["confirm_payments"]


async def _quotes(
    driver: Driver, senders: list[tuple[BenchUser, str]], timeout_s: float
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

    stop = driver.listen(on_call)
    try:
        updates = await asyncio.gather(
            *(driver.user_says(u, f"/send 1 {destination}") for u, destination in senders)
        )
        await asyncio.gather(*(driver.deliver(u) for u in updates))
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
    driver: Driver, presses: list[tuple[BenchUser, int, str]], timeout_s: float
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

    updates = await asyncio.gather(*(driver.user_presses(u, m, d) for u, m, d in presses))
    stop = driver.listen(on_call)
    try:

        async def press(key: tuple[int, int], update: dict[str, Any]) -> None:
            by_message[key]["confirm_s"] = time.time()
            await driver.deliver(update)

        await asyncio.gather(
            *(press((u.user_id, m), up) for (u, m, _), up in zip(presses, updates, strict=True))
        )
        await poll_until(
            lambda: all("sent_s" in e for e in by_message.values()), time.time() + timeout_s
        )
    finally:
        stop()
    return list(by_message.values())


async def _transfers(driver: Driver, hashes: list[str]) -> dict[str, dict[str, Any]]:
    conn = await asyncpg.connect(driver.system.database_url)
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


def _closes(entries: list[dict[str, Any]], timeline: LedgerTimeline, rows: dict[str, Any]) -> None:
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


async def confirm_payments(driver: Driver, payers: int, same_account: int) -> dict[str, Any]:
    """`payers` users each confirm one 1 XRP payment at once; then one user confirms
    `same_account` payments at once. Skipped (with the reason) when /send is not there.
    """
    funded = [u for u in driver.users if u.user_id in driver.addresses]
    if len(funded) < max(payers, 2) + 1:
        return {"skipped": f"needs {payers + 1} funded users, has {len(funded)}"}
    group = funded[:payers]
    senders = [
        (u, driver.addresses[group[(i + 1) % len(group)].user_id]) for i, u in enumerate(group)
    ]
    quotes, other = await _quotes(driver, senders, timeout_s=60)
    got = sum(len(q) for q in quotes.values())
    if got == 0:
        sample = other[0][:120] if other else "no answer"
        return {"skipped": f"/send not available (the bot answered: {sample!r})"}
    timeline = LedgerTimeline(driver.system.xrpl_rpc_url)
    await timeline.start()
    try:
        await asyncio.sleep(0.3)
        presses = [(u, *quotes[u.user_id][0]) for u, _ in senders if quotes[u.user_id]]
        many = await _confirm_all(driver, presses, timeout_s=90)
        # one account, several payments confirmed together
        single = funded[payers]
        destinations = [driver.addresses[u.user_id] for u in group[:same_account]]
        quotes_one, _ = await _quotes(driver, [(single, d) for d in destinations], timeout_s=60)
        mine = quotes_one[single.user_id][:same_account]
        await asyncio.sleep(0.3)
        batch = await _confirm_all(driver, [(single, m, d) for m, d in mine], timeout_s=90)
        await asyncio.sleep(1.5)
    finally:
        await timeline.stop()
    hashes = [e["tx_hash"] for e in many + batch if e.get("tx_hash")]
    rows = await _transfers(driver, hashes)
    _closes(many, timeline, rows)
    _closes(batch, timeline, rows)
    return {
        "payers": _send_summary(many, len(senders)),
        "same_account": {
            **_send_summary(batch, same_account),
            "ledgers": sorted({e["ledger_index"] for e in batch if "ledger_index" in e}),
        },
    }


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
