"""RabbitMQ consumer of the gateway: every reply on `xrpbot.replies` becomes a Telegram message.

Queue `gateway.replies` (quorum, dead-letters to `gateway.dead-letter` after DELIVERY_LIMIT
deliveries) is bound to `xrpbot.replies` with `#`. A body that is not a known reply fails
validation and is dead-lettered at once; a transient Telegram failure is requeued by the
runtime's consumer middleware. The handler returns only after the delivery committed, and
FastStream then acks. Each reply is worded in its user's language (`use_cases.deliver_reply`).
"""

from __future__ import annotations

import logging
from typing import Annotated

from faststream import Context
from faststream.rabbit import RabbitRouter

from xrpbot.runtime.topology import REPLIES, consumer_queue
from xrpbot.schemas import AnyReply, TransferFailed

from .. import admin, use_cases
from ..use_cases import GatewayDeps

__all__ = ["REPLIES_QUEUE", "build_router"]

log = logging.getLogger(__name__)

REPLIES_QUEUE = "gateway.replies"
"""The gateway's queue of replies (design.md), also its inbox consumer name."""


def build_router(delivery_limit: int) -> RabbitRouter:
    """The subscriber on `gateway.replies`."""
    router = RabbitRouter()

    @router.subscriber(
        consumer_queue("gateway", REPLIES_QUEUE, "#", delivery_limit=delivery_limit),
        REPLIES,
        title="gateway.replies",
    )
    async def on_reply(reply: AnyReply, deps: Annotated[GatewayDeps, Context("deps")]) -> None:
        outcome = await use_cases.deliver_reply(
            reply,
            uow=deps.new_uow(REPLIES_QUEUE),
            messenger=deps.messenger,
            explorer_tx_url=deps.explorer_tx_url,
            i18n=deps.i18n,
        )
        log.info(
            "reply %s (%s) to chat %s: %s", reply.event_id, reply.kind, reply.chat_id, outcome
        )
        if isinstance(reply, TransferFailed) and outcome is not use_cases.Delivery.DUPLICATE:
            # issue 5: failed payments alert the admins (rate-limited, see `admin`); counted
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
