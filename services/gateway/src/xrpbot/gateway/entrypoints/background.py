"""Background work of the gateway, started once the service is ready: the command list
(setMyCommands, in every language), the alert flusher and the broadcast sender. Every replica
runs them; Postgres row locks keep them from doing the same work twice. (Old rows are pruned by
the service's retention pruner: `adapters.postgres.retention`.)"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)
from aiogram.utils.i18n import I18n

from ..domain.delivery import TelegramUnavailable
from ..domain.parsing import PUBLIC_COMMANDS
from ..domain.preferences import DEFAULT_LOCALE, LOCALES
from ..render.i18n import locale_context
from ..render.texts import common
from ..use_cases import admin
from .consumers import GatewayDeps

__all__ = [
    "alerts_forever",
    "broadcasts_forever",
    "register_all_commands",
    "register_commands",
]

log = logging.getLogger(__name__)

ALERT_FLUSH_EVERY_S = 60.0
BROADCAST_IDLE_S = 2.0


async def register_commands(bot: Bot, language_code: str | None = None) -> None:
    """Register the command list with setMyCommands (https://core.telegram.org/bots/api#setmycommands).

    Private chats (and the default scope) get every command; groups only those answered
    there (`domain.parsing.PUBLIC_COMMANDS`). The descriptions are in the current
    context's language; `language_code` ("es", "ru") is the users Telegram shows them to,
    None every other user (see `register_all_commands`).
    """
    commands = [BotCommand(command=c, description=d) for c, d in common.bot_commands()]
    public = [c for c in commands if c.command in PUBLIC_COMMANDS]
    for scope, listed in (
        (BotCommandScopeDefault(), commands),
        (BotCommandScopeAllPrivateChats(), commands),
        (BotCommandScopeAllGroupChats(), public),
    ):
        await bot.set_my_commands(listed, scope=scope, language_code=language_code)
    log.info("command list registered (%s)", language_code or "default")


async def register_all_commands(bot: Bot, i18n: I18n | None) -> None:
    """The command list in every language: English as the default list (users whose app
    language the bot does not speak), then each translation for its `language_code`."""
    with locale_context(i18n, DEFAULT_LOCALE):
        await register_commands(bot)
    for locale in LOCALES:
        if locale != DEFAULT_LOCALE:
            with locale_context(i18n, locale):
                await register_commands(bot, language_code=locale)


async def alerts_forever(deps: GatewayDeps, *, every_s: float = ALERT_FLUSH_EVERY_S) -> None:
    """Every minute, send the alert summaries a quiet period left waiting."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await admin.flush_alerts(
                uow=deps.new_uow("gateway.alerts"),
                messenger=deps.messenger,
                admin_ids=deps.admin_ids,
                i18n=deps.i18n,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("alert flush failed (%s)", type(exc).__name__)


async def broadcasts_forever(
    deps: GatewayDeps,
    *,
    idle_s: float = BROADCAST_IDLE_S,
    sleep: Callable[[float], object] = asyncio.sleep,
) -> None:
    """Send queued broadcasts, one message at a time (see `use_cases.admin.broadcast_step`)."""
    while True:
        try:
            busy = await admin.broadcast_step(
                uow=deps.new_uow("gateway.broadcasts"),
                messenger=deps.messenger,
                i18n=deps.i18n,
            )
        except asyncio.CancelledError:
            raise
        except TelegramUnavailable as exc:
            log.warning("broadcast paused: Telegram unavailable (%s)", exc)
            busy = False
        except Exception as exc:
            log.warning("broadcast step failed (%s)", type(exc).__name__)
            busy = False
        if not busy:
            await asyncio.sleep(idle_s)
