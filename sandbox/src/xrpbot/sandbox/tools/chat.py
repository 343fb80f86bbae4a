"""`make chat`: talk to the bot in the terminal as a sandbox user.

Starts the system in the background if it is not running (and stops it on exit). Type a message
and press Enter; inline buttons are shown numbered — type the number to press one. /quit leaves.
CHAT_LANGUAGE sets the user's Telegram language_code (en by default; try es or ru), which the
bot follows until a language is chosen in /settings.
"""

from __future__ import annotations

import os
import sys
import time

from .stack import Stack, from_environment
from .telegram_control import BotMessage, SandboxUser, TelegramSandbox

__all__ = ["main"]


def _show(message: BotMessage, buttons: list[tuple[int, str]]) -> None:
    print("\n🤖 " + message.text.replace("\n", "\n   "))
    if message.photo:
        print("   [photo]")
    for row in message.buttons:
        cells = []
        for label, data in row:
            if data.startswith(("http://", "https://", "tg://")):
                cells.append(f"🔗 {label} <{data}>")  # a link opens in the browser, no press
                continue
            buttons.append((message.message_id, data))
            cells.append(f"[{len(buttons)}] {label}")
        print("   " + "   ".join(cells))


def main() -> int:
    """The interactive loop; returns the exit status."""
    stack = from_environment()

    if all(code == 200 for code in stack.readiness().values()):
        print("Using the running xrpbot.")
        started: Stack | None = None
    else:
        print("Starting xrpbot in the background (logs in .run/) ...", flush=True)
        stack.start()
        started = stack
    if "telegram" not in stack.sandbox_parts:
        print("make chat talks through the Telegram stand-in; unset TELEGRAM_BOT_TOKEN")
        return 1
    tg = TelegramSandbox(
        f"http://{stack.env['SANDBOX_HOST']}:{stack.env['SANDBOX_TELEGRAM_PORT']}"
    )
    user_id = int(os.environ.get("CHAT_USER_ID", "5550001"))
    user = SandboxUser(
        user_id,
        os.environ.get("CHAT_FIRST_NAME", "You"),
        os.environ.get("CHAT_USERNAME", "you"),
        os.environ.get("CHAT_LANGUAGE", "en") or None,
    )
    print(f"You are {user.first_name} (Telegram id {user.user_id}). Try /start. /quit leaves.")
    shown: dict[int, str] = {m.message_id: m.text for m in tg.messages(user.chat_id)}
    buttons: list[tuple[int, str]] = []
    try:
        while True:
            try:
                line = input("\n👤 you> ").strip()
            except EOFError:
                break
            if line in {"/quit", "/exit"}:
                break
            if not line:
                continue
            if line.isdigit() and 0 < int(line) <= len(buttons):
                message_id, data = buttons[int(line) - 1]
                tg.press(user, message_id, data)
            else:
                tg.send(user, line)
            deadline = time.monotonic() + 8
            quiet_since = time.monotonic()
            while time.monotonic() < deadline and time.monotonic() - quiet_since < 1.5:
                for message in tg.messages(user.chat_id):
                    if shown.get(message.message_id) != message.text:
                        shown[message.message_id] = message.text
                        _show(message, buttons)
                        quiet_since = time.monotonic()
                time.sleep(0.15)
    except KeyboardInterrupt:
        pass
    finally:
        if started:
            print("\nStopping ...")
            started.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
