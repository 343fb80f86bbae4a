"""RabbitMQ consumers of the gateway: replies become Telegram messages, pricing's spot prices
become the fiat rates the gateway keeps, and dead letters alert the admins.

- `gateway.replies` (quorum, dead-letters to `gateway.dead-letter` after DELIVERY_LIMIT
  deliveries) is bound to `xrpbot.replies` with `#`. A body that is not a known reply fails
  validation and is dead-lettered at once; a transient Telegram failure is requeued by the
  runtime's consumer middleware. The handler returns only after the delivery committed, and
  FastStream then acks. Each reply is worded in its user's language
  (`use_cases.replies.deliver_reply`).
- `gateway.pricing.spot_refreshed` (quorum, dead-letters to `gateway.dead-letter`) is bound to
  `xrpbot.events` with `pricing.spot_refreshed`: each event updates the latest XRP price per
  fiat currency, so /balance shows fiat equivalents without ever asking pricing and waiting.
- `gateway.ops.dead_letters_filling` (quorum, dead-letters to `gateway.dead-letter`) is bound to
  `xrpbot.events` with `ops.dead_letters_filling`: a service's dead-letter queue reached 80 % of
  its bound or is full (`xrpbot.runtime.dead_letter_alerts`, once per crossing); each admin is
  told in their language, once per event (inbox).
- `gateway.dead-letter-alerts` (quorum) is bound to the `xrpbot.dead-letter` exchange with
  each service's routing key, beside the services' own `<service>.dead-letter` queues, which
  keep the messages for inspection: this queue only gets copies. It has no dead-letter exchange
  of its own and its handler never raises, so an alert can never loop back into the dead
  letters. Each copy counts one "dead_letter" event per original queue (`x-first-death-queue`,
  https://www.rabbitmq.com/docs/dlx#effects).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from aiogram.utils.i18n import I18n
from faststream import Context
from faststream.rabbit import QueueType, RabbitBroker, RabbitMessage, RabbitQueue, RabbitRouter

from xrpbot.runtime.topology import DEAD_LETTER, EVENTS, REPLIES, consumer_queue
from xrpbot.schemas import AnyReply, DeadLettersFilling, SpotPricesRefreshed, TransferFailed

from ..domain.delivery import Delivery
from ..ports import Messenger, UnitOfWork
from ..render.links import TESTNET_TX_EXPLORER
from ..use_cases import admin
from ..use_cases.replies import deliver_reply, record_spot_prices

__all__ = [
    "ALERTS_QUEUE",
    "FILLING_QUEUE",
    "RATES_QUEUE",
    "REPLIES_QUEUE",
    "GatewayDeps",
    "alerts_queue",
    "bind_every_service",
    "build_alerts_router",
    "build_filling_router",
    "build_rates_router",
    "build_replies_router",
    "dead_letter_source",
]

log = logging.getLogger(__name__)

REPLIES_QUEUE = "gateway.replies"
"""The gateway's queue of replies (design.md), also its inbox consumer name."""
RATES_QUEUE = "gateway." + SpotPricesRefreshed.ROUTING_KEY
"""The gateway's queue of spot-price events (`<consumer>.<routing key>`)."""
ALERTS_QUEUE = "gateway.dead-letter-alerts"
"""The gateway's queue of dead-letter copies."""
FILLING_QUEUE = "gateway." + DeadLettersFilling.ROUTING_KEY
"""The gateway's queue of dead-letter queues filling up (`<consumer>.<routing key>`)."""


@dataclass(frozen=True)
class GatewayDeps:
    """What the consumers and the background work need, built once by the composition root.

    Attributes:
        new_uow: a unit of work whose inbox claims are recorded for the given consumer.
        messenger: sends and edits Telegram messages at once (admin alerts, broadcasts).
        wake: wakes the outgoing sender after a reply's message was queued and committed.
        explorer_tx_url: prefix of a transaction's explorer page (EXPLORER_TX_URL).
        admin_ids: Telegram ids of the admins (ADMIN_IDS), who get the alerts.
        i18n: the catalogs (`render.i18n.CatalogI18n`); None writes English.
    """

    new_uow: Callable[[str], UnitOfWork]
    messenger: Messenger
    wake: Callable[[], None] = lambda: None
    explorer_tx_url: str = TESTNET_TX_EXPLORER
    admin_ids: frozenset[int] = frozenset()
    i18n: I18n | None = None


