"""Wallet bounds what it signs whoever asks, on the running system: requests go over the real
RabbitMQ with transfer's own credentials, as a thief who took over transfer's broker account
(but not its HMAC key) would send them. A normal /send still works, also while the HMAC keys
of wallet and transfer are rotated one service at a time."""

from __future__ import annotations

import asyncio
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import aio_pika
import pytest

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import SandboxUser, TelegramSandbox
from xrpbot.schemas import Actor, ErrorCode, PaymentSigned, SignPayment

pytestmark = pytest.mark.integration

ADDRESS = re.compile(r"\br[1-9A-HJ-NP-Za-km-z]{24,34}\b")
XRP = 1_000_000


def _payment(
    account: str, *, drops: int = XRP, fee: int = 12, sequence: int = 1
) -> dict[str, Any]:
    return {
        "TransactionType": "Payment",
        "Account": account,
        "Destination": "rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe",
        "Amount": str(drops),
        "Fee": str(fee),
        "Sequence": sequence,
        "LastLedgerSequence": 100_000,
    }


async def _ask_wallet(stack: Stack, request: SignPayment) -> PaymentSigned:
    """Publish `request` with transfer's broker credentials and wait for wallet's answer."""
    url = stack.service_env["transfer"]["RABBITMQ_URL"]
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        replies = await channel.get_queue("amq.rabbitmq.reply-to", ensure=False)
        answer: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

        async def take(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            if not answer.done():
                answer.set_result(message.body)

        await replies.consume(take, no_ack=True)
        commands = await channel.get_exchange("xrpbot.commands", ensure=False)
        await commands.publish(
            aio_pika.Message(
                request.model_dump_json().encode(),
                content_type="application/json",
                reply_to="amq.rabbitmq.reply-to",
                correlation_id=str(request.correlation_id),
            ),
            routing_key=request.kind,
        )
        return PaymentSigned.model_validate_json(await asyncio.wait_for(answer, 15))


def _key(stack: Stack, service: str) -> bytes:
    keys = stack.service_env[service].get(
        "SIGNING_REQUEST_KEYS", stack.env["SIGNING_REQUEST_KEYS"]
    )
    return keys.split(",")[0].strip().encode()


@pytest.fixture
def alice(telegram: TelegramSandbox, new_user: Any) -> tuple[SandboxUser, str]:
    user = new_user("Alice")
    message = telegram.ask(user, "/wallet", "XRP")
    found = ADDRESS.search(message.text)
    assert found, message.text
    return user, found.group(0)


def _request(user: SandboxUser, tx_json: dict[str, Any]) -> SignPayment:
    actor = Actor(telegram_id=user.user_id, username=user.username)
    return SignPayment.new(user=actor, chat_id=user.user_id, tx_json=tx_json)


async def test_wallet_refuses_what_transfer_did_not_sign_or_what_breaks_a_bound(
    ready: Stack, alice: tuple[SandboxUser, str]
) -> None:
    user, address = alice
    key = _key(ready, "transfer")
    now = datetime.now(UTC)
    unauthenticated = _request(user, _payment(address))
    forged = _request(user, _payment(address)).authenticated(
        b"a-key-wallet-does-not-hold-000000", issued_at=now, nonce=secrets.token_urlsafe(16)
    )
    stale = _request(user, _payment(address)).authenticated(
        key, issued_at=now - timedelta(minutes=10), nonce=secrets.token_urlsafe(16)
    )
    for request in (unauthenticated, forged, stale):
        answer = await _ask_wallet(ready, request)
        assert (answer.code, answer.tx_blob) == (ErrorCode.REQUEST_UNAUTHENTICATED, None)

    good = _request(user, _payment(address)).authenticated(
        key, issued_at=now, nonce=secrets.token_urlsafe(16)
    )
    signed = await _ask_wallet(ready, good)
    assert signed.code is None
    assert signed.tx_blob
    replayed = await _ask_wallet(ready, good)
    assert (replayed.code, replayed.tx_blob) == (ErrorCode.REQUEST_UNAUTHENTICATED, None)

    greedy_fee = _request(user, _payment(address, fee=99_999_999_999)).authenticated(
        key, issued_at=now, nonce=secrets.token_urlsafe(16)
    )
    assert (await _ask_wallet(ready, greedy_fee)).code == ErrorCode.FEE_TOO_HIGH

    over_limit = _request(user, _payment(address, drops=10_000 * XRP, sequence=2)).authenticated(
        key, issued_at=now, nonce=secrets.token_urlsafe(16)
    )
    answer = await _ask_wallet(ready, over_limit)
    assert answer.code == ErrorCode.DAILY_LIMIT_EXCEEDED
    assert answer.remaining_today_drops == 10_000 * XRP - XRP  # the good one counted
    assert answer.tx_blob is None


def _send_one(tg: TelegramSandbox, sender: SandboxUser, to_address: str) -> None:
    quote = tg.ask(sender, f"/send 1 {to_address}", "Confirm")
    tg.press(sender, quote.message_id, quote.button("Confirm"))
    tg.wait_message(sender, quote.message_id, lambda m: "Sent" in m.text, timeout=60)


def test_signing_keys_rotate_one_service_at_a_time_without_a_failed_payment(
    ready: Stack, telegram: TelegramSandbox, new_user: Any
) -> None:
    alice, bob = new_user("Alice"), new_user("Bob")
    telegram.ask(alice, "/wallet", "XRP")
    bob_address = ADDRESS.search(telegram.ask(bob, "/wallet", "XRP").text)
    assert bob_address
    old, new = ready.env["SIGNING_REQUEST_KEYS"], secrets.token_urlsafe(32)
    steps = [
        ("wallet", f"{new},{old}"),  # 1. wallet accepts both
        ("transfer", f"{new},{old}"),  # 2. transfer signs with the new one
        ("wallet", new),  # 3. the old key is retired (transfer drops it at its next restart)
    ]
    try:
        for service, keys in steps:
            ready.service_env.setdefault(service, {})["SIGNING_REQUEST_KEYS"] = keys
            ready.restart(service)
            _send_one(telegram, alice, bob_address.group(0))
    finally:
        for service in ("wallet", "transfer"):
            ready.service_env[service]["SIGNING_REQUEST_KEYS"] = new
