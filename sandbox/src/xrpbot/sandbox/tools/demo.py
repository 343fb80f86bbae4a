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
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from .stack import ROOT, from_environment
from .telegram_control import BotMessage, SandboxUser, TelegramSandbox

__all__ = ["main"]

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")


@dataclass
class Step:
    """One thing a user types, and what the bot's answer must show."""

    user: SandboxUser
    text: str
    expect: Callable[[str], bool]
    meaning: str
    setup: Callable[[], None] | None = None
    """Runs before the user types (e.g. switch a stand-in's failure on)."""
    press: str | None = None
    """Instead of typing `text`, press the button labelled `press` under the newest bot
    message that has it (the menu, /settings); `text` then only names the press."""
    listen: bool = False
    """The user types nothing: wait for a message the bot sends on its own (a payment alert)."""


def _has(*words: str) -> Callable[[str], bool]:
    return lambda text: all(w.lower() in text.lower() for w in words)


# ---- prices: the CoinGecko stand-in fails for one answer --------------------------

DEMO_SPOT_TTL_SECONDS = 3
"""The demo's spot-price TTL (PRICING_SPOT_TTL_SECONDS; 60 s normally), so that the stale
answer needs a 3-second pause instead of a minute's."""


@dataclass
class _CoinGecko:
    """The CoinGecko stand-in's control API (POST /sandbox/fail, /sandbox/reset)."""

    base_url: str | None

    def fail(self) -> None:
        if self.base_url is None:
            return
        time.sleep(DEMO_SPOT_TTL_SECONDS)  # the cached spot prices expire, as time would
        httpx.post(f"{self.base_url}/sandbox/fail", json={"mode": "500"}, timeout=5)

    def recover(self) -> None:
        if self.base_url is not None:
            httpx.post(f"{self.base_url}/sandbox/reset", timeout=5)


def _photo_names(tg: TelegramSandbox, chat_id: int) -> list[str]:
    """File names of the photos the bot sent to the chat, oldest first."""
    calls = tg.client.get(f"{tg.base_url}/sandbox/calls", params={"method": "sendPhoto"})
    names: list[str] = []
    for call in calls.json().get("calls", []):
        params = call.get("params", {})
        if call.get("ok") and str(params.get("chat_id")) == str(chat_id):
            upload = params.get(str(params.get("photo", "")).removeprefix("attach://"), {})
            size = int(upload.get("size", 0))
            shown = f"{size // 1024} KB" if size >= 1024 else f"{size} bytes"
            names.append(f"{upload.get('filename', 'photo')}, {shown}")
    return names


def _script(
    alice: SandboxUser,
    bob: SandboxUser,
    addresses: dict[int, str],
    coingecko: _CoinGecko | None = None,
) -> list[Step]:
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
        Step(alice, "/start", _has("/wallet"), "a welcome with the menu's buttons"),
        Step(alice, "/help", _has("/balance", "/wallet"), "the list of commands"),
        Step(alice, "/balance", _has("/wallet"), "no wallet yet: told how to create one"),
        Step(alice, "/wallet", new_address(alice), "a funded XRPL account with its address"),
        Step(alice, "/wallet", same_address(alice), "the same account again"),
        Step(alice, "/balance", _has("XRP", "reserve"), "balance, reserve and spendable XRP"),
        Step(
            alice,
            "[Receive]",
            _has("No destination tag is needed"),
            "the menu's Receive: the address with a QR code of a payment link",
            press="Receive",
        ),
        Step(
            alice,
            "/receive 25",
            _has("25 XRP", "No destination tag"),
            "a QR code that asks for 25 XRP",
        ),
        Step(
            alice, "/settings", _has("Language", "Currency"), "language, currency, notifications"
        ),
        Step(
            alice,
            "[Turn notifications off]",
            _has("notifications: off"),
            "payment alerts off (stored; payments still show in /history)",
            press="notifications off",
        ),
        # ---- languages: Alice's Telegram speaks English; she picks Español ----
        Step(
            alice,
            "[Language]",
            _has("Choose your language"),
            "the languages, each named in itself",
            press="Language",
        ),
        Step(
            alice,
            "[Español]",
            _has("Idioma: Español", "Notificaciones de pagos"),
            "the settings again, already in Spanish",
            press="Español",
        ),
        Step(
            alice,
            "/balance",
            _has("Saldo:", "Disponible:", "reserva"),
            "the balance in Spanish: the choice wins over Telegram's language",
        ),
        Step(
            alice,
            "[Idioma]",
            _has("Elige tu idioma"),
            "back to the languages",
            press="Idioma",
        ),
        Step(
            alice,
            "[English]",
            _has("Language: English"),
            "English again",
            press="English",
        ),
        Step(alice, "/prices", _has("1 XRP =", "USD", "1D: high"), "XRP in US dollars, 1D chart"),
        Step(
            alice,
            "/prices eur 30d",
            _has("1 XRP =", "EUR", "30D: high"),
            "XRP in euros with a 30-day chart; EUR becomes Alice's currency",
        ),
        Step(alice, "/balance", _has("XRP (≈", "EUR"), "the balance with its value in euros"),
        Step(
            alice,
            "/prices eur 30d",
            _has("1 XRP =", "last known prices, as of"),
            "CoinGecko fails: the last known prices and chart, with their age",
            setup=coingecko.fail if coingecko else None,
        ),
        Step(alice, "hello bot", _has("/help"), "a hint for plain text"),
        Step(alice, "/sned 5 XRP", _has("/help"), "a hint for an unknown command"),
        Step(
            bob,
            "/start",
            _has("/wallet"),
            "a welcome",
            setup=coingecko.recover if coingecko else None,
        ),
        Step(bob, "/wallet", new_address(bob), "Bob's own funded account"),
        Step(bob, "/balance", _has("XRP", "reserve"), "Bob's balance"),
        # ---- payments ----
        Step(
            alice,
            f"/send 1000 @{bob.username}",
            _has("can send at most"),
            "more than spendable: refused, with what could be sent",
        ),
        Step(
            alice,
            "/send 5 rN7n7otQDd6FczFgLdlqtyMVrn3HMfXoQT",
            _has("address"),
            "a mistyped address: refused, nothing sent",
        ),
        Step(
            alice,
            f"/send 10 @{bob.username}",
            _has("Confirm within", "Network fee", "stays reserved"),
            "a quote: Bob (his @username and first name, not his address), amount, fee, balance "
            "after, the reserve rule, 2 minutes",
        ),
        Step(
            alice,
            "[Confirm]",
            _has("Sent 10 XRP", "fee"),
            "Sending… then Sent, once a validated ledger holds it, with the explorer link",
            press="Confirm",
        ),
        Step(
            bob,
            "(Bob waits)",
            _has("You received 10 XRP", "from @"),
            "Bob is told, once, that 10 XRP arrived from Alice",
            listen=True,
        ),
        Step(alice, "/history", _has("10 XRP", "@"), "the payment in Alice's history"),
        Step(bob, "/history", _has("10 XRP", "@"), "and in Bob's, as received"),
    ]


