"""The outgoing sender: a send that fails in a way no rule foresaw frees its message for a
later try instead of holding the chat until the lease runs out."""

from __future__ import annotations

from typing import Any

from xrpbot.gateway.entrypoints.outgoing import OutgoingSender
from xrpbot.gateway.render.message import Rendered


class Broken:
    """A Bot API whose every call fails with an error no rule maps."""

    async def send(self, chat_id: int, message: Rendered) -> int:
        raise RuntimeError("a bug")

    async def edit(self, placeholder: Any, message: Rendered) -> int:
        raise RuntimeError("a bug")


async def test_an_unforeseen_error_frees_the_message_for_a_later_try(
    store: Any, new_uow: Any, outgoing_store: Any
) -> None:
    async with new_uow() as uow:
        await uow.outgoing.send(7, Rendered("hello"))
        await uow.commit()
    sender = OutgoingSender(outgoing_store, Broken())
    assert await sender.show_due_now() == 1
    [slot] = store.slots.values()
    assert not slot.leased, "the chat is not held"
    assert slot.due, "it is tried again later"
    assert len(store.retried) == 1
