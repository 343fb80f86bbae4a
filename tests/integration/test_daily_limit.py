"""End to end: a user lowers their own daily sending limit in /settings, and wallet holds them
to it: a confirmed /send over it ends "not sent" with what is left today, one within it is
sent, and Default lifts it again. Users act through the Telegram stand-in; wallet keeps the
limit in its own schema."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
XRP = 1_000_000


def _open_wallet(tg: TelegramSandbox, user: SandboxUser) -> str:
    found = ADDRESS.search(tg.ask(user, "/wallet", "XRP", timeout=60).text)
    assert found
    return found.group(0)


def _press(tg: TelegramSandbox, user: SandboxUser, message: BotMessage, label: str) -> None:
    tg.press(user, message.message_id, message.button(label))


def _choose_limit(
    tg: TelegramSandbox, user: SandboxUser, screen: BotMessage, label: str, shows: str
) -> BotMessage:
    """/settings → Daily limit → `label`; the settings screen once it `shows` the new limit."""
    _press(tg, user, screen, "Daily limit")
    choice = tg.wait_message(
        user, screen.message_id, lambda m: "Choose your daily sending limit" in m.text
    )
    _press(tg, user, choice, label)
    return tg.wait_message(user, screen.message_id, lambda m: shows in m.text)


def _send(tg: TelegramSandbox, user: SandboxUser, text: str) -> BotMessage:
    """`/send …`, Confirm; the message once it says Sent or not sent."""
    quote = tg.ask(user, text, "Confirm within", timeout=60)
    tg.press(user, quote.message_id, quote.button("Confirm"))
    return tg.wait_message(
        user, quote.message_id, lambda m: m.text.startswith(("✅ Sent", "❌")), timeout=60
    )


def _own_limit(db: Any, user: SandboxUser, expected: int | None) -> Any:
    """wallet.wallets.daily_limit_drops, polled until it is `expected` or 10 seconds pass."""
    deadline = time.monotonic() + 10
    while True:
        value = db.val(
            "SELECT daily_limit_drops FROM wallet.wallets WHERE telegram_id = %s", user.user_id
        )
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _balance(xrpl: Any, address: str) -> int:
    info = xrpl("account_info", account=address, ledger_index="validated")
    return int(info["account_data"]["Balance"])


def test_a_lowered_daily_limit_is_kept_by_wallet(
    ready: Stack, telegram: TelegramSandbox, new_user: Any, db: Any, xrpl: Any
) -> None:
    tg, alice, bob = telegram, new_user("Alice"), new_user("Bob")
    alice_address = _open_wallet(tg, alice)
    _open_wallet(tg, bob)
    # enough XRP that only the limit can stop a send (the faucet's first payment is 100 XRP)
    httpx.post(
        ready.env["XRPL_FAUCET_URL"],
        json={"destination": alice_address, "xrpAmount": "1000"},
        timeout=30,
    ).raise_for_status()
    deadline = time.monotonic() + 60
    while _balance(xrpl, alice_address) < 1_000 * XRP:
        assert time.monotonic() < deadline, "the faucet's second payment was not validated"
        time.sleep(0.2)

    screen = tg.ask(alice, "/settings", "Daily sending limit")
    assert "Daily sending limit: 10,000 XRP (the default)" in screen.text
    screen = _choose_limit(tg, alice, screen, "100 XRP", "Daily sending limit: 100 XRP (yours")
    assert "You can send up to 100 XRP more in the next 24 hours." in screen.text
    assert _own_limit(db, alice, 100 * XRP) == 100 * XRP

    over = _send(tg, alice, f"/send 150 @{bob.username}")
    assert over.text.startswith(f"❌ 150 XRP to @{bob.username} — not sent."), over.text
    assert "over your daily sending limit" in over.text
    assert "up to 100 XRP more in the next 24 hours" in over.text

    within = _send(tg, alice, f"/send 60 @{bob.username}")
    assert within.text.startswith(f"✅ Sent 60 XRP to @{bob.username}"), within.text
    left = tg.ask(alice, "/settings", "Daily sending limit")
    assert "You can send up to 40 XRP more in the next 24 hours." in left.text

    screen = _choose_limit(tg, alice, left, "Default", "(the default)")
    assert "Daily sending limit: 10,000 XRP (the default)" in screen.text
    assert _own_limit(db, alice, None) is None
    again = _send(tg, alice, f"/send 150 @{bob.username}")
    assert again.text.startswith(f"✅ Sent 150 XRP to @{bob.username}"), again.text
