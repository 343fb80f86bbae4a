"""Links and names in messages: explorer URLs, shortened addresses, the other side of a payment."""

from __future__ import annotations

import re
from html import escape
from typing import Final

from xrpbot.schemas import Counterparty

from .keyboards import tx_keyboard
from .message import Rendered
from .texts import common

__all__ = [
    "TESTNET_EXPLORER",
    "TESTNET_TX_EXPLORER",
    "counterparty_text",
    "short_address",
    "tx_link",
    "tx_url",
    "with_tx_button",
]

TESTNET_EXPLORER: Final = "https://testnet.xrpl.org/accounts/"
"""XRPL Testnet explorer; an account page is this prefix + the classic address."""
TESTNET_TX_EXPLORER: Final = "https://testnet.xrpl.org/transactions/"
"""XRPL Testnet explorer; a transaction page is this prefix + the hash (EXPLORER_TX_URL's default)."""

_HASH = re.compile(r"[0-9A-Fa-f]{64}")


def short_address(address: str) -> str:
    """``rPEPPER7kfTD9w2To4CQk6UCfuHM9c6GDY`` -> ``rPEPP…6GDY`` (plain text, not escaped)."""
    return address if len(address) <= 12 else f"{address[:5]}…{address[-4:]}"


def counterparty_text(party: Counterparty) -> str:
    """The other side as HTML: ``@bob``, or a shortened address, plus its tag if any.

    A bot user known by @username is named only so, never with their custodial address (which
    would open their balance and history on an explorer); an address is shown when it is all
    there is (a destination typed as an address, an outside sender).
    """
    who = f"@{escape(party.username)}" if party.username else escape(short_address(party.address))
    if party.destination_tag is not None:
        who = common.counterparty_tag(who, party.destination_tag)
    return who


def tx_url(tx_hash: str, explorer_tx_url: str) -> str | None:
    """The explorer URL of a transaction, or None when `tx_hash` is not a 64-hex hash."""
    return explorer_tx_url + tx_hash.upper() if _HASH.fullmatch(tx_hash) else None


def tx_link(tx_hash: str | None, explorer_tx_url: str) -> str:
    """``<a href="…/HASH">ABCDEF12…</a>``, or "" when there is no valid hash."""
    url = tx_url(tx_hash, explorer_tx_url) if tx_hash else None
    if url is None or tx_hash is None:
        return ""
    return f'<a href="{escape(url)}">{escape(tx_hash[:8].upper())}…</a>'


def with_tx_button(text: str, tx_hash: str | None, explorer_tx_url: str) -> Rendered:
    """`text` with a button that opens the transaction, when `tx_hash` is a valid hash."""
    url = tx_url(tx_hash, explorer_tx_url) if tx_hash else None
    return Rendered(text, tx_keyboard(url) if url else None)
