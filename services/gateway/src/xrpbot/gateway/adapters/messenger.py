"""The bot's messages through aiogram: `BotMessenger` (what the outgoing sender shows, admin
alerts, broadcasts) and `TelegramChat` (answers to the update being handled, queued on its
transaction), with Telegram's errors mapped to the ports' exceptions.

Error mapping (https://core.telegram.org/bots/api#making-requests, aiogram's exceptions):
network, 5xx, a body that is not the Bot API's JSON, 401, 429 beyond the outbound middleware's
retries -> `TelegramUnavailable` (transient); 403, "chat not found" -> `ChatUnavailable`; 400 on
editMessageText -> "not modified" is success, "message to edit not found" / "can't be edited" ->
`MessageGone`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from aiogram import Bot
from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat
from aiogram.types import BufferedInputFile, CallbackQuery

from ..domain.delivery import ChatUnavailable, MessageGone, Placeholder, TelegramUnavailable
from ..ports import ChartDrawer
from ..render.message import Rendered
from .fsm import current_uow
from .qr import qr_png
from .telegram import TRANSIENT_TELEGRAM_ERRORS

__all__ = ["QR_FILENAME", "BotMessenger", "TelegramChat", "answer_quietly", "edit_quietly"]

log = logging.getLogger(__name__)

QR_FILENAME = "receive-xrp-qr.png"
"""File name of a /receive QR code photo."""


def _says(exc: TelegramBadRequest, *fragments: str) -> bool:
    description = exc.message.lower()
    return any(fragment in description for fragment in fragments)


@contextlib.contextmanager
def _sending(method: str) -> Iterator[None]:
    """Map a send's errors: the chat cannot get it -> ChatUnavailable, transient ->
    TelegramUnavailable; any other refusal propagates."""
    try:
        yield
    except (TelegramForbiddenError, TelegramMigrateToChat) as exc:
        raise ChatUnavailable(str(exc)) from exc
    except TelegramBadRequest as exc:
        if _says(exc, "chat not found", "user is deactivated", "peer_id_invalid"):
            raise ChatUnavailable(str(exc)) from exc
        raise
    except TRANSIENT_TELEGRAM_ERRORS as exc:
        raise TelegramUnavailable(f"{method}: {type(exc).__name__}") from exc


class BotMessenger:
    """`ports.Messenger` on an aiogram Bot.

    Args:
        bot: the Bot.
        charts: draws a message's chart; without it a chart message goes out as its text.
    """

    def __init__(self, bot: Bot, charts: ChartDrawer | None = None) -> None:
        self.bot = bot
        self.charts = charts

    async def send(self, chat_id: int, message: Rendered) -> int:
        image = await self._image(message)
        if image is not None:
            return await self._send_photo(chat_id, message, *image)
        with _sending("sendMessage"):
            sent = await self.bot.send_message(
                chat_id, message.text, reply_markup=message.keyboard
            )
        return sent.message_id

    async def edit(self, placeholder: Placeholder, message: Rendered) -> int:
        if placeholder.message_id is None:
            raise MessageGone("the placeholder was never sent")
        image = await self._image(message)
        if image is not None:
            # a text message cannot become a photo: send the image, then drop the placeholder
            shown = await self._send_photo(placeholder.chat_id, message, *image)
            await self._delete(placeholder)
            return shown
        try:
            await self.bot.edit_message_text(
                text=message.text,
                chat_id=placeholder.chat_id,
                message_id=placeholder.message_id,
                reply_markup=message.keyboard,
            )
        except (TelegramForbiddenError, TelegramMigrateToChat) as exc:
            raise ChatUnavailable(str(exc)) from exc
        except TelegramBadRequest as exc:
            if _says(exc, "message is not modified"):
                return placeholder.message_id  # already shows it: a retry after a crash
            if _says(exc, "chat not found", "user is deactivated", "peer_id_invalid"):
                raise ChatUnavailable(str(exc)) from exc
            if _says(exc, "message to edit not found", "can't be edited", "message_id_invalid"):
                raise MessageGone(str(exc)) from exc
            if _says(exc, "there is no text in the message to edit"):
                raise MessageGone(str(exc)) from exc  # a chart (photo) placeholder: answer anew
            raise
        except TRANSIENT_TELEGRAM_ERRORS as exc:
            raise TelegramUnavailable(f"editMessageText: {type(exc).__name__}") from exc
        return placeholder.message_id

    async def _image(self, message: Rendered) -> tuple[bytes, str] | None:
        """The message's image (PNG, file name): its QR code or its drawn chart (sent as a photo,
        https://core.telegram.org/bots/api#sendphoto)."""
        if message.qr is not None:
            return qr_png(message.qr), QR_FILENAME
        if message.chart is not None and self.charts is not None:
            return await self.charts.draw(message.chart), message.chart.filename
        return None

    async def _send_photo(self, chat_id: int, message: Rendered, png: bytes, filename: str) -> int:
        with _sending("sendPhoto"):
            sent = await self.bot.send_photo(
                chat_id,
                BufferedInputFile(png, filename=filename),
                caption=message.text,
                reply_markup=message.keyboard,
            )
        return sent.message_id

    async def _delete(self, placeholder: Placeholder) -> None:
        """Delete the bot's placeholder; one already gone (a redelivery) or too old to delete
        stays as it is."""
        if placeholder.message_id is None:
            return
        try:
            await self.bot.delete_message(placeholder.chat_id, placeholder.message_id)
        except (TelegramBadRequest, TelegramForbiddenError, TelegramMigrateToChat) as exc:
            log.info("placeholder %s not deleted: %s", placeholder.message_id, exc)
        except TRANSIENT_TELEGRAM_ERRORS as exc:
            raise TelegramUnavailable(f"deleteMessage: {type(exc).__name__}") from exc


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a callback query (stops the button's spinner); an expired query id is ignored.

    A retried update (after a rollback) answers the same query again, which Telegram refuses
    with "query is too old ... or query ID is invalid" (https://core.telegram.org/bots/api#answercallbackquery).
    """
    try:
        await query.answer(text)
    except TelegramBadRequest as exc:
        log.info("callback query %s not answered: %s", query.id, exc.message)


async def edit_quietly(bot: Bot, placeholder: Placeholder, text: str) -> None:
    """Replace a message's text and remove its buttons; failures that a retry cannot fix are
    logged (the reply then arrives as a new message)."""
    # without reply_markup, editMessageText removes the inline keyboard
    try:
        await bot.edit_message_text(
            text=text, chat_id=placeholder.chat_id, message_id=placeholder.message_id
        )
    except TelegramBadRequest as exc:
        if "not modified" not in exc.message.lower():
            log.info("message %s not edited: %s", placeholder.message_id, exc.message)


class TelegramChat:
    """`ports.Chat`: the chat of the update being handled (built by `middlewares.actor`).

    Inside the update's transaction (`adapters.fsm.current_uow`), `say` and `show` queue the
    message on it (`UnitOfWork.outgoing`): it is shown after the commit by the outgoing sender,
    and never if the update rolls back, so no placeholder of a failed update stays and waiting
    for the chat's send slot holds no update. Outside one (the error router, after a rollback)
    they go to Telegram at once, whose errors then propagate as aiogram's exceptions.

    Args:
        bot: the Bot.
        chat_id: the update's chat.
        placeholder_delay_s: how long a placeholder waits unsent for its answer
            (TELEGRAM_PLACEHOLDER_DELAY_MS).

    Attributes:
        said: the messages `say` placed while handling this update, oldest first.
        waiting: a placeholder of this update waits for its delay: the chat should show
            "typing…" meanwhile (`show_typing`, after the commit).
    """

    def __init__(self, bot: Bot, chat_id: int, *, placeholder_delay_s: float = 0.0) -> None:
        self.bot = bot
        self.chat_id = chat_id
        self.placeholder_delay_s = placeholder_delay_s
        self.said: list[Placeholder] = []
        self.waiting = False

    async def say(self, message: Rendered, *, placeholder: bool = False) -> Placeholder:
        uow = current_uow.get()
        if uow is not None:
            delay_s = self.placeholder_delay_s if placeholder else 0.0
            slot_id = await uow.outgoing.send(self.chat_id, message, delay_s=delay_s)
            self.waiting = self.waiting or delay_s > 0
            placeholder_at = Placeholder(self.chat_id, slot_id=slot_id)
        else:
            sent = await self.bot.send_message(
                self.chat_id, message.text, reply_markup=message.keyboard
            )
            placeholder_at = Placeholder(self.chat_id, sent.message_id)
        self.said.append(placeholder_at)
        return placeholder_at

    async def show_typing(self) -> None:
        """ "typing…" in the chat while a placeholder waits for its delay (sendChatAction: shown
        for up to 5 s or until the bot's next message, https://core.telegram.org/bots/api#sendchataction).
        Best effort: a failure is logged only."""
        try:
            await self.bot.send_chat_action(self.chat_id, ChatAction.TYPING)
        except Exception as exc:
            log.info("typing not shown in chat %s (%s)", self.chat_id, type(exc).__name__)

    async def show(self, placeholder: Placeholder, message: Rendered) -> None:
        uow = current_uow.get()
        text = message.text
        if uow is not None:
            await uow.outgoing.edit(placeholder, message)
        elif placeholder.message_id is not None:
            await edit_quietly(self.bot, placeholder, text)
        else:  # queued on a transaction that rolled back: it was never shown
            await self.bot.send_message(self.chat_id, text)
