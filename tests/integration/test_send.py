"""End to end /send: quote → Confirm → "Sent…" with an explorer link, the recipient's
"You received…", double and foreign presses, Cancel, refusals (destination rules included),
/history pages, and the step-by-step flow across a gateway restart. Users act through the
Telegram stand-in; payments land on the XRPL stand-in."""

from __future__ import annotations

import re
import secrets
import time
from decimal import Decimal
from typing import Any

import httpx
import pytest
from xrpl.clients import JsonRpcClient
from xrpl.core.addresscodec import classic_address_to_xaddress
from xrpl.models.transactions import AccountSet, AccountSetAsfFlag
from xrpl.transaction import submit_and_wait
from xrpl.wallet import Wallet

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
TX_URL = re.compile(r"^https://testnet\.xrpl\.org/transactions/[0-9A-F]{64}$")


# ---- helpers (tests do not import each other; the stand-in's client has ask/wait_message) ----


def open_wallet(tg: TelegramSandbox, user: SandboxUser) -> str:
    """/wallet until a funded address shows; returns it."""
    message = tg.ask(user, "/wallet", "XRP")
    found = ADDRESS.search(message.text)
    assert found, message.text
    return found.group(0)


def xrp(drops: int) -> str:
    """Drops as the bot writes XRP."""
    return f"{Decimal(drops) / 1_000_000:,.6f}".rstrip("0").rstrip(".")


def quote_for(tg: TelegramSandbox, user: SandboxUser, text: str) -> BotMessage:
    """Send a /send command; return the quote (the placeholder edited, with its buttons)."""
    quote = tg.ask(user, text, "Confirm within", timeout=60)
    assert quote.buttons, quote.text
    return quote


def balance(xrpl: Any, address: str) -> int:
    """Validated balance in drops."""
    return int(
        xrpl("account_info", account=address, ledger_index="validated")["account_data"]["Balance"]
    )


@pytest.fixture
def pair(telegram: TelegramSandbox, new_user: Any) -> tuple[SandboxUser, SandboxUser, str, str]:
    """Alice and Bob, each with a funded wallet: (alice, bob, alice's address, bob's address)."""
    alice, bob = new_user("Alice"), new_user("Bob")
    return alice, bob, open_wallet(telegram, alice), open_wallet(telegram, bob)


def confirm_and_wait_sent(tg: TelegramSandbox, user: SandboxUser, quote: BotMessage) -> BotMessage:
    """Press Confirm under `quote`; return the message once it says Sent (or fail)."""
    tg.press(user, quote.message_id, quote.button("Confirm"))
    return tg.wait_message(
        user, quote.message_id, lambda m: m.text.startswith(("✅ Sent", "❌")), timeout=60
    )


# ---- the happy path ------------------------------------------------------------------------


def test_send_to_a_bot_user_quote_confirm_sent_and_received(
    telegram: TelegramSandbox, pair: Any, xrpl: Any
) -> None:
    alice, bob, alice_address, bob_address = pair
    bob_before = balance(xrpl, bob_address)

    quote = quote_for(telegram, alice, f"/send 10 @{bob.username}")
    for words in (
        f"To: @{bob.username} (Bob)",
        "10 XRP",
        "Network fee",
        "balance after",
        "stays reserved in your account",
        "2 minutes",
    ):
        assert words.lower() in quote.text.lower(), words
    assert bob_address not in quote.text, "a bot user is shown as who they are, not by address"
    # the quote came within the placeholder delay (the only message), or replaced the placeholder
    assert set(quote.edits) <= {"Checking your payment…"}, quote.edits

    sent = confirm_and_wait_sent(telegram, alice, quote)
    assert sent.text.startswith(f"✅ Sent 10 XRP to @{bob.username} · fee "), sent.text
    assert any("Sending" in e for e in sent.edits), "it said Sending… before the outcome"
    assert not any("fail" in e.lower() for e in sent.edits), "never a false 'failed'"
    urls = [data for row in sent.buttons for _, data in row]
    assert any(TX_URL.match(u) for u in urls), urls

    received = telegram.wait_for(
        bob.chat_id,
        lambda ms: any("You received 10 XRP" in m.text for m in ms),
        timeout=60,
    )
    [note] = [m for m in received if "You received 10 XRP" in m.text]
    assert f"from @{alice.username}" in note.text
    assert balance(xrpl, bob_address) == bob_before + 10_000_000
    assert alice_address != bob_address


