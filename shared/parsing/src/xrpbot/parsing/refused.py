"""A refusal: why a text is not what was asked for, as a stable `ErrorCode`."""

from __future__ import annotations

from dataclasses import dataclass

from xrpbot.schemas import ErrorCode

__all__ = ["Refused"]


@dataclass(frozen=True, slots=True)
class Refused:
    """What the parser returns instead of a value: it never raises for what a user typed.

    Attributes:
        code: the reason; the gateway turns it into words (`render.texts.errors.error_text`).
        username: for recipient_not_found, the name as typed (without "@", at most 32
            characters), so the words can repeat it.
    """

    code: ErrorCode
    username: str | None = None
