"""User input shown back in a reply: bounded, so no reply grows past Telegram's limits. Pure."""

from __future__ import annotations

from typing import Final

__all__ = ["MAX_ECHO_CHARS", "echo"]

MAX_ECHO_CHARS: Final = 32
"""Most characters of user input a reply repeats (a message holds at most 4096 characters
after entities are parsed, https://core.telegram.org/bots/api#sendmessage; a caption 1024)."""


def echo(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """`text` as typed when it is at most `limit` characters, else its first `limit - 1` and "…".

    The result is plain text: escape it where it goes into HTML.
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"
