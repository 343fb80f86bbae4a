"""RabbitMQ topology shared by every service: the design's exchanges, quorum queues, dead letters.

Queues are durable quorum queues with a delivery limit; a message that keeps failing goes to
the service's dead-letter queue `<service>.dead-letter`
(https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling).
"""

from __future__ import annotations

from faststream.rabbit import ExchangeType, QueueType, RabbitExchange, RabbitQueue

from xrpbot.schemas import COMMANDS_EXCHANGE, EVENTS_EXCHANGE, REPLIES_EXCHANGE

__all__ = [
    "COMMANDS",
    "DEAD_LETTER",
    "EVENTS",
    "EXCHANGES",
    "REPLIES",
    "consumer_queue",
    "dead_letter_queue",
]

COMMANDS = RabbitExchange(COMMANDS_EXCHANGE, type=ExchangeType.TOPIC, durable=True)
REPLIES = RabbitExchange(REPLIES_EXCHANGE, type=ExchangeType.TOPIC, durable=True)
EVENTS = RabbitExchange(EVENTS_EXCHANGE, type=ExchangeType.TOPIC, durable=True)
DEAD_LETTER = RabbitExchange("xrpbot.dead-letter", type=ExchangeType.DIRECT, durable=True)
EXCHANGES: dict[str, RabbitExchange] = {e.name: e for e in (COMMANDS, REPLIES, EVENTS)}
"""The exchanges an outbox row may name, by name."""


def consumer_queue(
    service: str, name: str, routing_key: str, *, delivery_limit: int
) -> RabbitQueue:
    """A durable quorum queue that dead-letters to `<service>.dead-letter` after `delivery_limit`.

    Args:
        service: owning service; also the dead-letter routing key.
        name: queue name (for commands, the command's routing key).
        routing_key: binding key on the exchange the subscriber names.
        delivery_limit: deliveries before the message is dead-lettered.
    """
    return RabbitQueue(
        name,
        queue_type=QueueType.QUORUM,
        durable=True,
        routing_key=routing_key,
        arguments={
            "x-dead-letter-exchange": DEAD_LETTER.name,
            "x-dead-letter-routing-key": service,
            "x-delivery-limit": delivery_limit,
        },
    )


def dead_letter_queue(service: str) -> RabbitQueue:
    """The service's dead-letter queue, bound to `xrpbot.dead-letter` with key `service`."""
    return RabbitQueue(
        f"{service}.dead-letter", queue_type=QueueType.QUORUM, durable=True, routing_key=service
    )
