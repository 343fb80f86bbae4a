"""Replies and events from the other services: deliver a reply to its chat, keep fiat rates."""

from __future__ import annotations

import logging

from aiogram.utils.i18n import I18n

from xrpbot.schemas import (
    AnyReply,
    BalanceReported,
    DailyLimitReported,
    ErrorCode,
    PaymentReceived,
    PriceReported,
    SpotPricesRefreshed,
    StatsReported,
    TransferCancelled,
    TransferFailed,
    TransferRefused,
    TransferSubmitted,
    TransferValidated,
)

from ..domain.delivery import ChatUnavailable, Delivery, MessageGone
from ..domain.fiat import FiatQuote, usable_price
from ..domain.preferences import pick_locale
from ..ports import Messenger, UnitOfWork
from ..render.i18n import locale_context
from ..render.links import TESTNET_TX_EXPLORER
from ..render.message import Rendered
from ..render.replies import render_reply
from ..render.texts.errors import internal_error

__all__ = ["deliver_reply", "is_notice", "is_terminal", "record_spot_prices"]

log = logging.getLogger(__name__)


_PAYMENT_PROGRESS = (TransferSubmitted, TransferValidated, TransferFailed, TransferCancelled)
"""Replies about a confirmed (or cancelled) payment: shown on the quote's message, whichever
press's command caused them."""


def is_notice(reply: AnyReply) -> bool:
    """True for a reply that only tells the presser something about a payment whose message
    shows its own progress (a second Confirm: quote_already_confirmed): it comes as a short
    message of its own, never over the payment's message."""
    return isinstance(reply, TransferRefused) and reply.code is ErrorCode.QUOTE_ALREADY_CONFIRMED


def is_terminal(reply: AnyReply) -> bool:
    """False for progress replies (TransferSubmitted): another reply with the same
    correlation id follows and edits the same message."""
    return not isinstance(reply, TransferSubmitted)


async def _save_rates(quotes: list[FiatQuote], uow: UnitOfWork) -> int:
    """Store the quotes whose price is data (`domain.fiat.usable_price`); skip the others."""
    usable = [q for q in quotes if usable_price(q.price)]
    for quote in quotes:
        if quote not in usable:
            log.warning("ignored a %s price that is no data: %s", quote.currency, quote.price)
    return await uow.fiat.save_rates(usable) if usable else 0


async def _notifications_on(reply: PaymentReceived, uow: UnitOfWork) -> bool:
    return (await uow.preferences.get(reply.user.telegram_id)).notifications


async def _render(
    reply: AnyReply, uow: UnitOfWork, *, explorer_tx_url: str, i18n: I18n | None
) -> Rendered:
    """The message for `reply` in its user's language, inside the reply's transaction."""
    current = await uow.preferences.get(reply.user.telegram_id)
    # the user's choice, else Telegram's language_code: the command's, or (for a message no
    # command of theirs caused: an incoming payment) the last one seen in their private chat
    locale = pick_locale(current.language, reply.user.language_code or current.telegram_language)
    fiat = None
    if isinstance(reply, BalanceReported):  # + fiat equivalents from the stored rate
        fiat = await uow.fiat.quote(reply.user.telegram_id)
    view = None
    if isinstance(reply, BalanceReported | StatsReported | DailyLimitReported):
        view = await uow.reply_view(reply.correlation_id)  # /receive, /stats, limit choice
    with locale_context(i18n, locale):
        try:
            return render_reply(
                reply, fiat=fiat, view=view, preferences=current, explorer_tx_url=explorer_tx_url
            )
        except Exception:  # a value no rule foresaw: the user still hears back, once
            log.exception("reply %s (%s) could not be rendered", reply.event_id, reply.kind)
            return Rendered(internal_error())


async def deliver_reply(
    reply: AnyReply,
    *,
    uow: UnitOfWork,
    messenger: Messenger | None = None,
    explorer_tx_url: str = TESTNET_TX_EXPLORER,
    i18n: I18n | None = None,
) -> Delivery:
    """Render `reply` and show it: edit the placeholder, or send a new message.

    The inbox claim is taken first, inside the transaction, so a concurrent duplicate waits.
    The message is queued on the same transaction (`UnitOfWork.outgoing`), which commits claim,
    message and the placeholder's removal together; the outgoing sender shows it after the
    commit, within Telegram's limits, so a reply never waits for a send slot. An edit of a
    placeholder not sent yet replaces its text: the chat then gets the answer only.

    A progress reply (TransferSubmitted) keeps the placeholder for the final reply; without a
    placeholder it is skipped, so a late one never follows "Sent" with "pending".
    PaymentReceived answers no command of the recipient's: it is always a new message.

    The words are in the language of the reply's user: the one chosen in
    /settings, else Telegram's language_code, else English (`domain.preferences.pick_locale`).
    A reply that cannot be rendered (a value no rule foresaw) is logged once and shown as
    "Sorry — something went wrong on our side", never retried or dead-lettered.

    Args:
        reply: the reply to show.
        uow: the replies consumer's unit of work.
        messenger: where the message goes; by default queued on `uow` (`uow.outgoing`).
        explorer_tx_url: prefix of a transaction's explorer page.
        i18n: the catalogs; None writes English.

    Raises:
        TelegramUnavailable: a `messenger` that sends at once failed transiently; the message
            should be requeued.
    """
    async with uow:
        if not await uow.claim(reply):
            return Delivery.DUPLICATE
        if isinstance(reply, PaymentReceived) and not await _notifications_on(reply, uow):
            await uow.commit()  # the user turned alerts off (/settings); /history still has it
            return Delivery.SKIPPED
        if isinstance(reply, PriceReported):  # a price the gateway sees is a rate it knows
            await _save_rates([FiatQuote(reply.vs_currency, reply.price, reply.as_of)], uow)
        message = await _render(reply, uow, explorer_tx_url=explorer_tx_url, i18n=i18n)
        waiting = reply.correlation_id  # the pending reply the placeholder is kept under
        placeholder = (
            None
            if isinstance(reply, PaymentReceived) or is_notice(reply)
            else await uow.placeholder(reply.correlation_id)
        )
        if placeholder is None and isinstance(reply, _PAYMENT_PROGRESS):
            # the payment's own message: the quote, owned by the press that first reached the
            # gateway, whichever press's command transfer took first
            owned = await uow.quote_message(reply.transfer_id)
            if owned is not None:
                waiting, placeholder = owned
        if placeholder is not None and placeholder.chat_id != reply.chat_id:
            placeholder = None  # another chat's message: never edit it for this one
        if placeholder is None and not is_terminal(reply):
            await uow.commit()
            return Delivery.SKIPPED
        messenger = messenger or uow.outgoing
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
            await uow.forget_placeholder(waiting)
        await uow.commit()
    return outcome


async def record_spot_prices(event: SpotPricesRefreshed, *, uow: UnitOfWork) -> int:
    """Keep the latest XRP price per fiat currency from pricing's event.

    Idempotent and order-proof: a rate replaces a stored one only when it is newer (`as_of`),
    so a redelivered or late event changes nothing. A price that is no data (0, negative, NaN,
    absurd: `domain.fiat.usable_price`) is skipped, never stored.

    Returns:
        how many currencies got a newer rate.
    """
    quotes = [FiatQuote(p.vs_currency, p.price, p.as_of) for p in event.prices]
    async with uow:
        changed = await _save_rates(quotes, uow)
        await uow.commit()
    return changed
