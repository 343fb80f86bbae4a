"""Every inline keyboard the bot shows, and the callback data of its buttons. Pure builders.

Callback data is at most 64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton);
aiogram's `CallbackData.pack()` raises ValueError beyond that. The longest here is a quote
button: ``q:c:<uuid>`` = 40 bytes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final
from uuid import UUID

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from xrpbot.parsing import DROPS_PER_XRP
from xrpbot.schemas import FIAT_CURRENCIES, PricePeriod

from ..domain.daily_limit import DEFAULT_LIMIT
from ..domain.parsing import PERIOD_LABELS
from .numbers import format_xrp
from .texts import common, history, prices, send, settings
from .texts import support as support_texts

__all__ = [
    "KEYBOARD_CURRENCIES",
    "NO_TAG",
    "SEND_START",
    "HistoryPage",
    "MenuAction",
    "MenuButton",
    "PricesButton",
    "QuoteAction",
    "QuoteButton",
    "SettingsButton",
    "history_keyboard",
    "menu_keyboard",
    "no_tag_keyboard",
    "prices_keyboard",
    "private_chat_keyboard",
    "quote_keyboard",
    "send_button",
    "settings_currency_keyboard",
    "settings_keyboard",
    "settings_language_keyboard",
    "settings_limit_keyboard",
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
    return InlineKeyboardButton(text=send.send_button(), callback_data=SEND_START)


def quote_keyboard(transfer_id: UUID) -> InlineKeyboardMarkup:
    """Confirm and Cancel, side by side, for one quote."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=send.confirm_button(),
                    callback_data=QuoteButton(
                        action=QuoteAction.CONFIRM, transfer_id=transfer_id
                    ).pack(),
                ),
                InlineKeyboardButton(
                    text=send.cancel_button(),
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
        inline_keyboard=[[InlineKeyboardButton(text=send.no_tag_button(), callback_data=NO_TAG)]]
    )


