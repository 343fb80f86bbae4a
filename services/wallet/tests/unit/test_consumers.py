"""The wallet's consumers are wired to the right exchange and routing keys (in memory)."""

from __future__ import annotations

from typing import Any

import pytest
from faststream.rabbit import RabbitBroker, TestRabbitBroker
from pydantic import ValidationError

from xrpbot.runtime.topology import COMMANDS
from xrpbot.schemas import Actor, CreateWallet, GetBalance, WalletCreated, WalletFailed
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
        with pytest.raises(ValidationError):
            await br.publish(
                {"kind": "wallet.create_wallet"},
                exchange=COMMANDS,
                routing_key=CreateWallet.ROUTING_KEY,
            )
    assert [type(r) for r in world.store.replies] == [WalletFailed, WalletCreated]
