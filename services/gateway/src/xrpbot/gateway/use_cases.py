"""Gateway use cases: queue a command for an update, deliver a reply to the chat.

They talk to ports only; Telegram types stop in `handlers` and `adapters`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from aiogram.utils.i18n import I18n

from xrpbot.schemas import (
    AnyReply,
    BalanceReported,
    Command,
    PaymentReceived,
    PriceReported,
    SpotPricesRefreshed,
    StatsReported,
    TransferSubmitted,
)

from .i18n import locale_context, pick_locale
from .market import FiatQuote
from .payments import TESTNET_TX_EXPLORER, render_payment
from .ports import ChatUnavailable, MessageGone, Messenger, Placeholder, UnitOfWork
from .render import Rendered, render
from .views import render_view

__all__ = ["Delivery", "GatewayDeps", "deliver_reply", "is_terminal", "request"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GatewayDeps:
    """What the replies consumer needs, built once by the composition root.

    Attributes:
        new_uow: a unit of work whose inbox claims are recorded for the given consumer.
        messenger: sends and edits Telegram messages.
        explorer_tx_url: prefix of a transaction's explorer page (EXPLORER_TX_URL).
        admin_ids: Telegram ids of the admins (ADMIN_IDS), who get the alerts.
        i18n: the catalogs (`i18n.CatalogI18n`); None writes English.
    """

    new_uow: Callable[[str], UnitOfWork]
    messenger: Messenger
    explorer_tx_url: str = TESTNET_TX_EXPLORER
    admin_ids: frozenset[int] = frozenset()
    i18n: I18n | None = None


class Delivery(StrEnum):
    """What `deliver_reply` did."""

    EDITED = "edited"
    """The placeholder now shows the answer."""
    SENT = "sent"
    """No placeholder (or it was gone): the answer went out as a new message."""
    DUPLICATE = "duplicate"
    """The reply was delivered before (a redelivery): nothing was done."""
    UNDELIVERABLE = "undeliverable"
    """The chat cannot receive it (bot blocked, chat gone): dropped after logging."""
    SKIPPED = "skipped"
    """A progress reply (TransferSubmitted) whose message no longer waits: its final
    answer was delivered already (or will say everything); nothing was shown. Also a
    PaymentReceived for a user who turned notifications off (/settings)."""


def is_terminal(reply: AnyReply) -> bool:
    """False for progress replies (TransferSubmitted): another reply with the same
    correlation id follows and edits the same message."""
    return not isinstance(reply, TransferSubmitted)


async def request(command: Command, *, placeholder: Placeholder, uow: UnitOfWork) -> None:
    """Queue `command` and remember that its reply replaces `placeholder`.

    Runs inside the update's transaction (the update claim is already in it), so the command
    is published if and only if the update is recorded as processed.
    """
    await uow.expect_reply(command.correlation_id, placeholder)
    await uow.send_command(command)


async def _notifications_on(reply: PaymentReceived, uow: UnitOfWork) -> bool:
    return (await uow.settings.get(reply.user.telegram_id)).notifications


async def _render(
    reply: AnyReply, uow: UnitOfWork, *, explorer_tx_url: str, i18n: I18n | None
) -> Rendered:
    """The message for `reply` in its user's language, inside the reply's transaction."""
    settings = await uow.settings.get(reply.user.telegram_id)
    # the user's choice, else Telegram's language_code: the command's, or (for a message no
    # command of theirs caused: an incoming payment) the last one seen in their private chat
    locale = pick_locale(settings.language, reply.user.language_code or settings.telegram_language)
    with locale_context(i18n, locale):
        message = render_payment(reply, explorer_tx_url=explorer_tx_url)
        if message is not None:
            return message
        fiat = None
        if isinstance(reply, BalanceReported):  # + fiat equivalents from the stored rate
            fiat = await uow.fiat.quote(reply.user.telegram_id)
        message = render(reply, fiat=fiat)
        if isinstance(reply, BalanceReported | StatsReported):  # /receive, /stats (issue 5)
            message = render_view(reply, await uow.reply_view(reply.correlation_id)) or message
        return message


async def deliver_reply(
    reply: AnyReply,
    *,
    uow: UnitOfWork,
    messenger: Messenger,
    explorer_tx_url: str = TESTNET_TX_EXPLORER,
    i18n: I18n | None = None,
) -> Delivery:
    """Render `reply` and show it: edit the placeholder, or send a new message.

    The inbox claim is taken first, inside the transaction, so a concurrent duplicate waits;
    the transaction commits (claim + placeholder removed) only after Telegram accepted the
    message. A failure before that rolls back and the broker redelivers; the edit is then
    repeated and "not modified" counts as success.

    A progress reply (TransferSubmitted) keeps the placeholder for the final reply; without a
    placeholder it is skipped, so a late one never follows "Sent" with "pending".
    PaymentReceived answers no command of the recipient's: it is always a new message.

    The words are in the language of the reply's user (issue 5): the one chosen in
    /settings, else Telegram's language_code, else English (`i18n.pick_locale`).

    Args:
        reply: the reply to show.
        uow: the replies consumer's unit of work.
        messenger: Telegram.
        explorer_tx_url: prefix of a transaction's explorer page.
        i18n: the catalogs; None writes English.

    Raises:
        TelegramUnavailable: Telegram failed transiently; the message should be requeued.
    """
    async with uow:
        if not await uow.claim(reply):
            return Delivery.DUPLICATE
        if isinstance(reply, PaymentReceived) and not await _notifications_on(reply, uow):
            await uow.commit()  # the user turned alerts off (/settings); /history still has it
            return Delivery.SKIPPED
        if isinstance(reply, PriceReported):  # a price the gateway sees is a rate it knows
            await uow.fiat.save_rates([FiatQuote(reply.vs_currency, reply.price, reply.as_of)])
        message = await _render(reply, uow, explorer_tx_url=explorer_tx_url, i18n=i18n)
        placeholder = (
            None
            if isinstance(reply, PaymentReceived)
            else await uow.placeholder(reply.correlation_id)
        )
        if placeholder is not None and placeholder.chat_id != reply.chat_id:
            placeholder = None  # another chat's message: never edit it for this one
        if placeholder is None and not is_terminal(reply):
            await uow.commit()
            return Delivery.SKIPPED
        outcome = Delivery.SENT
        try:
            if placeholder is None:
                await messenger.send(reply.chat_id, message)
            else:
                try:
                    await messenger.edit(placeholder, message)
                    outcome = Delivery.EDITED
                except MessageGone:
                    await messenger.send(placeholder.chat_id, message)
        except ChatUnavailable:
            log.info(
                "chat %s cannot receive messages; reply %s dropped", reply.chat_id, reply.kind
            )
            outcome = Delivery.UNDELIVERABLE
        if placeholder is not None and is_terminal(reply):
            await uow.forget_placeholder(reply.correlation_id)
        await uow.commit()
    return outcome


# ==== prices (issue 4): the latest fiat rates, for fiat equivalents ============================

__all__ += ["record_spot_prices"]


async def record_spot_prices(event: SpotPricesRefreshed, *, uow: UnitOfWork) -> int:
    """Keep the latest XRP price per fiat currency from pricing's event.

    Idempotent and order-proof: a rate replaces a stored one only when it is newer (`as_of`),
    so a redelivered or late event changes nothing.

    Returns:
        how many currencies got a newer rate.
    """
    quotes = [FiatQuote(p.vs_currency, p.price, p.as_of) for p in event.prices]
    async with uow:
        changed = await uow.fiat.save_rates(quotes)
        await uow.commit()
    return changed
