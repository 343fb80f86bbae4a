"""Consumer middleware: correlation id in logs, metrics, and retries of transient failures."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from faststream import BaseMiddleware
from faststream.exceptions import HandlerException, RejectMessage
from faststream.message import StreamMessage

from .logs import correlation_id_var
from .metrics import HANDLER_SECONDS, MESSAGES

__all__ = ["ConsumeMiddleware", "consume_middleware"]

log = logging.getLogger(__name__)


class ConsumeMiddleware(BaseMiddleware):
    """Wraps every handler of a service.

    A transient error (a dependency down: Postgres, the ledger, ...) requeues the message after
    a back-off that grows with its delivery count (1 s, 2 s, 4 s ... 30 s), so an outage of a
    few minutes loses nothing; past the queue's delivery limit it is dead-lettered. Any other
    error dead-letters the message at once (FastStream's REJECT_ON_ERROR).
    """

    transient: tuple[type[BaseException], ...] = ()

    def __init__(self, msg: Any, /, *, context: Any, transient: tuple[type[BaseException], ...]):
        super().__init__(msg, context=context)
        self.transient = transient

    async def consume_scope(self, call_next: Callable[[Any], Any], msg: StreamMessage[Any]) -> Any:
        token = correlation_id_var.set(msg.correlation_id)
        raw = getattr(msg, "raw_message", None)
        queue = getattr(raw, "routing_key", None) or "unknown"
        started = time.perf_counter()
        outcome = "ok"
        try:
            return await call_next(msg)
        except HandlerException:
            raise
        except self.transient as exc:
            outcome = "retried"
            count = int((msg.headers or {}).get("x-delivery-count", 0) or 0)
            delay = min(2.0**count, 30.0)
            log.warning("transient failure (%s), requeue in %.0f s", type(exc).__name__, delay)
            await asyncio.sleep(delay)
            raise RejectMessage(requeue=True) from exc
        except Exception:
            outcome = "failed"
            log.exception("handler failed; the message goes to the dead-letter queue")
            raise
        finally:
            HANDLER_SECONDS.labels(queue).observe(time.perf_counter() - started)
            MESSAGES.labels(queue, outcome).inc()
            correlation_id_var.reset(token)


def consume_middleware(transient: tuple[type[BaseException], ...]) -> Any:
    """The middleware factory to pass to `RabbitBroker(middlewares=[...])`."""
    return partial(ConsumeMiddleware, transient=transient)
