"""End to end: the menu's buttons, /receive with its QR code, /settings stored (the
languages themselves: test_languages.py), throttling of one user while another is served, admin
commands (/stats, /broadcast skipping inactive chats) and their refusal to others. Users act
through the Telegram stand-in."""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

ADMIN_ID = 5_999_999_999  # the conftest's ADMIN_IDS
ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")


def open_wallet(tg: TelegramSandbox, user: SandboxUser) -> str:
    """/wallet until a funded address shows; returns it."""
    found = ADDRESS.search(tg.ask(user, "/wallet", "XRP", timeout=60).text)
    assert found
    return found.group(0)


def press(tg: TelegramSandbox, user: SandboxUser, message: BotMessage, label: str) -> None:
    tg.press(user, message.message_id, message.button(label))


def qr_text(tg: TelegramSandbox, user: SandboxUser, message: BotMessage) -> str:
    """The text of the QR code in a photo message the bot sent."""
    r = tg.client.get(
        f"{tg.base_url}/sandbox/photo",
        params={"chat_id": user.chat_id, "message_id": message.message_id},
    )
    r.raise_for_status()
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(r.content)))
    return str(code.text)


def test_menu_buttons_and_receive_with_its_qr_code(
    telegram: TelegramSandbox, new_user: Any
) -> None:
    tg, user = telegram, new_user("Menu")
    welcome = tg.ask(user, "/start", "/wallet")
    for label in ("Balance", "Send", "Receive", "History", "Prices", "Settings", "Help"):
        welcome.button(label)
    seen = {m.message_id for m in tg.messages(user.chat_id)}
    press(tg, user, welcome, "Balance")
    tg.wait_new(user, seen, "send /wallet")  # no wallet yet: told how to create one
    address = open_wallet(tg, user)

    seen = {m.message_id for m in tg.messages(user.chat_id)}
    press(tg, user, welcome, "Receive")
    receive = tg.wait_new(user, seen, "No destination tag is needed")
    assert receive.photo
    assert address in receive.text
    assert qr_text(tg, user, receive) == f"https://xaman.app/detect/request:{address}"

    with_amount = tg.ask(user, "/receive 25", "No destination tag is needed")
    assert "25 XRP" in with_amount.text
    assert qr_text(tg, user, with_amount) == (
        f"https://xaman.app/detect/request:{address}?amount=25"
    )

    seen = {m.message_id for m in tg.messages(user.chat_id)}
    press(tg, user, welcome, "History")
    tg.wait_new(user, seen, "payments")
    seen = {m.message_id for m in tg.messages(user.chat_id)}
    press(tg, user, welcome, "Help")
    tg.wait_new(user, seen, "Custodial")


def test_settings_are_stored_and_notifications_off_is_kept(
    telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    tg, user = telegram, new_user("Settings")
    screen = tg.ask(user, "/settings", "Payment notifications: on")
    press(tg, user, screen, "Language")
    choice = tg.wait_message(user, screen.message_id, lambda m: "Choose your language" in m.text)
    press(tg, user, choice, "Русский")
    # the choice takes effect at once: the screen comes back in Russian
    screen = tg.wait_message(user, screen.message_id, lambda m: "Язык: Русский" in m.text)
    press(tg, user, screen, "Валюта")
    choice = tg.wait_message(user, screen.message_id, lambda m: "Выберите валюту" in m.text)
    press(tg, user, choice, "GBP")
    screen = tg.wait_message(user, screen.message_id, lambda m: "Валюта: GBP" in m.text)
    press(tg, user, screen, "Выключить уведомления")
    off = "Уведомления о платежах: выключены"  # noqa: RUF001  Russian
    tg.wait_message(user, screen.message_id, lambda m: off in m.text)
    # the screen may be edited before the update's transaction commits: poll, with a deadline
    expected = [{"language": "ru", "fiat_currency": "gbp", "notifications": False}]
    deadline = time.monotonic() + 10
    while True:
        row = db.rows(
            "SELECT language, fiat_currency, notifications FROM gateway.user_settings "
            "WHERE telegram_id = %s",
            user.user_id,
        )
        if row == expected or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert row == expected


def test_a_fast_user_is_throttled_while_another_is_served(
    telegram: TelegramSandbox, new_user: Any
) -> None:
    tg, fast, calm = telegram, new_user("Fast"), new_user("Calm")
    sent = 12
    for _ in range(sent):
        tg.send(fast, "/help")
    calm_answer = tg.ask(calm, "/help", "Custodial")
    assert calm_answer.text
    notices = tg.wait_for(
        fast.chat_id, lambda ms: any("slow down" in m.text for m in ms), timeout=30
    )
    helps = [m for m in notices if "Custodial" in m.text]
    slow = [m for m in notices if "slow down" in m.text]
    assert 1 <= len(slow) < sent
    assert len(helps) < sent  # some commands were skipped, not answered
    assert len(helps) + len(slow) <= sent


def test_admin_commands_are_refused_to_others(telegram: TelegramSandbox, new_user: Any) -> None:
    user = new_user("Curious")
    telegram.ask(user, "/stats", "only for the bot's admins")
    telegram.ask(user, "/broadcast hello all", "only for the bot's admins")


def test_stats_and_a_broadcast_that_skips_inactive_chats(
    telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    tg = telegram
    admin = SandboxUser(ADMIN_ID, "Admin", "the_admin")
    reader, leaver = new_user("Reader"), new_user("Leaver")
    tg.ask(reader, "/help", "Custodial")
    tg.ask(leaver, "/help", "Custodial")
    stats = tg.ask(admin, "/stats", "Wallets:", timeout=60)
    for part in ("Users:", "Payments sent today:", "gateway.replies", "transfer.dead-letter"):
        assert part in stats.text

    tg.client.post(
        f"{tg.base_url}/sandbox/block", json={"user_id": leaver.user_id}
    ).raise_for_status()
    tg.ask(admin, "/broadcast First news", "Broadcast queued")
    tg.wait_new(admin, set(), "Broadcast done", timeout=120)
    assert db.val("SELECT active FROM gateway.chats WHERE chat_id = %s", leaver.user_id) is False

    calls = tg.client.get(f"{tg.base_url}/sandbox/calls", params={"method": "sendMessage"})
    after = calls.json()["last_seq"]
    seen = {m.message_id for m in tg.messages(admin.chat_id)}
    tg.ask(admin, "/broadcast Second news", "Broadcast queued")
    report = tg.wait_new(
        admin,
        seen | {m.message_id for m in tg.messages(admin.chat_id) if "Broadcast queued" in m.text},
        "Broadcast done",
        timeout=120,
    )
    assert "0 could not be reached" in report.text
    assert any("Second news" in m.text for m in tg.messages(reader.chat_id))
    calls = tg.client.get(
        f"{tg.base_url}/sandbox/calls", params={"method": "sendMessage", "after": after}
    ).json()["calls"]
    assert all(str(c["params"].get("chat_id")) != str(leaver.user_id) for c in calls)
