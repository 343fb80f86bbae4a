"""Inline keyboards of the payment features and their callback data. Pure builders.

Callback data is at most 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton);
aiogram's `CallbackData.pack()` raises ValueError beyond that. The longest here is a quote
button: ``q:c:<uuid>`` = 40 bytes.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from . import texts

__all__ = [
    "NO_TAG",
    "SEND_START",
    "HistoryPage",
    "QuoteAction",
    "QuoteButton",
    "history_keyboard",
    "no_tag_keyboard",
    "quote_keyboard",
    "send_button",
    "tx_keyboard",
]

SEND_START = "send"
"""Callback data of the Send button (on /balance and /wallet): starts the /send flow."""
NO_TAG = "send:notag"
"""Callback data of the 'No tag' button of the flow's destination-tag question."""


class QuoteAction(StrEnum):
    """What a quote button does."""

    CONFIRM = "c"
    CANCEL = "x"


class QuoteButton(CallbackData, prefix="q"):
    """Confirm or Cancel under a quote: ``q:c:<transfer id>`` / ``q:x:<transfer id>``."""

    action: QuoteAction
    transfer_id: UUID


class HistoryPage(CallbackData, prefix="h"):
    """Previous/Next under /history: ``h:<0-based page>``."""

    page: int


def send_button() -> InlineKeyboardButton:
    """The Send button that starts the /send flow."""
    return InlineKeyboardButton(text=texts.send_button(), callback_data=SEND_START)


def quote_keyboard(transfer_id: UUID) -> InlineKeyboardMarkup:
    """Confirm and Cancel, side by side, for one quote."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=texts.confirm_button(),
                    callback_data=QuoteButton(
                        action=QuoteAction.CONFIRM, transfer_id=transfer_id
                    ).pack(),
                ),
                InlineKeyboardButton(
                    text=texts.cancel_button(),
                    callback_data=QuoteButton(
                        action=QuoteAction.CANCEL, transfer_id=transfer_id
                    ).pack(),
                ),
            ]
        ]
    )


def no_tag_keyboard() -> InlineKeyboardMarkup:
    """The 'No tag' answer to the destination-tag question."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=texts.no_tag_button(), callback_data=NO_TAG)]]
    )


def tx_keyboard(url: str) -> InlineKeyboardMarkup:
    """One URL button that opens a transaction in the explorer."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=texts.tx_explorer_button(), url=url)]]
    )


def history_keyboard(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """Previous / Next for page `page` (0-based) of `pages`; None when there is one page."""
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(
            InlineKeyboardButton(
                text=texts.previous_button(), callback_data=HistoryPage(page=page - 1).pack()
            )
        )
    if page + 1 < pages:
        row.append(
            InlineKeyboardButton(
                text=texts.next_button(), callback_data=HistoryPage(page=page + 1).pack()
            )
        )
    return InlineKeyboardMarkup(inline_keyboard=[row]) if row else None