def test_a_double_confirm_sends_once_and_says_why(
    telegram: TelegramSandbox, pair: Any, xrpl: Any, ready: Stack, forged_press: Any
) -> None:
    alice, bob, _, bob_address = pair
    bob_before = balance(xrpl, bob_address)
    quote = quote_for(telegram, alice, f"/send 2 @{bob.username}")
    data = quote.button("Confirm")
    seen = {m.message_id for m in telegram.messages(alice.chat_id)}
    telegram.press(alice, quote.message_id, data)
    forged_press(alice, alice, quote, data)  # the second tap, racing the first

    sent = telegram.wait_message(alice, quote.message_id, lambda m: m.text.startswith("✅ Sent"))
    assert "2 XRP" in sent.text
    refusal = telegram.wait_new(alice, seen, "already confirmed")
    assert refusal.message_id != quote.message_id
    time.sleep(3)  # let any second payment surface
    assert balance(xrpl, bob_address) == bob_before + 2_000_000
    final = next(m for m in telegram.messages(alice.chat_id) if m.message_id == quote.message_id)
    assert final.text.startswith("✅ Sent"), "the refusal did not overwrite the outcome"


def test_cancel_sends_nothing_and_a_later_confirm_is_refused(
    telegram: TelegramSandbox, pair: Any, xrpl: Any, ready: Stack, forged_press: Any
) -> None:
    alice, bob, _, bob_address = pair
    bob_before = balance(xrpl, bob_address)
    quote = quote_for(telegram, alice, f"/send 3 @{bob.username}")
    confirm = quote.button("Confirm")
    telegram.press(alice, quote.message_id, quote.button("Cancel"))
    cancelled = telegram.wait_message(
        alice, quote.message_id, lambda m: "nothing was sent" in m.text
    )
    assert cancelled.buttons == []

    seen = {m.message_id for m in telegram.messages(alice.chat_id)}
    forged_press(alice, alice, quote, confirm)
    telegram.wait_new(alice, seen, "cancelled")
    time.sleep(2)
    assert balance(xrpl, bob_address) == bob_before


def test_someone_elses_quote_cannot_be_confirmed(
    telegram: TelegramSandbox, pair: Any, xrpl: Any, ready: Stack, forged_press: Any
) -> None:
    alice, bob, _, bob_address = pair
    bob_before = balance(xrpl, bob_address)
    quote = quote_for(telegram, alice, f"/send 4 @{bob.username}")
    seen = {m.message_id for m in telegram.messages(bob.chat_id)}
    forged_press(bob, alice, quote, quote.button("Confirm"))
    telegram.wait_new(bob, seen, "isn't yours")
    untouched = next(
        m for m in telegram.messages(alice.chat_id) if m.message_id == quote.message_id
    )
    assert untouched.text == quote.text
    assert untouched.buttons, "Alice can still confirm her own quote"
    assert balance(xrpl, bob_address) == bob_before


# ---- refusals ------------------------------------------------------------------------------


def test_refusals_are_worded(telegram: TelegramSandbox, pair: Any, new_user: Any) -> None:
    alice, bob, alice_address, _ = pair
    cases = [
        (f"/send abc @{bob.username}", "isn't an amount of XRP"),
        (f"/send 0 @{bob.username}", "more than zero"),
        (f"/send -3 @{bob.username}", "more than zero"),
        (f"/send 1.1234567 @{bob.username}", "at most 6 decimals"),
        (f"/send 100000 @{bob.username}", "you can send at most"),
        (
            "/send 1 @nobody_here_" + secrets.token_hex(3),
            "I don't know a wallet for @nobody_here_",
        ),
        ("/send 1 rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDZ", "isn't a valid XRP Ledger address"),
        (f"/send 1 {alice_address}", "your own wallet"),
        (f"/send 1 @{alice.username}", "your own wallet"),
        # hostile input: read by the one parser, refused at once in its own words
        (f"/send 1e999999999 @{bob.username}", "write the amount in full"),
        (f"/send \u0661\u0660 @{bob.username}", "plain digits 0 to 9"),  # Arabic-Indic 10
        ("/send 1 rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY ²", "plain digits 0 to 9"),
        (f"/send 100000000000000 @{bob.username}", "more than all the XRP there is"),
    ]
    for text, words in cases:
        answer = telegram.ask(alice, text, words, timeout=60)
        assert answer.buttons == [], text

    stranger = new_user("Nina")
    telegram.ask(stranger, f"/send 1 @{bob.username}", "/wallet")
    # a bot user without a wallet: the sender is told they must open the bot first
    lurker = new_user("Lou")
    telegram.ask(lurker, "/start", "/wallet")
    telegram.ask(alice, f"/send 1 @{lurker.username}", "open this bot")


