"""aiogram FSM storage in the gateway's schema, written inside each update's transaction.

`UnitOfWorkStorage` implements aiogram's `BaseStorage`
(https://docs.aiogram.dev/en/latest/dispatcher/finite_state_machine/storages.html) over the
unit of work `middlewares.transaction.UpdateTransactionMiddleware` opened for the update being handled (found through the
`current_uow` context variable). So a flow step (state and data) commits together with the
update's claim and its command, or not at all: a retried update finds the state its failed
attempt started from. The rows live in `fsm_states` (migrations/0003_send_flow.sql), so a
flow survives a gateway restart.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)

from ..ports import UnitOfWork

__all__ = ["UnitOfWorkStorage", "current_uow"]

current_uow: ContextVar[UnitOfWork | None] = ContextVar("gateway_current_uow", default=None)
"""The unit of work of the update being handled (set by `middlewares.transaction.UpdateTransactionMiddleware`)."""


class UnitOfWorkStorage(BaseStorage):
    """aiogram FSM storage on the current update's unit of work.

    Args:
        key_builder: how a `StorageKey` becomes the row key; by default
            `fsm:<bot id>:<chat id>:<user id>:<destiny>`.

    Raises:
        RuntimeError: (every method) when called outside an update's unit of work.
    """

    def __init__(self, key_builder: KeyBuilder | None = None) -> None:
        self.key_builder = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    @staticmethod
    def _uow() -> UnitOfWork:
        uow = current_uow.get()
        if uow is None:
            raise RuntimeError("FSM storage used outside an update's unit of work")
        return uow

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Set the state (a `State`, its name, or None to leave every flow)."""
        name = state.state if isinstance(state, State) else state
        await self._uow().set_fsm_state(self.key_builder.build(key), name)

    async def get_state(self, key: StorageKey) -> str | None:
        """The state's name, or None; locks the conversation for the rest of the update."""
        state, _ = await self._uow().fsm_state(self.key_builder.build(key))
        return state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Replace the flow's data (JSON-serialisable values)."""
        await self._uow().set_fsm_data(self.key_builder.build(key), dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """The flow's data ({} when none)."""
        _, data = await self._uow().fsm_state(self.key_builder.build(key))
        return data

    async def close(self) -> None:
        """Nothing to close: the service owns the pool."""
