"""End to end, a @username that changed hands: the new holder gets the money, the quote shows
who they are and no address, and the former holder's wallet is not touched."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any

import pytest

from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")


def _ask(tg: TelegramSandbox, user: SandboxUser, text: str, expect: str) -> BotMessage:
    """Send `text`; the first new bot message whose text contains `expect`."""
    seen = {m.message_id for m in tg.messages(user.chat_id)}
    tg.send(user, text)

    def new(ms: list[BotMessage]) -> list[BotMessage]:
        return [m for m in ms if m.message_id not in seen and expect in m.text]

    return new(tg.wait_for(user.chat_id, lambda ms: bool(new(ms)), timeout=60))[0]


def _open_wallet(tg: TelegramSandbox, user: SandboxUser) -> str:
    found = ADDRESS.search(_ask(tg, user, "/wallet", "XRP").text)
    assert found
    return found.group(0)


def _holder(db: Any, username: str, expected: int) -> Any:
    """wallet.telegram_users' holder of `username`, polled until it is `expected` (10 s)."""
    deadline = time.monotonic() + 10
    while True:
        value = db.val(
            "SELECT telegram_id FROM wallet.telegram_users WHERE lower(username) = lower(%s)",
            username,
        )
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _balance(xrpl: Any, address: str) -> Decimal:
    info = xrpl("account_info", account=address, ledger_index="validated")
    return Decimal(info["account_data"]["Balance"])


def test_a_username_that_changed_hands_pays_its_new_holder_and_shows_no_address(
    telegram: TelegramSandbox, new_user: Any, db: Any, xrpl: Any
) -> None:
    alice, carol, dave = new_user("Alice"), new_user("Carol"), new_user("Dave")
    name = carol.username
    assert name is not None
    carol_address, dave_address = _open_wallet(telegram, carol), _open_wallet(telegram, dave)
    _open_wallet(telegram, alice)
    assert _holder(db, name, carol.user_id) == carol.user_id

    # Carol gives the name up and Dave takes it; Dave writes to the bot, Carol does not
    dave_renamed = SandboxUser(dave.user_id, dave.first_name, name, dave.language_code)
    _ask(telegram, dave_renamed, "/help", "/wallet")
    assert _holder(db, name, dave.user_id) == dave.user_id

    quote = _ask(telegram, alice, f"/send 1 @{name}", "Confirm within")
    assert f"To: @{name} (Dave)" in quote.text
    assert ADDRESS.search(quote.text) is None, "no custodial address in the quote"
    assert "last seen" not in quote.text, "a name seen just now is not stale"

    carol_before, dave_before = _balance(xrpl, carol_address), _balance(xrpl, dave_address)
    confirm = next(data for row in quote.buttons for text, data in row if "Confirm" in text)
    telegram.press(alice, quote.message_id, confirm)
    sent = telegram.wait_for(
        alice.chat_id,
        lambda ms: any(m.message_id == quote.message_id and "Sent" in m.text for m in ms),
        timeout=60,
    )
    [done] = [m for m in sent if m.message_id == quote.message_id]
    assert f"to @{name}" in done.text
    assert ADDRESS.search(done.text) is None
    assert _balance(xrpl, dave_address) == dave_before + 1_000_000
    assert _balance(xrpl, carol_address) == carol_before
