"""End to end: users talk to the bot through the Telegram stand-in; every answer travels through
RabbitMQ and each service's own schema; we check the chat, the database and the ledger."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from cryptography.fernet import Fernet, MultiFernet
from xrpl.wallet import Wallet

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import BotMessage, SandboxUser, TelegramSandbox

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")


def ask(
    tg: TelegramSandbox, user: SandboxUser, text: str, expect: str, timeout: float = 40
) -> BotMessage:
    """Send `text`; return the first new bot message whose final text contains `expect`."""
    seen = {m.message_id for m in tg.messages(user.chat_id)}
    tg.send(user, text)
    messages = tg.wait_for(
        user.chat_id,
        lambda ms: any(m.message_id not in seen and expect.lower() in m.text.lower() for m in ms),
        timeout=timeout,
    )
    return next(
        m for m in messages if m.message_id not in seen and expect.lower() in m.text.lower()
    )


def open_wallet(tg: TelegramSandbox, user: SandboxUser) -> tuple[str, BotMessage]:
    """/wallet until the answer shows a funded address; returns (address, message)."""
    message = ask(tg, user, "/wallet", "XRP")
    found = ADDRESS.search(message.text)
    assert found, message.text
    return found.group(0), message


def xrp(drops: int) -> str:
    """Drops as the bot writes XRP: thousands separators, no trailing zeros."""
    return f"{Decimal(drops) / 1_000_000:,.6f}".rstrip("0").rstrip(".")


def test_two_users_get_funded_wallets_and_see_their_balance(
    telegram: TelegramSandbox, new_user: Any, db: Any, xrpl: Any, ready: Stack
) -> None:
    alice, bob = new_user("Alice"), new_user("Bob")
    for user in (alice, bob):
        address, message = open_wallet(telegram, user)
        # the answer replaced its placeholder, or came within the delay as the only message
        assert all("…" in e for e in message.edits), message.edits

        rows = db.rows(
            "SELECT address, encrypted_seed, funded_at FROM wallet.wallets WHERE telegram_id = %s",
            user.user_id,
        )
        assert len(rows) == 1
        row = rows[0]
        assert row["address"] == address
        assert row["funded_at"] is not None
        keys = MultiFernet([Fernet(k) for k in ready.env["WALLET_FERNET_KEYS"].split(",")])
        seed = keys.decrypt(row["encrypted_seed"].encode()).decode()
        assert Wallet.from_seed(seed).address == address

        info = xrpl("account_info", account=address, ledger_index="validated")
        assert info["validated"] is True
        balance = int(info["account_data"]["Balance"])
        assert balance > 0

        answer = ask(telegram, user, "/balance", "reserve")
        assert xrp(balance) in answer.text
        assert address in answer.text


def test_second_wallet_returns_the_same_account(
    telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    user = new_user("Carol")
    first, _ = open_wallet(telegram, user)
    second, _ = open_wallet(telegram, user)
    assert first == second
    count = db.val("SELECT count(*) FROM wallet.wallets WHERE telegram_id = %s", user.user_id)
    assert count == 1


def test_balance_without_wallet_says_how_to_create_one(
    telegram: TelegramSandbox, new_user: Any, db: Any
) -> None:
    user = new_user("Dave")
    answer = ask(telegram, user, "/balance", "/wallet")
    assert "XRP" not in answer.text.split("/wallet")[0] or "wallet" in answer.text.lower()
    assert db.val("SELECT count(*) FROM wallet.wallets WHERE telegram_id = %s", user.user_id) == 0


def test_start_and_help_explain_the_bot(telegram: TelegramSandbox, new_user: Any) -> None:
    user = new_user("Erin")
    welcome = ask(telegram, user, "/start", "/wallet")
    assert "testnet" in welcome.text.lower()
    help_ = ask(telegram, user, "/help", "/balance")
    assert "/wallet" in help_.text


def test_no_seed_in_logs_events_replies_or_database(
    telegram: TelegramSandbox, new_user: Any, db: Any, ready: Stack
) -> None:
    user = new_user("Frank")
    open_wallet(telegram, user)
    ask(telegram, user, "/balance", "reserve")
    keys = MultiFernet([Fernet(k) for k in ready.env["WALLET_FERNET_KEYS"].split(",")])
    seeds = [
        keys.decrypt(r["encrypted_seed"].encode()).decode()
        for r in db.rows("SELECT encrypted_seed FROM wallet.wallets")
    ]
    assert seeds
    private_keys = [Wallet.from_seed(s).private_key for s in seeds]
    secrets_ = seeds + private_keys + ready.env["WALLET_FERNET_KEYS"].split(",")

    logs = "".join(p.read_text(errors="replace") for p in ready.run_dir.glob("*.log"))
    for secret in secrets_:
        assert secret not in logs

    # every message that went over the bus passed through an outbox
    bodies = []
    for schema in ("wallet", "transfer", "pricing", "gateway"):
        bodies += [r["body"] for r in db.rows(f"SELECT body FROM {schema}.outbox")]
    everything = json.dumps(bodies)
    chat = json.dumps([m.text for m in telegram.messages(user.chat_id)])
    for secret in secrets_:
        assert secret not in everything
        assert secret not in chat

    # and nowhere in the database as plain text
    tables = db.rows(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_schema IN ('wallet','transfer','pricing','gateway')"
    )
    for t in tables:
        dump = db.rows(f'SELECT t::text AS row FROM "{t["table_schema"]}"."{t["table_name"]}" t')
        text = "".join(r["row"] for r in dump)
        for secret in seeds + private_keys:
            assert secret not in text, f"{t['table_schema']}.{t['table_name']}"
