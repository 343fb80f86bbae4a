"""A payment survives a crash of the transfer or wallet service at the worst moment, and XRP
from an address outside the bot is noticed once. Users act through the Telegram stand-in; the
ledger is the XRPL stand-in; the services are real processes, killed with SIGKILL."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from xrpl.clients import JsonRpcClient
from xrpl.models.transactions import Payment
from xrpl.transaction import submit_and_wait
from xrpl.wallet import Wallet

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")


def open_wallet(tg: TelegramSandbox, user: SandboxUser) -> str:
    found = ADDRESS.search(tg.ask(user, "/wallet", "XRP").text)
    assert found
    return found.group(0)


def balance(xrpl: Any, address: str) -> int:
    return int(
        xrpl("account_info", account=address, ledger_index="validated")["account_data"]["Balance"]
    )


def payments_from(xrpl: Any, address: str) -> list[dict[str, Any]]:
    """Validated Payments sent by `address` (account_tx, API v2 shape)."""
    result = xrpl(
        "account_tx", account=address, ledger_index_min=-1, ledger_index_max=-1, api_version=2
    )
    txs = [t["tx_json"] for t in result["transactions"] if t.get("validated")]
    return [t for t in txs if t["TransactionType"] == "Payment" and t["Account"] == address]


def is_final(message: BotMessage) -> bool:
    return message.text.startswith(("✅ Sent", "❌"))


@pytest.mark.parametrize("service", ["transfer", "wallet"])
def test_a_crash_right_after_confirm_sends_exactly_once(
    telegram: TelegramSandbox, new_user: Any, xrpl: Any, ready: Stack, service: str
) -> None:
    alice, bob = new_user("Alice"), new_user("Bob")
    alice_address, bob_address = open_wallet(telegram, alice), open_wallet(telegram, bob)
    bob_before = balance(xrpl, bob_address)
    quote = telegram.ask(alice, f"/send 6 @{bob.username}", "Confirm within", timeout=60)

    telegram.press(alice, quote.message_id, quote.button("Confirm"))
    time.sleep(0.3)  # the confirm is on its way: stored, or being signed, or submitted
    ready.restart(service, crash=True)

    sent = telegram.wait_message(alice, quote.message_id, is_final, timeout=90)
    assert sent.text.startswith("✅ Sent 6 XRP"), sent.text
    assert not any("fail" in e.lower() for e in sent.edits)
    time.sleep(2)  # a second payment, if any, would be validated by now
    assert balance(xrpl, bob_address) == bob_before + 6_000_000
    assert len(payments_from(xrpl, alice_address)) == 1


def test_xrp_from_outside_the_bot_is_announced_once(
    telegram: TelegramSandbox, new_user: Any, xrpl: Any, ready: Stack
) -> None:
    carol = new_user("Carol")
    address = open_wallet(telegram, carol)
    # the faucet creates and funds a new account when asked without a destination (its seed is
    # in the answer, as Testnet's faucet does)
    outsider = Wallet.from_seed(
        httpx.post(ready.env["XRPL_FAUCET_URL"], json={}, timeout=30).json()["seed"]
    )
    time.sleep(2)  # the faucet payment validates
    client = JsonRpcClient(ready.env["XRPL_RPC_URL"])
    submit_and_wait(
        Payment(
            account=outsider.address, destination=address, amount="7500000", destination_tag=9
        ),
        client,
        outsider,
    )
    messages = telegram.wait_for(
        carol.chat_id, lambda ms: any("You received 7.5 XRP" in m.text for m in ms), timeout=60
    )
    (alert,) = [m for m in messages if "You received 7.5 XRP" in m.text]
    shown = f"{outsider.address[:5]}…{outsider.address[-4:]}"  # shortened, as in /history
    assert shown in alert.text, alert.text
    time.sleep(3)
    again = [m for m in telegram.messages(carol.chat_id) if "You received 7.5 XRP" in m.text]
    assert len(again) == 1, "announced exactly once"
