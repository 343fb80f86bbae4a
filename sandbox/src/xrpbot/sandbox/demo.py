"""`make demo`: run the whole system, play a scripted conversation of two users through the
Telegram stand-in, print the chat as the users see it, stop everything.

Exits 1 if any expected answer is missing (the transcript shows which).
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .client import BotMessage, SandboxUser, TelegramSandbox
from .stack import ROOT, from_environment

__all__ = ["main"]

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")


@dataclass
class Step:
    """One thing a user types, and what the bot's answer must show."""

    user: SandboxUser
    text: str
    expect: Callable[[str], bool]
    meaning: str


def _has(*words: str) -> Callable[[str], bool]:
    return lambda text: all(w.lower() in text.lower() for w in words)


def _script(alice: SandboxUser, bob: SandboxUser, addresses: dict[int, str]) -> list[Step]:
    def same_address(user: SandboxUser) -> Callable[[str], bool]:
        def check(text: str) -> bool:
            found = ADDRESS.search(text)
            return found is not None and found.group(0) == addresses.get(user.user_id)

        return check

    def new_address(user: SandboxUser) -> Callable[[str], bool]:
        def check(text: str) -> bool:
            found = ADDRESS.search(text)
            if found and "xrp" in text.lower() and "…" not in text:
                addresses[user.user_id] = found.group(0)
                return True
            return False

        return check

    return [
        Step(alice, "/start", _has("/wallet"), "a welcome that says how to begin"),
        Step(alice, "/help", _has("/balance", "/wallet"), "the list of commands"),
        Step(alice, "/balance", _has("/wallet"), "no wallet yet: told how to create one"),
        Step(alice, "/wallet", new_address(alice), "a funded XRPL account with its address"),
        Step(alice, "/wallet", same_address(alice), "the same account again"),
        Step(alice, "/balance", _has("XRP", "reserve"), "balance, reserve and spendable XRP"),
        Step(alice, "/prices", _has("1 XRP =", "USD"), "XRP's price in US dollars"),
        Step(alice, "hello bot", _has("/help"), "a hint for plain text"),
        Step(alice, "/sned 5 XRP", _has("/help"), "a hint for an unknown command"),
        Step(bob, "/start", _has("/wallet"), "a welcome"),
        Step(bob, "/wallet", new_address(bob), "Bob's own funded account"),
        Step(bob, "/balance", _has("XRP", "reserve"), "Bob's balance"),
    ]


def _render(message: BotMessage) -> str:
    body = textwrap.indent(message.text, "    ")
    lines = [f"  🤖 bot{' (edited)' if message.edits else ''}:", body]
    if message.edits:
        lines.insert(1, f"    [first shown: {message.edits[0]!r}]")
    for row in message.buttons:
        lines.append("    " + "  ".join(f"[{label}]" for label, _ in row))
    if message.photo:
        lines.append("    [photo]")
    return "\n".join(lines)


def main() -> int:
    """Run the demo; returns the exit status."""
    run_dir = Path(os.environ.get("XRPBOT_RUN_DIR", ROOT / ".run" / "demo"))
    if any(run_dir.glob("*.pid")):
        print(f"a demo seems to be running (pids in {run_dir})", file=sys.stderr)
        return 1
    print("Starting xrpbot with the sandbox stand-ins (logs in .run/demo/) ...", flush=True)
    stack = from_environment(run_dir)
    if "telegram" not in stack.sandbox_parts:
        print("make demo plays users through the Telegram stand-in; unset TELEGRAM_BOT_TOKEN")
        return 1
    try:
        stack.start()
    except RuntimeError as err:
        stack.stop()
        print(err, file=sys.stderr)
        return 1
    failures = 0
    try:
        tg = TelegramSandbox(
            f"http://{stack.env['SANDBOX_HOST']}:{stack.env['SANDBOX_TELEGRAM_PORT']}"
        )
        base = 7_000_000_000 + secrets.randbelow(1_000_000_000)  # new users on every run
        alice = SandboxUser(base, "Alice", f"alice_{base % 10_000}")
        bob = SandboxUser(base + 1, "Bob", f"bob_{base % 10_000}")
        addresses: dict[int, str] = {}
        print("\n=== Transcript ===")
        for step in _script(alice, bob, addresses):
            seen = {m.message_id for m in tg.messages(step.user.chat_id)}
            tg.send(step.user, step.text)

            def answered(
                messages: list[BotMessage], step: Step = step, seen: set[int] = seen
            ) -> bool:
                return any(m.message_id not in seen and step.expect(m.text) for m in messages)

            try:
                messages = tg.wait_for(step.user.chat_id, answered, timeout=40)
                ok = True
            except TimeoutError:
                messages = tg.messages(step.user.chat_id)
                ok = False
            print(f"\n👤 {step.user.first_name}: {step.text}")
            for message in messages:
                if message.message_id not in seen:
                    print(_render(message))
            if not ok:
                failures += 1
                print(f"  ❌ MISSING: {step.meaning}")
        print("\n=== End of transcript ===")
    finally:
        print("Stopping ...", flush=True)
        stack.stop()
    if failures:
        print(f"{failures} expected answer(s) missing", file=sys.stderr)
        return 1
    print("Every expected answer arrived.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
