"""The rights table says what each service may publish and bind, and nothing more."""

from __future__ import annotations

import re

import pytest

from xrpbot import schemas
from xrpbot.access.identities import identities
from xrpbot.access.provision import broker_definitions, password_hash
from xrpbot.access.rights import (
    COMMANDS_EXCHANGE,
    DEAD_LETTERS_FILLING,
    EVENTS_EXCHANGE,
    REPLIES_EXCHANGE,
    RIGHTS,
    SERVICES,
)


def _topic(service: str, exchange: str) -> tuple[str, str]:
    for topic in RIGHTS[service].broker.topics:
        if topic.exchange == exchange:
            return topic.write, topic.read
    return "^$", "^$"


def _may_publish(service: str, exchange: str, key: str) -> bool:
    return re.fullmatch(_topic(service, exchange)[0], key) is not None


def _commands() -> dict[str, type]:
    return {
        cls.model_fields["kind"].default: cls
        for cls in vars(schemas).values()
        if isinstance(cls, type)
        and issubclass(cls, schemas.Command)
        and "kind" in getattr(cls, "model_fields", {})
    }


def test_every_command_has_exactly_one_publisher_and_its_owner_binds_it() -> None:
    commands = _commands()
    assert "wallet.sign_payment" in commands
    for key in commands:
        publishers = [s for s in SERVICES if _may_publish(s, COMMANDS_EXCHANGE, key)]
        assert len(publishers) == 1, (key, publishers)
        owner = key.split(".")[0]
        assert re.fullmatch(_topic(owner, COMMANDS_EXCHANGE)[1], key), key


@pytest.mark.parametrize("key", ["wallet.sign_payment", "wallet.resolve_user"])
def test_only_transfer_may_publish_signing_and_resolving(key: str) -> None:
    assert [s for s in SERVICES if _may_publish(s, COMMANDS_EXCHANGE, key)] == ["transfer"]


def test_replies_and_events_only_under_the_services_own_name() -> None:
    for service in SERVICES:
        for other in SERVICES:
            for exchange in (REPLIES_EXCHANGE, EVENTS_EXCHANGE):
                allowed = _may_publish(service, exchange, f"{other}.anything")
                assert not allowed or (service == other and service != "gateway"), (service, other)


def test_the_gateway_announces_only_the_users_it_saw_and_wallet_and_transfer_bind_them() -> None:
    assert _may_publish("gateway", EVENTS_EXCHANGE, "gateway.user_seen")
    assert not _may_publish("gateway", REPLIES_EXCHANGE, "gateway.user_seen")
    assert not any(
        _may_publish(s, EVENTS_EXCHANGE, "gateway.user_seen") for s in SERVICES if s != "gateway"
    )
    binders = [
        s
        for s in SERVICES
        if re.fullmatch(_topic(s, EVENTS_EXCHANGE)[1], "gateway.user_seen") is not None
    ]
    assert binders == ["wallet", "transfer"]


def test_every_service_may_alert_about_its_dead_letters_and_only_the_gateway_binds_it() -> None:
    key = schemas.DeadLettersFilling.ROUTING_KEY
    assert key == DEAD_LETTERS_FILLING
    assert all(_may_publish(s, EVENTS_EXCHANGE, key) for s in SERVICES)
    assert not any(_may_publish(s, REPLIES_EXCHANGE, key) for s in SERVICES)
    assert not any(_may_publish(s, EVENTS_EXCHANGE, "ops.anything_else") for s in SERVICES)
    binders = [s for s in SERVICES if re.fullmatch(_topic(s, EVENTS_EXCHANGE)[1], key)]
    assert binders == ["gateway"]


def test_the_default_exchange_is_writable_by_wallet_alone() -> None:
    writers = [s for s in SERVICES if re.fullmatch(RIGHTS[s].broker.write, "amq.default")]
    assert writers == ["wallet"]


def test_queues_are_configured_read_and_written_only_by_their_owner() -> None:
    for service in SERVICES:
        for other in SERVICES:
            for pattern in ("configure", "write", "read"):
                matches = re.fullmatch(
                    getattr(RIGHTS[service].broker, pattern), f"{other}.dead-letter"
                )
                assert bool(matches) == (service == other), (service, other, pattern)


def test_definitions_carry_hashes_not_passwords(tmp_path: object) -> None:
    import pathlib

    people = identities(pathlib.Path(str(tmp_path)), prefix="t")
    text = repr(broker_definitions("v", people.values()))
    for who in people.values():
        assert who.password not in text


def test_password_hash_is_rabbitmqs_salted_sha256() -> None:
    # the example of https://www.rabbitmq.com/docs/passwords#computing-password-hash
    assert (
        password_hash("test12", salt=bytes.fromhex("908DC60A"))
        == "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"
    )
