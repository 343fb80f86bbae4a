"""The wallet service as transfer's custodian: request/reply over RabbitMQ (direct reply-to).

The request carries a message TTL equal to the timeout, so a request nobody took in time is
dropped by RabbitMQ instead of being signed for a caller that has given up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from faststream.rabbit import RabbitBroker

from xrpbot.runtime.topology import COMMANDS
from xrpbot.schemas import (
    ErrorCode,
    PaymentSigned,
    ResolveUser,
    SignPayment,
    UserResolved,
)

from ..domain.reply_to import ReplyTo
from ..ports import CustodyRefused, CustodyUnavailable, ResolvedUser, SignedBlob

__all__ = ["RabbitCustody"]


class RabbitCustody:
    """Asks wallet to sign (SignPayment → PaymentSigned) and resolve (ResolveUser → UserResolved).

    Args:
        broker: the service's broker (started).
        timeout_seconds: how long to wait for an answer.
    """

    def __init__(self, broker: RabbitBroker, timeout_seconds: float) -> None:
        self.broker = broker
        self.timeout = timeout_seconds

    async def _ask(self, request: SignPayment | ResolveUser) -> bytes:
        try:
            answer = await self.broker.request(
                request.model_dump_json(),
                exchange=COMMANDS,
                routing_key=request.kind,
                correlation_id=str(request.correlation_id),
                message_id=str(request.event_id),
                content_type="application/json",
                timeout=self.timeout,
                expiration=self.timeout,
            )
        except TimeoutError as exc:
            raise CustodyUnavailable(f"{request.kind}: no answer") from exc
        body: bytes = answer.body
        return body

    async def sign(self, reply_to: ReplyTo, tx_json: Mapping[str, Any]) -> SignedBlob:
        """See `ports.Custody.sign`."""
        request = SignPayment(
            correlation_id=reply_to.correlation_id,
            user=reply_to.user,
            chat_id=reply_to.chat_id,
            tx_json=dict(tx_json),
        )
        answer = PaymentSigned.model_validate_json(await self._ask(request))
        if answer.code is not None or not answer.tx_blob or not answer.tx_hash:
            raise CustodyRefused(answer.code or ErrorCode.INTERNAL)
        return SignedBlob(answer.tx_blob, answer.tx_hash.upper())

    async def resolve(self, reply_to: ReplyTo, username: str) -> ResolvedUser | None:
        """See `ports.Custody.resolve`."""
        request = ResolveUser(
            correlation_id=reply_to.correlation_id,
            user=reply_to.user,
            chat_id=reply_to.chat_id,
            username=username,
        )
        answer = UserResolved.model_validate_json(await self._ask(request))
        if answer.address is None or answer.telegram_id is None:
            return None
        return ResolvedUser(answer.telegram_id, answer.address)
