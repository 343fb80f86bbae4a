"""The system under chaos: the sandbox, wallet, pricing, two gateways and two transfers, on the
run's private PostgreSQL and RabbitMQ (`infra`), behind the webhook proxy (`proxy`).

Ports: 27xxx + XRPBOT_CHAOS_PORT_OFFSET (the bench uses 19xxx/16xxx, the tests 18xxx/15xxx).
Identities are provisioned with the project's own `xrpbot.access.local`, so no service runs as
guest or postgres.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
import httpx
from cryptography.fernet import Fernet

from xrpbot.access.local import local_service_env
from xrpbot.sandbox.tools.stack import Stack, stack_env

from .infra import PrivateInfra
from .proxy import WebhookProxy

__all__ = ["ChaosSystem", "start_system"]

BASE_PORTS = {
    "WALLET_HTTP_PORT": 27001,
    "TRANSFER_HTTP_PORT": 27002,  # transfer-2: +10
    "PRICING_HTTP_PORT": 27003,
    "GATEWAY_HTTP_PORT": 27080,  # gateway-2: +10
    "SANDBOX_TELEGRAM_PORT": 27081,
    "SANDBOX_XRPL_PORT": 27005,
    "SANDBOX_FAUCET_PORT": 27006,
    "SANDBOX_COINGECKO_PORT": 27082,
}
PROXY_BASE_PORT = 27070
REPLICAS = {"gateway": 2, "transfer": 2}


@dataclass
class ChaosSystem:
    """A started system.

    Attributes:
        stack: the processes ("sandbox", "wallet", "pricing", "gateway-1", …).
        infra: the private PostgreSQL and RabbitMQ.
        proxy: the webhook proxy in front of the gateways.
    """

    stack: Stack
    infra: PrivateInfra
    proxy: WebhookProxy

    @property
    def telegram_url(self) -> str:
        """The Telegram stand-in (Bot API and control API)."""
        env = self.stack.env
        return f"http://{env['SANDBOX_HOST']}:{env['SANDBOX_TELEGRAM_PORT']}"

    @property
    def xrpl_url(self) -> str:
        """The XRPL stand-in's JSON-RPC endpoint (ends with "/")."""
        return self.stack.env["XRPL_RPC_URL"]

    @property
    def faucet_url(self) -> str:
        """The faucet's `POST /accounts`."""
        return self.stack.env["XRPL_FAUCET_URL"]

    def dead_letters(self) -> dict[str, int]:
        """Each dead-letter queue on the private broker → messages in it.

        Raises:
            RuntimeError: rabbitmqctl could not list the queues.
        """
        done = self.infra.rabbit.ctl("list_queues", "name", "messages")
        if done.returncode:
            raise RuntimeError(f"list_queues failed: {done.stderr.strip()[-300:]}")
        counts = {}
        for line in done.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].endswith("dead-letter") and parts[1].isdigit():
                counts[parts[0]] = int(parts[1])
        return counts

    def dead_letter_samples(self, queue: str, limit: int = 3) -> list[dict[str, Any]]:
        """What the first `limit` messages of a dead-letter queue were: routing key and why they
        died (`x-first-death-reason`, `x-first-death-queue`), never their bodies. The messages
        are put back (nack with requeue)."""
        return asyncio.run(_peek(self.infra.rabbit.admin_url, queue, limit))

    def stop(self) -> None:
        """Stop the processes and the proxy (the caller stops the infra)."""
        self.stack.stop()
        self.proxy.stop()


async def _peek(url: str, queue: str, limit: int) -> list[dict[str, Any]]:
    connection = await aio_pika.connect(url, timeout=10)
    try:
        channel = await connection.channel()
        source = await channel.get_queue(queue, ensure=False)
        seen: list[aio_pika.abc.AbstractIncomingMessage] = []
        for _ in range(limit):
            message = await source.get(fail=False, no_ack=False)
            if message is None:
                break
            seen.append(message)
        samples = [
            {
                "routing_key": m.routing_key,
                "reason": str(m.headers.get("x-first-death-reason", "")),
                "queue": str(m.headers.get("x-first-death-queue", "")),
                "type": m.type,
            }
            for m in seen
        ]
        for m in seen:
            await m.nack(requeue=True)
        return samples
    finally:
        await connection.close()


def start_system(
    run_dir: Path, infra: PrivateInfra, *, offset: int, quote_ttl_s: float
) -> ChaosSystem:
    """Provision identities, start everything at once and wait until every /readyz is 200.

    Args:
        run_dir: logs, pids and identities (`.chaos/run`).
        infra: the running private servers.
        offset: XRPBOT_CHAOS_PORT_OFFSET.
        quote_ttl_s: TRANSFER_QUOTE_TTL_SECONDS (short, so that quotes left alone expire in
            the run).
    Raises:
        RuntimeError: something did not start (its log tail is in the message).
    """
    for old in run_dir.glob("*.log"):  # one run's logs only (the servers are new each run)
        old.unlink()
    # provisioning runs rabbitmqctl: aim it at the private node, never the machine's
    os.environ["RABBITMQ_NODENAME"] = infra.rabbit.node
    proxy = WebhookProxy(PROXY_BASE_PORT + offset, [])
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "XRPL_", "COINGECKO_", "WALLET_", "SANDBOX_"))
    }
    base.update({name: str(port + offset) for name, port in BASE_PORTS.items()})
    base.update(
        {
            "RABBITMQ_URL": infra.rabbit.admin_url,
            "DATABASE_URL": infra.postgres.admin_url,
            "WALLET_FERNET_KEYS": Fernet.generate_key().decode(),
            "SIGNING_REQUEST_KEYS": secrets.token_urlsafe(32),
            "SANDBOX_LEDGER_CLOSE_SECONDS": "1",
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_URL": proxy.url,
            "TRANSFER_QUOTE_TTL_SECONDS": f"{quote_ttl_s:g}",
            "WALLET_DAILY_LIMIT_DROPS": str(10**12),
            "THROTTLE_BURST": "100",
            "LOG_FORMAT": "json",
        }
    )
    env, parts = stack_env(base, run_dir)
    stack = Stack(
        env, parts, run_dir, local_service_env(env, run_dir, "xrpbot"), replicas=REPLICAS
    )
    proxy.targets = [
        f"http://127.0.0.1:{stack.port(n)}/telegram/webhook"
        for n in stack.instances()
        if Stack.service_of(n) == "gateway"
    ]
    proxy.start()
    system = ChaosSystem(stack, infra, proxy)
    try:
        # no separate `migrate`: every service migrates its schema at start-up (yoyo's lock
        # lets replicas start together), which saves a round of process start-ups
        stack.start(timeout=150)
    except BaseException:
        system.stop()
        raise
    return system


def fund_outside_account(system: ChaosSystem) -> tuple[str, str]:
    """A new account outside the bot, funded by the faucet: (address, seed).

    Raises:
        httpx.HTTPError: the faucet refused.
    """
    from xrpl.wallet import Wallet

    wallet = Wallet.create()
    answer = httpx.post(
        system.faucet_url, json={"destination": wallet.classic_address}, timeout=30
    )
    answer.raise_for_status()
    if wallet.seed is None:
        raise RuntimeError("xrpl-py made a wallet without a seed")
    return wallet.classic_address, wallet.seed