def _funded_wallet(ready: Stack, *flags: AccountSetAsfFlag) -> Wallet:
    wallet = Wallet.create()
    httpx.post(ready.env["XRPL_FAUCET_URL"], json={"destination": wallet.address}, timeout=30)
    client = JsonRpcClient(ready.env["XRPL_RPC_URL"])
    deadline = time.monotonic() + 60
    while True:
        info = httpx.post(
            ready.env["XRPL_RPC_URL"],
            json={
                "method": "account_info",
                "params": [{"account": wallet.address, "ledger_index": "validated"}],
            },
            timeout=10,
        ).json()["result"]
        if info.get("validated") and "account_data" in info:
            break
        assert time.monotonic() < deadline, "the faucet did not fund the account"
        time.sleep(0.3)
    for flag in flags:
        submit_and_wait(AccountSet(account=wallet.address, set_flag=flag), client, wallet)
    return wallet


def test_ledger_side_refusals(telegram: TelegramSandbox, pair: Any, ready: Stack) -> None:
    alice = pair[0]
    needs_tag = _funded_wallet(ready, AccountSetAsfFlag.ASF_REQUIRE_DEST)
    telegram.ask(alice, f"/send 1 {needs_tag.address}", "requires a destination tag", timeout=60)
    quote_for(telegram, alice, f"/send 1 {needs_tag.address} 42")

    no_xrp = _funded_wallet(ready, AccountSetAsfFlag.ASF_DISALLOW_XRP)
    telegram.ask(alice, f"/send 1 {no_xrp.address}", "asks not to be sent XRP", timeout=60)

    unfunded = Wallet.create().address
    telegram.ask(alice, f"/send 0.5 {unfunded}", "doesn't exist on the ledger yet", timeout=60)


def test_destination_rules_refuse_before_confirm_and_nothing_is_spent(
    telegram: TelegramSandbox, pair: Any, ready: Stack, xrpl: Any
) -> None:
    alice, _, alice_address, _ = pair
    guarded = _funded_wallet(ready, AccountSetAsfFlag.ASF_DEPOSIT_AUTH)
    mainnet = classic_address_to_xaddress(guarded.address, 7, is_test_network=False)
    before = balance(xrpl, alice_address)
    cases = [
        (f"/send 5 {guarded.address}", "only accepts payments from senders it has approved"),
        ("/send 1 rrrrrrrrrrrrrrrrrrrrrhoLvTp", "XRP sent there is lost forever"),
        (f"/send 1 {mainnet}", "for a different XRP Ledger network"),
    ]
    for text, words in cases:
        answer = telegram.ask(alice, text, words, timeout=60)
        assert answer.buttons == [], text  # nothing to confirm

    assert balance(xrpl, alice_address) == before  # no fee burnt on a tecNO_PERMISSION


# ---- /history ------------------------------------------------------------------------------


def test_history_pages_through_sent_and_received(telegram: TelegramSandbox, pair: Any) -> None:
    alice, bob, _, _ = pair
    for i in range(6):
        quote = quote_for(telegram, alice, f"/send 1.{i} @{bob.username}")
        sent = confirm_and_wait_sent(telegram, alice, quote)
        assert sent.text.startswith("✅ Sent"), sent.text

    first = telegram.ask(alice, "/history", "page 1 of", timeout=60)
    assert first.text.count("⬆️") + first.text.count("⬇️") == 5, first.text
    assert f"1.5 XRP to @{bob.username}" in first.text, "newest first"
    pages, page = [first], first
    while any("Next" in text for row in page.buttons for text, _ in row):
        number = len(pages) + 1
        telegram.press(alice, page.message_id, page.button("Next"))
        page = telegram.wait_message(
            alice, first.message_id, lambda m, n=number: f"page {n} of" in m.text
        )
        assert page.button("Previous")
        pages.append(page)
    assert len(pages) >= 2
    assert sum(p.text.count(f"@{bob.username}") for p in pages) == 6
    assert f"1 XRP to @{bob.username}" in pages[-1].text or len(pages) > 2

    bobs = telegram.ask(bob, "/history", "received", timeout=60)
    assert f"from @{alice.username}" in bobs.text


