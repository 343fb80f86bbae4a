"""Where users get help: the support contact (SUPPORT_URL or SUPPORT_USERNAME). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

__all__ = ["SupportContact", "support_url_problem", "support_username_problem"]

_USERNAME: Final = re.compile(r"[A-Za-z0-9_]{5,32}")
"""A Telegram username (https://core.telegram.org/bots/api#user, t.me links): 5-32 of these."""


def support_url_problem(url: str) -> str | None:
    """Why `url` cannot be the support link (None when it can): an https URL with a host, no
    spaces or control characters, at most 2048 characters."""
    if len(url) > 2048 or any(c.isspace() or ord(c) < 32 for c in url):
        return "SUPPORT_URL must be one https URL without spaces, at most 2048 characters"
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "SUPPORT_URL must be an https URL (https://example.com/help)"
    return None


def support_username_problem(username: str) -> str | None:
    """Why `username` (with or without its @) cannot be the support account (None when it can)."""
    if not _USERNAME.fullmatch(username.removeprefix("@")):
        return "SUPPORT_USERNAME must be a Telegram username: 5-32 of A-Z, a-z, 0-9 and _"
    return None


@dataclass(frozen=True, slots=True)
class SupportContact:
    """Who helps users, as /support, /help and the menu show it.

    Attributes:
        url: where the Support button leads (https; ``https://t.me/<username>`` for a username).
        username: the Telegram username without @, when the contact is one.
    """

    url: str
    username: str | None = None

    @classmethod
    def from_settings(cls, url: str | None, username: str | None) -> SupportContact | None:
        """The contact from SUPPORT_URL or SUPPORT_USERNAME (validated), None without one."""
        if username:
            name = username.removeprefix("@")
            return cls(f"https://t.me/{name}", name)
        return cls(url) if url else None

    @property
    def shown(self) -> str:
        """How the contact is written in a message: ``@username`` or the URL (plain text)."""
        return f"@{self.username}" if self.username else self.url