def _press(tg: TelegramSandbox, user: SandboxUser, label: str) -> None:
    """Press the button labelled `label` under the newest bot message that has one."""
    for message in reversed(tg.messages(user.chat_id)):
        try:
            data = message.button(label)
        except LookupError:
            continue
        tg.press(user, message.message_id, data)
        return
    raise LookupError(f"no {label!r} button in the chat")


def _render(message: BotMessage, photo: str | None = None) -> str:
    body = textwrap.indent(message.text, "    ")
    lines = [f"  🤖 bot{' (edited)' if message.edits else ''}:", body]
    if message.edits:
        lines.insert(1, f"    [first shown: {message.edits[0]!r}]")
    for row in message.buttons:
        lines.append("    " + "  ".join(f"[{label}]" for label, _ in row))
    if message.photo:
        lines.append(f"    [photo: {photo}]" if photo else "    [photo]")
    return "\n".join(lines)


def main() -> int:
    """Run the demo; returns the exit status."""
    run_dir = Path(os.environ.get("XRPBOT_RUN_DIR", ROOT / ".run" / "demo"))
    if any(run_dir.glob("*.pid")):
        print(f"a demo seems to be running (pids in {run_dir})", file=sys.stderr)
        return 1
    print("Starting xrpbot with the sandbox stand-ins (logs in .run/demo/) ...", flush=True)
    os.environ.setdefault("PRICING_SPOT_TTL_SECONDS", str(DEMO_SPOT_TTL_SECONDS))
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
        coingecko = _CoinGecko(
            f"http://{stack.env['SANDBOX_HOST']}:{stack.env['SANDBOX_COINGECKO_PORT']}"
            if "coingecko" in stack.sandbox_parts
            else None
        )
        print("\n=== Transcript ===")
        for step in _script(alice, bob, addresses, coingecko):
            if step.setup is not None:
                step.setup()
            seen = {m.message_id for m in tg.messages(step.user.chat_id)}
            photos_before = len(_photo_names(tg, step.user.chat_id))
            if step.listen:
                seen = set()
            elif step.press is not None:
                _press(tg, step.user, step.press)
            else:
                tg.send(step.user, step.text)

            def answered(
                messages: list[BotMessage], step: Step = step, seen: set[int] = seen
            ) -> bool:
                # a press may edit the message it is under (settings) instead of sending one
                return any(
                    (m.message_id not in seen or (step.press and m.edits)) and step.expect(m.text)
                    for m in messages
                    if not step.listen or step.expect(m.text)
                )

            try:
                messages = tg.wait_for(step.user.chat_id, answered, timeout=40)
                ok = True
            except TimeoutError:
                messages = tg.messages(step.user.chat_id)
                ok = False
            print(f"\n👤 {step.user.first_name}: {step.text}")
            new_photos = iter(_photo_names(tg, step.user.chat_id)[photos_before:])
            for message in messages:
                if step.listen and not step.expect(message.text):
                    continue
                if message.message_id not in seen or (
                    step.press and message.edits and step.expect(message.text)
                ):
                    print(_render(message, next(new_photos, None) if message.photo else None))
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
