"""Tests that try to steal: with one service's own credentials, on the real RabbitMQ and Postgres,
reach for what belongs to another service. The broker and the database refuse, not our code."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import aio_pika
import asyncpg
import pytest
import pytest_asyncio
from aio_pika.exceptions import DeliveryError
from aiormq.exceptions import ChannelAccessRefused

from xrpbot.access.identities import Identity, identities, service_urls
from xrpbot.access.provision import (
    drop_database_roles,
    provision,
    remove_broker_users,
)
from xrpbot.access.rights import DEAD_LETTER_BOUNDS, SERVICES
from xrpbot.runtime.migrations import Migrations

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


@pytest.fixture(scope="module")
def world(
    servers: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, dict[str, str]]]:
    """A vhost and a database of their own with every service's identity provisioned and every
    service's migrations applied as that service's role. Yields each service's URLs."""
    suffix = secrets.token_hex(4)
    name = f"xrpbot_lp_{suffix}"
    people = identities(tmp_path_factory.mktemp("identities"), prefix=name)
    rabbit_admin = _with_path(servers["rabbitmq"], "/" + quote(name, safe=""))
    db_admin = _with_path(servers["postgres"], f"/{name}")
    provision(rabbit_admin, db_admin, people)
    urls = {s: service_urls(people[s], rabbit_admin, db_admin) for s in SERVICES}
    for service in SERVICES:
        Migrations(
            urls[service]["DATABASE_URL"], service, ROOT / "services" / service / "migrations"
        ).apply()
    try:
        yield urls
    finally:
        admin_db = _with_path(servers["postgres"], "/postgres")

        async def drop() -> None:
            conn = await asyncpg.connect(admin_db)
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await conn.close()

        asyncio.run(drop())
        drop_database_roles(admin_db, people.values())
        remove_broker_users(people.values())
        subprocess.run(
            ["rabbitmqctl", "-q", "delete_vhost", name], check=False, capture_output=True
        )


@pytest_asyncio.fixture
async def channel_of(world: dict[str, dict[str, str]]) -> AsyncIterator[Any]:
    connections: list[aio_pika.abc.AbstractRobustConnection] = []

    async def open_channel(service: str) -> aio_pika.abc.AbstractChannel:
        conn = await aio_pika.connect(world[service]["RABBITMQ_URL"])
        connections.append(conn)
        return await conn.channel(publisher_confirms=True)

    yield open_channel
    for conn in connections:
        await conn.close()


async def _publish(channel: aio_pika.abc.AbstractChannel, exchange: str, key: str) -> None:
    ex = await channel.declare_exchange(exchange, aio_pika.ExchangeType.TOPIC, durable=True)
    await ex.publish(aio_pika.Message(b"{}"), routing_key=key)


@pytest.mark.parametrize("thief", ["gateway", "pricing"])
@pytest.mark.parametrize("key", ["wallet.sign_payment", "wallet.resolve_user"])
async def test_only_transfer_may_ask_wallet_to_sign_or_resolve(
    channel_of: Any, thief: str, key: str
) -> None:
    with pytest.raises(ChannelAccessRefused, match="ACCESS_REFUSED"):
        await _publish(await channel_of(thief), "xrpbot.commands", key)
    await _publish(await channel_of("transfer"), "xrpbot.commands", key)  # transfer may


async def test_the_gateway_publishes_only_the_commands_it_sends(channel_of: Any) -> None:
    await _publish(await channel_of("gateway"), "xrpbot.commands", "wallet.get_balance")
    for exchange, key in [
        ("xrpbot.replies", "transfer.validated"),  # a forged "Sent"
        ("xrpbot.events", "wallet.opened"),
        ("xrpbot.commands", "wallet.create_walletx"),
    ]:
        with pytest.raises(ChannelAccessRefused):
            await _publish(await channel_of("gateway"), exchange, key)


async def test_a_service_replies_only_under_its_own_name(channel_of: Any) -> None:
    await _publish(await channel_of("pricing"), "xrpbot.replies", "pricing.price_reported")
    with pytest.raises(ChannelAccessRefused):
        await _publish(await channel_of("pricing"), "xrpbot.replies", "transfer.validated")
    with pytest.raises(ChannelAccessRefused):
        await _publish(await channel_of("wallet"), "xrpbot.replies", "transfer.validated")


@pytest.mark.parametrize("thief", ["gateway", "pricing"])
async def test_no_one_reads_another_services_queue_or_binds_to_its_commands(
    channel_of: Any, thief: str
) -> None:
    channel = await channel_of(thief)
    with pytest.raises(ChannelAccessRefused):
        queue = await channel.declare_queue("wallet.sign_payment", passive=False, durable=True)
    channel = await channel_of(thief)
    queue = await channel.declare_queue(f"{thief}.eavesdrop", durable=True, auto_delete=True)
    commands = await channel.declare_exchange(
        "xrpbot.commands", aio_pika.ExchangeType.TOPIC, durable=True
    )
    with pytest.raises(ChannelAccessRefused):
        await queue.bind(commands, routing_key="wallet.sign_payment")


