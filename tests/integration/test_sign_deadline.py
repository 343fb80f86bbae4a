"""A payment confirmed while wallet is down is given up after TRANSFER_SIGN_DEADLINE_SECONDS:
the user's message says it was not sent because it couldn't be signed in time, and when wallet
comes back nothing is signed or sent for it. The services are real processes; wallet is
stopped with SIGTERM and started again; the ledger is the XRPL stand-in."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import TelegramSandbox

from .conftest import Db
from .test_send_crash import balance, is_final, open_wallet, payments_from

pytestmark = pytest.mark.integration

DEADLINE_SECONDS = "8"
"""Short enough for a test, longer than one signing timeout (5 s), so wallet is asked first."""


def test_wallet_down_past_the_deadline_ends_not_sent_and_nothing_is_signed_later(
    telegram: TelegramSandbox, new_user: Any, xrpl: Any, ready: Stack, db: Db
) -> None:
    alice, bob = new_user("Alice"), new_user("Bob")
    alice_address, bob_address = open_wallet(telegram, alice), open_wallet(telegram, bob)
    bob_before, alice_before = balance(xrpl, bob_address), balance(xrpl, alice_address)
    transfer_env = ready.service_env.setdefault("transfer", {})
    transfer_env["TRANSFER_SIGN_DEADLINE_SECONDS"] = DEADLINE_SECONDS
    ready.restart("transfer")
    try:
        quote = telegram.ask(alice, f"/send 6 {bob_address}", "Confirm within", timeout=60)
        wallet = ready.procs["wallet"]
        wallet.send_signal(signal.SIGTERM)
        wallet.wait(60)

        telegram.press(alice, quote.message_id, quote.button("Confirm"))
        final = telegram.wait_message(alice, quote.message_id, is_final, timeout=90)
        assert final.text.startswith("❌"), final.text
        assert "not sent" in final.text, final.text
        assert "couldn't be signed in time" in final.text, final.text
    finally:
        transfer_env.pop("TRANSFER_SIGN_DEADLINE_SECONDS", None)
        ready.restart("wallet")  # not running: started again
        ready.restart("transfer")  # back to the default deadline

    # wallet is back and transfer has been running with it: a late signing or payment, if
    # any, would be validated by now (ledgers close every 0.5 s)
    time.sleep(3)
    assert (
        db.val("SELECT count(*) FROM wallet.signed_payments WHERE telegram_id = %s", alice.user_id)
        == 0
    ), "wallet signed nothing for it"
    assert (
        db.val(
            "SELECT state FROM transfer.transfers WHERE telegram_id = %s AND confirmed_at IS NOT NULL",
            alice.user_id,
        )
        == "failed"
    )
    assert payments_from(xrpl, alice_address) == []
    assert balance(xrpl, bob_address) == bob_before
    assert balance(xrpl, alice_address) == alice_before
    final_text = telegram.wait_message(alice, quote.message_id, is_final, timeout=5).text
    assert final_text == final.text, "the message still says not sent"
