"""The wallet service as transfer's custodian: request/reply over RabbitMQ (direct reply-to).

The request carries a message TTL equal to the timeout, so a request nobody took in time is
dropped by RabbitMQ instead of being signed for a caller that has given up.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

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

    Every SignPayment carries transfer's HMAC (`SignPayment.authenticated`) under the newest
    SIGNING_REQUEST_KEYS entry, a fresh nonce and the time, so wallet can refuse a request that
    did not come from transfer, or came too late, or twice.

    Args:
        broker: the service's broker (started).
        timeout_seconds: how long to wait for an answer.
        request_key: the HMAC key (never logged).
    """

    def __init__(self, broker: RabbitBroker, timeout_seconds: float, request_key: bytes) -> None:
        self.broker = broker
        self.timeout = timeout_seconds
        self._request_key = request_key

    def __repr__(self) -> str:
        return f"RabbitCustody(timeout={self.timeout})"

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

    async def sign(
        self, reply_to: ReplyTo, tx_json: Mapping[str, Any], *, transfer_id: UUID
    ) -> SignedBlob:
        """See `ports.Custody.sign`."""
        request = SignPayment(
            correlation_id=reply_to.correlation_id,
            user=reply_to.user,
            chat_id=reply_to.chat_id,
            tx_json=dict(tx_json),
            transfer_id=transfer_id,
        ).authenticated(
            self._request_key, issued_at=datetime.now(UTC), nonce=secrets.token_urlsafe(16)
        )
        answer = PaymentSigned.model_validate_json(await self._ask(request))
        if answer.code is not None or not answer.tx_blob or not answer.tx_hash:
            raise CustodyRefused(answer.code or ErrorCode.INTERNAL, answer.remaining_today_drops)
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
        return ResolvedUser(
            answer.telegram_id,
            answer.address,
            first_name=answer.first_name,
            username_seen_at=answer.username_seen_at,
        )