async def test_only_wallet_may_publish_to_the_default_exchange(channel_of: Any) -> None:
    """The default exchange reaches any queue by name: it would bypass every topic permission."""
    for thief in ("gateway", "pricing", "transfer"):
        channel = await channel_of(thief)
        with pytest.raises(ChannelAccessRefused):
            await channel.default_exchange.publish(
                aio_pika.Message(b"{}"), routing_key="wallet.sign_payment"
            )


@pytest.mark.parametrize("thief", ["gateway", "pricing"])
@pytest.mark.parametrize(
    "statement",
    [
        "SELECT telegram_id, address FROM wallet.wallets",
        "SELECT * FROM transfer.transfers",
        "INSERT INTO transfer.transfers (id) VALUES (gen_random_uuid())",
        "UPDATE transfer.transfers SET state = 'confirmed'",
        "SELECT * FROM wallet.outbox",
        "CREATE TABLE public.stash (x text)",
        "CREATE SCHEMA stash",
    ],
)
async def test_no_role_touches_another_schema(
    world: dict[str, dict[str, str]], thief: str, statement: str
) -> None:
    conn = await asyncpg.connect(world[thief]["DATABASE_URL"])
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(statement)
    finally:
        await conn.close()


async def test_transfer_cannot_read_the_seeds(world: dict[str, dict[str, str]]) -> None:
    conn = await asyncpg.connect(world["transfer"]["DATABASE_URL"])
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch("SELECT * FROM wallet.wallets")
    finally:
        await conn.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_each_role_works_in_its_own_schema(
    world: dict[str, dict[str, str]], service: str
) -> None:
    conn = await asyncpg.connect(world[service]["DATABASE_URL"])
    try:
        assert await conn.fetchval(f"SELECT count(*) FROM {service}.outbox") == 0
        owner = await conn.fetchval(
            "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1", service
        )
        assert owner == await conn.fetchval("SELECT current_user")
        assert not await conn.fetchval(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        )
    finally:
        await conn.close()


def test_identities_never_show_their_password(tmp_path: Path) -> None:
    people: dict[str, Identity] = identities(tmp_path, prefix="xrpbot_repr")
    for who in people.values():
        assert who.password not in repr(who)
        assert (tmp_path / f"{who.broker_user}.password").stat().st_mode & 0o077 == 0
    assert identities(tmp_path, prefix="xrpbot_repr") == people  # the same passwords next time


def _rabbitmqctl(*args: str) -> str:
    # the broker's own CLI with arguments built here, never from input
    done = subprocess.run(
        ["rabbitmqctl", "-q", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout


def test_provisioning_bounds_every_dead_letter_queue(world: dict[str, dict[str, str]]) -> None:
    vhost = unquote(urlsplit(world["wallet"]["RABBITMQ_URL"]).path.lstrip("/"))
    listed = json.loads(_rabbitmqctl("list_policies", "-p", vhost, "--formatter", "json"))
    (policy,) = [p for p in listed if p["name"] == DEAD_LETTER_BOUNDS.name]
    assert policy["apply-to"] == "queues"
    assert re.fullmatch(policy["pattern"], "wallet.dead-letter")
    assert not re.fullmatch(policy["pattern"], "wallet.create_wallet")
    assert not re.fullmatch(policy["pattern"], "gateway.dead-letter-alerts")
    definition = policy["definition"]
    if isinstance(definition, str):  # older rabbitmqctl lists it as JSON text
        definition = json.loads(definition)
    assert definition == {"max-length": 10_000, "overflow": "reject-publish"}
    assert definition == DEAD_LETTER_BOUNDS.definition


async def test_a_full_dead_letter_queue_refuses_new_dead_letters(servers: dict[str, str]) -> None:
    vhost = f"xrpbot_dlq_{secrets.token_hex(4)}"
    _rabbitmqctl("add_vhost", vhost)
    try:
        _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        # the same policy with a limit of 2, so that the overflow is quick to reach
        bounds = {**DEAD_LETTER_BOUNDS.definition, "max-length": 2}
        _rabbitmqctl(
            "set_policy",
            "-p",
            vhost,
            "--apply-to",
            "queues",
            DEAD_LETTER_BOUNDS.name,
            DEAD_LETTER_BOUNDS.pattern,
            json.dumps(bounds),
        )
        conn = await aio_pika.connect(_with_path(servers["rabbitmq"], "/" + quote(vhost, safe="")))
        try:
            channel = await conn.channel(publisher_confirms=True)
            await channel.declare_queue(
                "svc.dead-letter", durable=True, arguments={"x-queue-type": "quorum"}
            )
            outcomes: list[bool] = []
            for n in range(4):  # the limit is checked once a message is in: one may go over
                try:
                    await channel.default_exchange.publish(
                        aio_pika.Message(str(n).encode()), routing_key="svc.dead-letter"
                    )
                    outcomes.append(True)
                except DeliveryError:  # nacked: reject-publish
                    outcomes.append(False)
            assert outcomes[:2] == [True, True]
            assert outcomes[-1] is False, "a dead letter past the bound is refused"
        finally:
            await conn.close()
    finally:
        _rabbitmqctl("delete_vhost", vhost)