def build_replies_router(delivery_limit: int) -> RabbitRouter:
    """The subscriber on `gateway.replies`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue("gateway", REPLIES_QUEUE, "#", delivery_limit=delivery_limit),
        REPLIES,
        title="gateway.replies",
    )
    async def on_reply(reply: AnyReply, deps: Annotated[GatewayDeps, Context("deps")]) -> None:
        outcome = await deliver_reply(
            reply,
            uow=deps.new_uow(REPLIES_QUEUE),
            explorer_tx_url=deps.explorer_tx_url,
            i18n=deps.i18n,
        )
        deps.wake()
        log.info(
            "reply %s (%s) to chat %s: %s", reply.event_id, reply.kind, reply.chat_id, outcome
        )
        if isinstance(reply, TransferFailed) and outcome is not Delivery.DUPLICATE:
            # failed payments alert the admins (rate-limited, see `use_cases.admin`); counted
            # after the user's message, at most once per reply (a redelivery is a duplicate)
            try:
                await admin.record_alert(
                    "payment_failed",
                    str(reply.code),
                    uow=deps.new_uow(REPLIES_QUEUE),
                    messenger=deps.messenger,
                    admin_ids=deps.admin_ids,
                    i18n=deps.i18n,
                )
            except Exception as exc:  # the user's answer is delivered: never retry for this
                log.warning("failed-payment alert not recorded (%s)", type(exc).__name__)

    return router


def build_rates_router(delivery_limit: int) -> RabbitRouter:
    """The subscriber on `gateway.pricing.spot_refreshed`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(
            "gateway", RATES_QUEUE, SpotPricesRefreshed.ROUTING_KEY, delivery_limit=delivery_limit
        ),
        EVENTS,
        title=RATES_QUEUE,
    )
    async def on_spot_prices_refreshed(
        event: SpotPricesRefreshed, deps: Annotated[GatewayDeps, Context("deps")]
    ) -> None:
        changed = await record_spot_prices(event, uow=deps.new_uow(RATES_QUEUE))
        log.info("spot prices %s: %d rates updated", event.event_id, changed)

    return router


def build_filling_router(delivery_limit: int) -> RabbitRouter:
    """The subscriber on `gateway.ops.dead_letters_filling`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue(
            "gateway", FILLING_QUEUE, DeadLettersFilling.ROUTING_KEY, delivery_limit=delivery_limit
        ),
        EVENTS,
        title=FILLING_QUEUE,
    )
    async def on_dead_letters_filling(
        event: DeadLettersFilling, deps: Annotated[GatewayDeps, Context("deps")]
    ) -> None:
        told = await admin.alert_dead_letters_filling(
            event,
            uow=deps.new_uow(FILLING_QUEUE),
            messenger=deps.messenger,
            admin_ids=deps.admin_ids,
            i18n=deps.i18n,
        )
        log.warning(
            "%s holds %d of %d messages (%s): %d admins told",
            event.queue,
            event.messages,
            event.bound,
            "full" if event.full else "filling",
            told,
        )

    return router


def dead_letter_source(headers: dict[str, Any]) -> str:
    """The queue a dead-lettered message came from, from its headers ("unknown" if absent)."""
    first = headers.get("x-first-death-queue")
    if isinstance(first, str | bytes) and first:
        return first.decode() if isinstance(first, bytes) else first
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict):
        queue = deaths[0].get("queue")
        if isinstance(queue, str | bytes) and queue:
            return queue.decode() if isinstance(queue, bytes) else queue
    return "unknown"


def alerts_queue(routing_key: str = "gateway") -> RabbitQueue:
    """`gateway.dead-letter-alerts`, bound with `routing_key` (no DLX: see the module)."""
    return RabbitQueue(
        ALERTS_QUEUE, queue_type=QueueType.QUORUM, durable=True, routing_key=routing_key
    )


def build_alerts_router() -> RabbitRouter:
    """The subscriber on `gateway.dead-letter-alerts` (bound for the gateway's own dead
    letters; `bind_every_service` adds the other services' routing keys)."""
    router = RabbitRouter()

    # no_reply: a dead-lettered request (wallet.sign_payment past its TTL) still carries its
    # reply_to; answering it would publish to the default exchange, which the gateway may not,
    # and the broker would close the channel the replies are consumed on
    @router.subscriber(alerts_queue(), DEAD_LETTER, title=ALERTS_QUEUE, no_reply=True)
    async def on_dead_letter(
        msg: RabbitMessage, deps: Annotated[GatewayDeps, Context("deps")]
    ) -> None:
        source = dead_letter_source(dict(msg.headers))
        try:
            await admin.record_alert(
                "dead_letter",
                source,
                uow=deps.new_uow(ALERTS_QUEUE),
                messenger=deps.messenger,
                admin_ids=deps.admin_ids,
                i18n=deps.i18n,
            )
        except Exception as exc:  # never raise: this queue must not dead-letter its own
            log.warning("dead-letter alert from %s not recorded (%s)", source, type(exc).__name__)

    return router


async def bind_every_service(broker: RabbitBroker) -> None:
    """Bind `gateway.dead-letter-alerts` to `xrpbot.dead-letter` for every service
    (idempotent; run once the broker is connected)."""
    queue = await broker.declare_queue(alerts_queue())
    exchange = await broker.declare_exchange(DEAD_LETTER)
    for service in admin.SERVICES:
        await queue.bind(exchange, routing_key=service)