def tx_keyboard(url: str) -> InlineKeyboardMarkup:
    """One URL button that opens a transaction in the explorer."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=send.tx_explorer_button(), url=url)]]
    )


def history_keyboard(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """Previous / Next for page `page` (0-based) of `pages`; None when there is one page."""
    row: list[InlineKeyboardButton] = []
    if page > 0:
        row.append(
            InlineKeyboardButton(
                text=history.previous_button(), callback_data=HistoryPage(page=page - 1).pack()
            )
        )
    if page + 1 < pages:
        row.append(
            InlineKeyboardButton(
                text=history.next_button(), callback_data=HistoryPage(page=page + 1).pack()
            )
        )
    return InlineKeyboardMarkup(inline_keyboard=[row]) if row else None


class MenuAction(StrEnum):
    """What a menu button does: the command of the same name."""

    BALANCE = "balance"
    SEND = "send"
    RECEIVE = "receive"
    HISTORY = "history"
    PRICES = "prices"
    SETTINGS = "settings"
    HELP = "help"


class MenuButton(CallbackData, prefix="m"):
    """A menu button: ``m:<action>``."""

    action: MenuAction


class SettingsButton(CallbackData, prefix="s"):
    """A /settings button: ``s:<what>:<value>``.

    what: ``lang`` (value "" opens the choice, else a language code), ``fiat`` (same with a
    currency code), ``notif`` (value "1" on, "0" off), ``limit`` (value "" opens the choice,
    else whole XRP of `domain.daily_limit.LIMIT_CHOICES_XRP` or "default"), ``back`` (the
    settings screen).
    """

    what: str
    value: str = ""


def menu_keyboard(support_url: str | None = None) -> InlineKeyboardMarkup:
    """The menu: Balance · Send · Receive / History · Prices / Settings · Help, and a Support
    button (a URL button: it opens `support_url`) on its own row when there is one."""

    def button(text: str, action: MenuAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=MenuButton(action=action).pack())

    support = (
        [[InlineKeyboardButton(text=support_texts.support_button(), url=support_url)]]
        if support_url
        else []
    )
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(common.menu_balance_button(), MenuAction.BALANCE),
                button(common.menu_send_button(), MenuAction.SEND),
                button(common.menu_receive_button(), MenuAction.RECEIVE),
            ],
            [
                button(common.menu_history_button(), MenuAction.HISTORY),
                button(common.menu_prices_button(), MenuAction.PRICES),
            ],
            [
                button(common.menu_settings_button(), MenuAction.SETTINGS),
                button(common.menu_help_button(), MenuAction.HELP),
            ],
            *support,
        ]
    )


def settings_keyboard(
    *, language: str, currency: str, notifications: bool, limit_xrp: str
) -> InlineKeyboardMarkup:
    """The settings screen: Language, Currency, the notifications toggle, Daily limit.

    Args:
        language: the current language's own name; currency: its code, upper case.
        notifications: alerts are on now (the button turns them off).
        limit_xrp: the daily limit in force, formatted XRP.
    """
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=settings.settings_language_button(language),
                    callback_data=SettingsButton(what="lang").pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=settings.settings_currency_button(currency),
                    callback_data=SettingsButton(what="fiat").pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=settings.settings_notifications_button(notifications),
                    callback_data=SettingsButton(
                        what="notif", value="0" if notifications else "1"
                    ).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=settings.settings_limit_button(limit_xrp),
                    callback_data=SettingsButton(what="limit").pack(),
                )
            ],
        ]
    )


def _back() -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            text=settings.back_button(), callback_data=SettingsButton(what="back").pack()
        )
    ]


def settings_language_keyboard(current: str | None) -> InlineKeyboardMarkup:
    """One button per language (`settings.LANGUAGE_NAMES`), the current one marked, and Back."""
    row = [
        InlineKeyboardButton(
            text=f"✓ {name}" if code == current else name,
            callback_data=SettingsButton(what="lang", value=code).pack(),
        )
        for code, name in settings.LANGUAGE_NAMES.items()
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row, _back()])


def settings_currency_keyboard(currencies: list[str], current: str) -> InlineKeyboardMarkup:
    """Currency buttons, four per row, the current one marked, and Back.

    Args:
        currencies: lower-case codes offered; current: the user's.
    """
    buttons = [
        InlineKeyboardButton(
            text=f"✓ {code.upper()}" if code == current else code.upper(),
            callback_data=SettingsButton(what="fiat", value=code).pack(),
        )
        for code in currencies
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _back()])


def settings_limit_keyboard(
    offered_drops: list[int], *, limit_drops: int, own: bool, default_drops: int
) -> InlineKeyboardMarkup:
    """The daily limits to choose from, the one in force marked, then Default and Back.

    Args:
        offered_drops: the limits offered (`domain.daily_limit.offered_limits_drops`), drops.
        limit_drops: the limit in force; own: it is the user's own (else the default is).
        default_drops: wallet's default.
    """

    def mark(text: str, selected: bool) -> str:
        return f"✓ {text}" if selected else text

    choices = [
        InlineKeyboardButton(
            text=mark(f"{format_xrp(drops)} XRP", own and drops == limit_drops),
            callback_data=SettingsButton(what="limit", value=str(drops // DROPS_PER_XRP)).pack(),
        )
        for drops in offered_drops
    ]
    default = InlineKeyboardButton(
        text=mark(settings.settings_default_limit_button(format_xrp(default_drops)), not own),
        callback_data=SettingsButton(what="limit", value=DEFAULT_LIMIT).pack(),
    )
    rows = [choices[i : i + 2] for i in range(0, len(choices), 2)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [default], _back()])


def private_chat_keyboard(bot_username: str | None) -> InlineKeyboardMarkup | None:
    """A deep-link button from a group to the private chat with the bot, which opens with
    /start menu (https://core.telegram.org/api/links#bot-links); None without a username."""
    if not bot_username:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=common.continue_in_private_button(),
                    url=f"https://t.me/{bot_username}?start=menu",
                )
            ]
        ]
    )


KEYBOARD_CURRENCIES: Final = FIAT_CURRENCIES[:8]
"""The currencies offered as buttons under /prices and in /settings (the others by argument:
/prices inr)."""


class PricesButton(CallbackData, prefix="px"):
    """A button under /prices: show `currency` over `period` (``px:eur:30d``, 10 bytes)."""

    currency: str
    period: PricePeriod


def prices_keyboard(currency: str, period: PricePeriod) -> InlineKeyboardMarkup:
    """Period buttons (1D 7D 30D 1Y), then currency buttons; the shown ones are marked.

    Args:
        currency: lower-case fiat code shown now.
        period: period shown now.
    """
    periods = [
        InlineKeyboardButton(
            text=prices.prices_choice_button(label, selected=p == period),
            callback_data=PricesButton(currency=currency, period=p).pack(),
        )
        for p, label in PERIOD_LABELS.items()
    ]
    currencies = [
        InlineKeyboardButton(
            text=prices.prices_choice_button(code.upper(), selected=code == currency),
            callback_data=PricesButton(currency=code, period=period).pack(),
        )
        for code in KEYBOARD_CURRENCIES
    ]
    return InlineKeyboardMarkup(inline_keyboard=[periods, currencies[:4], currencies[4:]])
