"""The gateway's aiogram filters: private chats only, where wallets, balances and payments show."""

from __future__ import annotations

from typing import Final

from aiogram import F
from aiogram.enums import ChatType
from aiogram.utils.magic_filter import MagicFilter

__all__ = ["PRIVATE", "PRIVATE_CHAT", "PRIVATE_QUERY"]

PRIVATE_CHAT: Final[MagicFilter] = F.chat.type == ChatType.PRIVATE
"""A message in a private chat."""
PRIVATE: Final[MagicFilter] = PRIVATE_CHAT & F.from_user
"""A message in a private chat, from a user."""
PRIVATE_QUERY: Final[MagicFilter] = (F.message.chat.type == ChatType.PRIVATE) & F.from_user
"""A button pressed under a message in a private chat, by a user."""
