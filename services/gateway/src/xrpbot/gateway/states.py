"""aiogram FSM states of the gateway's multi-step flows (stored as "<Group>:<state>")."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup

__all__ = ["SendFlow"]


class SendFlow(StatesGroup):
    """/send step by step: amount, then destination, then (classic addresses only) the tag.

    Data kept between steps: ``amount`` and ``destination`` as the user typed them.
    """

    amount = State()
    destination = State()
    tag = State()
