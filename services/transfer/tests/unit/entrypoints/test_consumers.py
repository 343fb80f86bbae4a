"""Transfer's consumers are wired to the right exchanges and routing keys (in memory)."""

from __future__ import annotations

from typing import Any

import pytest
from faststream.rabbit import RabbitBroker, TestRabbitBroker
from pydantic import ValidationError

from xrpbot.runtime.topology import COMMANDS, EVENTS
from xrpbot.schemas import (
    Actor,
    CancelTransfer,
    ConfirmTransfer,
    CreateWallet,
    GetHistory,
    GetStats,
    HistoryReported,
    RequestTransfer,
    StatsReported,
    TransferQuoted,
    TransferRefused,
    WalletOpened,
)
from xrpbot.transfer.entrypoints.consumers import build_router


async def test_commands_and_events_reach_the_use_cases(world: Any) -> None:
    broker = RabbitBroker(logger=None)
    broker.include_router(build_router(delivery_limit=5))
    broker.context.set_global("deps", world.deps)
    alice = world.user(1, "alice")
    world.user(2, "bobby")
    opened = WalletOpened.replying_to(
        CreateWallet.new(user=Actor(telegram_id=9), chat_id=9),
        address="rPT1Sjq2YGrBMTttX4GZHjKu9dyfzbpAYe",
    )
    request = RequestTransfer.new(user=alice, chat_id=1, amount="1", destination="@bobby")
    async with TestRabbitBroker(broker) as br:

        async def publish(message: Any, exchange: Any = COMMANDS) -> None:
            await br.publish(
                message.model_dump_json().encode(), exchange=exchange, routing_key=message.kind
            )

        await publish(opened, EVENTS)
        await publish(request)
        (quote,) = world.store.replies_to(request)
        assert isinstance(quote, TransferQuoted)
        confirm = ConfirmTransfer.new(user=alice, chat_id=1, transfer_id=quote.transfer_id)
        cancel = CancelTransfer.new(user=alice, chat_id=1, transfer_id=quote.transfer_id)
        for cmd in (
            confirm,
            cancel,
            GetHistory.new(user=alice, chat_id=1),
            GetStats.new(user=alice, chat_id=1),
        ):
            await publish(cmd)
        with pytest.raises(ValidationError):
            await br.publish(
                {"kind": RequestTransfer.ROUTING_KEY},
                exchange=COMMANDS,
                routing_key=RequestTransfer.ROUTING_KEY,
            )
    assert opened.address in world.store.accounts
    assert world.store.replies_to(confirm) == []
    assert [type(r) for r in world.store.replies[1:]] == [
        TransferRefused,  # the cancel, after the confirm
        HistoryReported,
        StatsReported,
    ]
    assert len(world.wakes) == 1
