"""What the gateway's handlers and use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from xrpbot.runtime.ports import Transaction

from .market import FiatQuote, PriceChart
from .render import Rendered

__all__ = [
    "ChatUnavailable",
    "MessageGone",
    "Messenger",
    "Placeholder",
    "TelegramUnavailable",
    "UnitOfWork",
]
__all__ += ["ChartDrawer", "FiatStore"]  # prices (issue 4), defined at the end


@dataclass(frozen=True, slots=True)
class Placeholder:
    """The "working on it…" message a command's reply will replace.

    Attributes:
        chat_id: Telegram chat id.
        message_id: id of the bot's message in that chat.
    """

    chat_id: int
    message_id: int


class TelegramUnavailable(Exception):
    """Telegram could not be reached, answered 5xx, or kept answering 429: try again later."""


class ChatUnavailable(Exception):
    """Nothing can be delivered to the chat: the user blocked the bot, or the chat is gone."""


class MessageGone(Exception):
    """The placeholder can no longer be edited (deleted, or too old): send a new message."""


class Messenger(Protocol):
    """Sends and edits the bot's messages (Bot API sendMessage / editMessageText)."""

    async def send(self, chat_id: int, message: Rendered) -> int:
        """Send `message` to `chat_id`; returns the new message_id.

        Raises:
            ChatUnavailable: the chat cannot receive messages from the bot.
            TelegramUnavailable: a transient failure.
        """
        ...

    async def edit(self, placeholder: Placeholder, message: Rendered) -> None:
        """Replace the placeholder's text and keyboard with `message`.

        An edit that changes nothing ("message is not modified") succeeds: it is what a
        redelivery after a crash sees.

        A message with a chart cannot be an edit of a text: the chart is sent as a new photo
        and the placeholder deleted.

        Raises:
            MessageGone: the placeholder cannot be edited any more.
            ChatUnavailable: the chat cannot receive messages from the bot.
            TelegramUnavailable: a transient failure.
        """
        ...


class UnitOfWork(Transaction, Protocol):
    """One transaction in the gateway's schema: update claims, pending replies, inbox, outbox."""

    @property
    def fiat(self) -> FiatStore:
        """Users' fiat currencies and the latest XRP rates, on this transaction."""
        ...

    async def claim_update(self, update_id: int) -> bool:
        """Record a Telegram update as processed; False if it already was (then do nothing).

        A concurrent claim of the same update waits until this transaction ends.
        """
        ...

    async def see_chat(self, chat_id: int, language_code: str | None) -> None:
        """Remember the chat (first/last seen, the user's language)."""
        ...

    async def expect_reply(self, correlation_id: UUID, placeholder: Placeholder) -> None:
        """Remember which message the reply with `correlation_id` should replace."""
        ...

    async def placeholder(self, correlation_id: UUID) -> Placeholder | None:
        """The message waiting for the reply with `correlation_id`, if any.

        A concurrent delivery of another reply with the same correlation id (TransferSubmitted
        and TransferValidated of one payment) waits until this transaction ends.
        """
        ...

    async def forget_placeholder(self, correlation_id: UUID) -> None:
        """The reply was delivered: the placeholder waits no more."""
        ...

    async def press_quote(self, transfer_id: UUID, correlation_id: UUID) -> bool:
        """Record the first Confirm/Cancel press on a quote; False if one was recorded before.

        The first press owns the quote's message (it edits it); a concurrent press of the same
        quote waits until this transaction ends, then gets False.
        """
        ...

    async def fsm_state(self, key: str) -> tuple[str | None, dict[str, Any]]:
        """The conversation's FSM (state, data); (None, {}) when it has none.

        Locks the conversation until this transaction ends, so two updates of one user run
        their flow steps one after the other.
        """
        ...

    async def set_fsm_state(self, key: str, state: str | None) -> None:
        """Set (None: clear) the conversation's FSM state."""
        ...

    async def set_fsm_data(self, key: str, data: dict[str, Any]) -> None:
        """Replace the conversation's FSM data (JSON-serialisable values)."""
        ...


# ==== prices (issue 4): fiat preferences and rates, charts ======================================


class FiatStore(Protocol):
    """Each user's fiat currency (`user_settings`) and the latest XRP price per currency
    (`fiat_rates`, fed by pricing's SpotPricesRefreshed events)."""

    async def currency(self, telegram_id: int) -> str:
        """The user's fiat currency, lower case; USD when they never chose one."""
        ...

    async def set_currency(self, telegram_id: int, currency: str) -> None:
        """Remember the user's fiat currency (lower-case code)."""
        ...

    async def quote(self, telegram_id: int) -> FiatQuote | None:
        """The latest price of 1 XRP in the user's currency, if the gateway heard one."""
        ...

    async def save_rates(self, quotes: Sequence[FiatQuote]) -> int:
        """Keep each rate unless a newer one (by `as_of`) is stored; returns how many changed."""
        ...


class ChartDrawer(Protocol):
    """Draws price charts (matplotlib, off the event loop)."""

    async def draw(self, chart: PriceChart) -> bytes:
        """The chart as PNG bytes."""
        ...
