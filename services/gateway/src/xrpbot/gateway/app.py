"""Composition root of the gateway: settings in, a runnable Service out.

- TELEGRAM_MODE=webhook: `POST /telegram/webhook` is served beside the probes; with
  TELEGRAM_WEBHOOK_URL set, setWebhook registers it (and the secret) at start-up.
- TELEGRAM_MODE=polling: once start-up finished, a task deletes any webhook and long-polls
  getUpdates.
Both feed the same Dispatcher. The replies consumer runs in either mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from pathlib import Path
from typing import Any

import asyncpg
from aiogram import Bot

from xrpbot.runtime.broker import create_broker
from xrpbot.runtime.db import create_pool
from xrpbot.runtime.service import ASGIApp, Service

from .adapters.chart import MatplotlibCharts
from .adapters.limiter import Limiter
from .adapters.messenger import BotMessenger
from .adapters.postgres.chats import PgChats
from .adapters.postgres.outgoing import PgOutgoingStore
from .adapters.postgres.retention import gateway_retention
from .adapters.postgres.send_windows import PgSendWindows
from .adapters.postgres.uow import GatewayUnitOfWork
from .adapters.queues import RabbitQueueDepths
from .adapters.telegram import RedactSecrets, create_bot
from .config import GatewaySettings
from .domain.delivery import TelegramUnavailable
from .domain.limits import Rule, Rules
from .domain.throttle import ThrottleLimits
from .entrypoints.background import (
    alerts_forever,
    broadcasts_forever,
    register_all_commands,
)
from .entrypoints.consumers import (
    GatewayDeps,
    bind_every_service,
    build_alerts_router,
    build_filling_router,
    build_rates_router,
    build_replies_router,
)
from .entrypoints.outgoing import OutgoingSender
from .entrypoints.polling import Poller, retry_forever
from .entrypoints.updates import UpdateProcessor
from .entrypoints.webhook import WEBHOOK_PATH, webhook_route
from .entrypoints.webhook_updates import WebhookUpdates
from .handlers import build_dispatcher
from .render.i18n import CatalogI18n

__all__ = ["MIGRATIONS", "UPDATES_CONSUMER", "create_service"]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"
UPDATES_CONSUMER = "gateway.updates"
"""Inbox consumer name of the units of work that process Telegram updates."""
OUTBOUND_POOL_SIZE = 8
"""Connections of the limiter, the 403 marks and the webhook's update store."""


def outbound_rules(settings: GatewaySettings) -> Rules:
    """Telegram's limits from the settings (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this)."""
    return Rules(
        global_=Rule(settings.telegram_global_messages_per_second, 1.0),
        # 1/s per chat on average, with the short bursts Telegram allows ("We may allow short
        # bursts that go over this limit", bots FAQ): a placeholder and its answer need not
        # wait a second for each other
        chat=Rule(
            settings.telegram_chat_burst,
            settings.telegram_chat_burst / settings.telegram_chat_messages_per_second,
        ),
        group=Rule(settings.telegram_group_messages_per_minute, 60.0),
        margin_s=settings.telegram_send_margin_seconds,
    )


