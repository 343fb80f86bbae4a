"""The wallet's consumers are wired to the right exchange and routing keys (in memory)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from faststream.rabbit import RabbitBroker, TestRabbitBroker
from pydantic import ValidationError

from xrpbot.runtime.topology import COMMANDS, EVENTS
from xrpbot.schemas import (
    Actor,
    CreateWallet,
    DailyLimitReported,
    GetBalance,
    GetDailyLimit,
    SetDailyLimit,
    UserSeen,
    WalletCreated,
    WalletFailed,
)
from xrpbot.wallet.entrypoints.consumers import build_router


async def test_commands_reach_the_use_cases(world: Any) -> None:
    broker = RabbitBroker(logger=None)
    broker.include_router(build_router(delivery_limit=5))
    broker.context.set_global("deps", world.deps)
    user = Actor(telegram_id=7)
    async with TestRabbitBroker(broker) as br:
        await br.publish(
            GetBalance.new(user=user, chat_id=7).model_dump_json().encode(),
            exchange=COMMANDS,
            routing_key=GetBalance.ROUTING_KEY,
        )
        await br.publish(
            CreateWallet.new(user=user, chat_id=7).model_dump_json().encode(),
            exchange=COMMANDS,
            routing_key=CreateWallet.ROUTING_KEY,
        )
        await br.publish(
            GetDailyLimit.new(user=user, chat_id=7).model_dump_json().encode(),
            exchange=COMMANDS,
            routing_key=GetDailyLimit.ROUTING_KEY,
        )
        await br.publish(
            SetDailyLimit.new(user=user, chat_id=7, limit_drops=10**12).model_dump_json().encode(),
            exchange=COMMANDS,
            routing_key=SetDailyLimit.ROUTING_KEY,
        )
        with pytest.raises(ValidationError):
            await br.publish(
                {"kind": "wallet.create_wallet"},
                exchange=COMMANDS,
                routing_key=CreateWallet.ROUTING_KEY,
            )
    assert [type(r) for r in world.store.replies] == [
        WalletFailed,
        WalletCreated,
        DailyLimitReported,
        WalletFailed,  # above the default of 10,000 XRP: refused
    ]
    assert world.store.replies[-1].code == "limit_above_default"


async def test_user_seen_events_reach_the_username_directory(world: Any) -> None:
    broker = RabbitBroker(logger=None)
    broker.include_router(build_router(delivery_limit=5))
    broker.context.set_global("deps", world.deps)
    user = Actor(telegram_id=7, username="bob", first_name="Bob")
    event = UserSeen(correlation_id=uuid4(), user=user, chat_id=7, seen_at=datetime.now(UTC))
    async with TestRabbitBroker(broker) as br:
        await br.publish(
            event.model_dump_json().encode(), exchange=EVENTS, routing_key=UserSeen.ROUTING_KEY
        )
    assert world.store.users[7].username == "bob"
    assert world.store.users[7].username_seen_at == event.seen_at
