"""The one exception of the domain: a request refused with a stable ErrorCode."""

from __future__ import annotations

from xrpbot.schemas import ErrorCode

__all__ = ["Refusal"]


class Refusal(Exception):
    """A /send that must change nothing; `code` is worded by the gateway.

    Attributes:
        code: the stable machine code.
        spendable_drops: for insufficient_funds, what could be sent.
        minimum_drops: for destination_not_funded, the base reserve.
        username: for recipient_not_found, the name asked for.
    """

    def __init__(
        self,
        code: ErrorCode,
        *,
        spendable_drops: int | None = None,
        minimum_drops: int | None = None,
        username: str | None = None,
    ) -> None:
        super().__init__(code.value)
        self.code = code
        self.spendable_drops = spendable_drops
        self.minimum_drops = minimum_drops
        self.username = username