def redact_logs(*secrets: str | None) -> None:
    """Scrub `secrets` from everything the root logger's handlers write."""
    redact = RedactSecrets(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def create_service(settings: GatewaySettings, *, bot: Bot | None = None) -> Service:
    """Wire the gateway: broker and replies consumer, Postgres, the Bot, webhook or polling.

    Args:
        settings: the gateway's settings.
        bot: a ready Bot (tests); by default one on TELEGRAM_API_BASE with TELEGRAM_BOT_TOKEN.
    """
    redact_logs(settings.bot_token, settings.webhook_secret)
    # every message waits for a slot within Telegram's limits, shared by the replicas through
    # Postgres once start-up opened the database (adapters/limiter.py)
    limiter = Limiter(
        rules=outbound_rules(settings), max_wait_s=settings.telegram_send_max_wait_seconds
    )
    outbound_pool: list[asyncpg.Pool[Any]] = []  # opened on ready
    # this process's name on its outbound connections and its sender's leases, which are free
    # to the other replicas once its heartbeat stops (adapters/postgres/outgoing.py)
    outbound_name = f"gateway-outbound-{secrets.token_hex(4)}"

    async def on_forbidden(chat_id: int, reason: str) -> None:
        if outbound_pool:
            await PgChats(outbound_pool[0]).mark_inactive(chat_id, reason)

    bot = bot or create_bot(
        settings.bot_token, settings.telegram_api_base, limiter=limiter, on_forbidden=on_forbidden
    )
    broker = create_broker(settings, transient=(TelegramUnavailable,))
    broker.include_router(build_replies_router(settings.delivery_limit))
    broker.include_router(build_rates_router(settings.delivery_limit))
    broker.include_router(build_alerts_router())
    broker.include_router(build_filling_router(settings.delivery_limit))
    charts = MatplotlibCharts()
    i18n = CatalogI18n()  # the catalogs (render/locales/*.po), compiled in memory
    tasks: list[asyncio.Task[None]] = []
    senders: list[OutgoingSender] = []  # started on ready, with the outbound pool

    def wake_senders_now() -> None:
        for sender in senders:
            sender.wake_soon()

    async def wake_senders(_: Bot | None = None) -> None:
        wake_senders_now()

    def new_uow(consumer: str = UPDATES_CONSUMER) -> GatewayUnitOfWork:
        return service.unit_of_work(GatewayUnitOfWork, consumer)

    dp = build_dispatcher(
        new_uow,
        i18n=i18n,
        throttle=ThrottleLimits(settings.throttle_burst, settings.throttle_per_second),
        admin_ids=settings.admin_ids,
        queue_depths=RabbitQueueDepths(settings.rabbitmq_url),
        support_contact=settings.support,
        on_commit=wake_senders,
        placeholder_delay_s=settings.telegram_placeholder_delay_ms / 1000,
    )
    processor = UpdateProcessor(dp, bot)
    webhook_updates = WebhookUpdates(processor)
    allowed_updates = dp.resolve_used_update_types()
    routes: dict[str, ASGIApp] = {}
    if settings.telegram_mode == "webhook":
        secret = settings.webhook_secret
        assert secret is not None  # noqa: S101  required in webhook mode by GatewaySettings
        routes[WEBHOOK_PATH] = webhook_route(
            secret=secret,
            processor=processor,
            updates=webhook_updates,
            ready=lambda: service.started.is_set(),
            update_types=allowed_updates,
        )
    service = Service(
        "gateway",
        settings,
        broker,
        MIGRATIONS,
        routes=routes,
        retention=gateway_retention(settings.retention_seconds),
    )
    messenger = BotMessenger(bot, charts)
    deps = GatewayDeps(
        new_uow=new_uow,
        messenger=messenger,
        wake=wake_senders_now,
        explorer_tx_url=settings.explorer_tx_url,
        admin_ids=settings.admin_ids,
        i18n=i18n,
    )
    broker.context.set_global("deps", deps)

    async def start_background(_: Service) -> None:
        # the command list in every language, dead-letter copies of every service, alerts,
        # broadcasts
        await bind_every_service(broker)
        tasks.append(
            asyncio.create_task(
                retry_forever("setMyCommands", lambda: register_all_commands(bot, i18n)),
                name="telegram-set-my-commands",
            )
        )
        tasks.append(asyncio.create_task(alerts_forever(deps), name="gateway-alerts"))
        tasks.append(asyncio.create_task(broadcasts_forever(deps), name="gateway-broadcasts"))

    service.on_ready.append(start_background)

    async def start_outbound(_: Service) -> None:
        # a pool of its own: a send waiting for its slot holds a connection of the main pool
        # (its update's or reply's transaction), and the limiter must never wait behind it
        pool = await create_pool(
            settings.database_url,
            schema="gateway",
            application_name=outbound_name,
            max_size=OUTBOUND_POOL_SIZE,
        )
        outbound_pool.append(pool)
        limiter.use(PgSendWindows(pool))
        # the bot's queued messages, shown after the commits that decided them
        sender = OutgoingSender(
            PgOutgoingStore(pool, outbound_name),
            messenger,
            lease_s=settings.telegram_send_max_wait_seconds + 120.0,
        )
        senders.append(sender)
        tasks.append(asyncio.create_task(sender.run(), name="gateway-outgoing"))
        if settings.telegram_mode == "webhook":
            webhook_updates.start(pool)

    # before the other hooks: the webhook may answer 200 only once its updates can be stored
    service.on_ready.insert(0, start_outbound)

    if settings.telegram_mode == "webhook":
        url = settings.telegram_webhook_url
        if url is not None:

            async def register_webhook(_: Service) -> None:
                async def set_webhook() -> None:
                    await bot.set_webhook(
                        url,
                        secret_token=secret,
                        allowed_updates=allowed_updates,
                        drop_pending_updates=False,
                    )
                    log.info("webhook registered with Telegram")

                tasks.append(
                    asyncio.create_task(
                        retry_forever("setWebhook", set_webhook), name="telegram-set-webhook"
                    )
                )

            service.on_ready.append(register_webhook)
    else:
        poller = Poller(
            bot,
            processor,
            allowed_updates=allowed_updates,
            timeout_s=settings.telegram_polling_timeout_seconds,
        )

        async def start_polling(_: Service) -> None:
            poller.start()

        async def stop_polling(_: Service) -> None:
            await poller.stop()

        service.on_ready.append(start_polling)
        service.on_stop.append(stop_polling)

    async def close(_: Service) -> None:
        # stop granting send slots (waiting replies are requeued), let the requests in flight
        # finish, and only then close the session: a request cut off after Telegram accepted
        # it would be sent again by the redelivery
        await webhook_updates.stop()
        for sender in senders:  # what is in flight finishes; the rest waits in the table
            await sender.stop(timeout_s=5.0)
        limiter.close()  # a send still waiting for its slot gives up: due again, elsewhere
        for sender in senders:
            await sender.stop(timeout_s=5.0)
        if not await limiter.drain(timeout_s=10.0):
            log.warning("Telegram requests still in flight at shutdown")
        charts.close()
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await bot.session.close()

    service.on_stop.append(close)

    async def close_outbound(_: Service) -> None:
        for pool in outbound_pool:
            await pool.close()

    service.on_stop.append(close_outbound)
    return service
