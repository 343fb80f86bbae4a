"""Operations events: what the services announce about themselves, for the admins."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, NonNegativeInt, PositiveInt

from .envelope import Event

__all__ = ["DeadLettersFilling"]


class DeadLettersFilling(Event):
    """Domain event: a service's dead-letter queue crossed its warning fraction or its bound.

    Published by the service that owns the queue, once per crossing
    (`xrpbot.runtime.dead_letters.DeadLetterWatch`), never on every sample; consumed by the
    gateway, which tells each admin. `user` is telegram_id 0 and `chat_id` 0 (no user caused
    it). At `full` the broker refuses new dead letters (max-length with overflow
    `reject-publish`, https://www.rabbitmq.com/docs/maxlength).
    """

    kind: Literal["ops.dead_letters_filling"] = "ops.dead_letters_filling"
    service: str = Field(description="The service whose queue it is (gateway, wallet, …).")
    queue: str = Field(description="The dead-letter queue, `<service>.dead-letter`.")
    messages: NonNegativeInt = Field(description="Messages in the queue at the sample.")
    bound: PositiveInt = Field(description="The queue's max-length, in messages.")
    full: bool = Field(
        description="True: at or above the bound, new dead letters are refused; False: at or "
        "above the warning fraction of it."
    )