def test_empty_history_is_friendly_and_the_funding_is_the_first_entry(
    telegram: TelegramSandbox, new_user: Any
) -> None:
    user = new_user("Hana")
    telegram.ask(user, "/history", "No payments yet", timeout=60)
    open_wallet(telegram, user)
    history = telegram.ask(user, "/history", "page 1 of", timeout=60)
    assert "+100 XRP from" in history.text, history.text
    time.sleep(2)  # the watcher has read the funding ledger by now
    texts = [m.text for m in telegram.messages(user.chat_id)]
    assert not any("You received 100 XRP" in t for t in texts), "/wallet already said it"


# ---- the step-by-step flow -----------------------------------------------------------------


def test_step_by_step_with_no_tag_button(
    telegram: TelegramSandbox, pair: Any, ready: Stack
) -> None:
    alice = pair[0]
    target = _funded_wallet(ready)
    telegram.ask(alice, "/send", "How much XRP")
    telegram.ask(alice, "1.5", "Who should receive 1.5 XRP")
    question = telegram.ask(alice, target.address, "destination tag")
    telegram.press(alice, question.message_id, question.button("No tag"))
    quote = telegram.wait_message(alice, question.message_id, lambda m: "Confirm within" in m.text)
    assert target.address in quote.text
    assert "1.5 XRP" in quote.text


def test_cancel_leaves_the_flow(telegram: TelegramSandbox, pair: Any) -> None:
    alice = pair[0]
    telegram.ask(alice, "/send", "How much XRP")
    telegram.ask(alice, "/cancel", "nothing was sent")
    telegram.ask(alice, "5", "didn't catch that")


def test_send_button_on_balance_starts_the_flow(telegram: TelegramSandbox, pair: Any) -> None:
    alice = pair[0]
    answer = telegram.ask(alice, "/balance", "reserve")
    seen = {m.message_id for m in telegram.messages(alice.chat_id)}
    telegram.press(alice, answer.message_id, answer.button("Send"))
    telegram.wait_new(alice, seen, "How much XRP")


def test_the_flow_survives_a_gateway_restart(
    telegram: TelegramSandbox, pair: Any, ready: Stack
) -> None:
    alice, bob, _, _ = pair
    telegram.ask(alice, "/send", "How much XRP")
    telegram.ask(alice, "2", "Who should receive 2 XRP")

    ready.restart("gateway", crash=True)  # no graceful shutdown: the state is in Postgres

    quote = quote_for(telegram, alice, f"@{bob.username}")
    assert "2 XRP" in quote.text
    assert f"@{bob.username}" in quote.text


def test_send_in_dollars_converts_at_the_latest_rate_and_shows_it(
    telegram: TelegramSandbox, pair: Any, xrpl: Any, ready: Stack
) -> None:
    alice, bob, _, bob_address = pair
    # the gateway learns rates from pricing's refreshes; /prices makes one now
    telegram.ask(alice, "/prices usd", "1 XRP =", timeout=60)
    bob_before = balance(xrpl, bob_address)
    quote = quote_for(telegram, alice, f"/send 5 usd @{bob.username}")  # any case
    assert "= 5.00 USD at 1 XRP =" in quote.text, quote.text
    amount = re.search(r"Amount: ([0-9.,]+) XRP", quote.text)
    assert amount, quote.text
    drops = int(Decimal(amount.group(1).replace(",", "")) * 1_000_000)
    sent = confirm_and_wait_sent(telegram, alice, quote)
    assert sent.text.startswith("✅ Sent"), sent.text
    assert balance(xrpl, bob_address) == bob_before + drops
