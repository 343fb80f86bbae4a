"""Each service's rights on RabbitMQ and Postgres: least privilege, written down once. Pure data.

Every path that runs the system derives its identities from this table: `make run`, the tests,
the demo and the benchmark (`provision`), docker-compose (`deploy/compose/`) and Kubernetes
(`deploy/k8s/base/access/`); a test checks that the generated files match it.

RabbitMQ (https://www.rabbitmq.com/docs/access-control):
- `configure` lets a user declare (and delete) a queue or exchange, `write` lets it publish to an
  exchange and bind a queue it writes to, `read` lets it consume a queue and bind from an exchange.
  A service may configure, write and read only its own queues (`<service>.*`) and the shared
  exchanges it uses.
- Topic permissions on the topic exchanges narrow that by routing key: `write` is matched against
  the routing key of a publish, `read` against the binding key of a queue.bind. So only transfer
  may publish `wallet.sign_payment` and `wallet.resolve_user`, the gateway only the commands it
  sends and the one event it announces (`gateway.user_seen`, which wallet and transfer bind:
  both name users by their current username), and each service replies and
  announces only under its own name, besides `ops.dead_letters_filling` (its dead-letter queue
  is filling up), which every service may publish and only the gateway binds.
- A quorum queue that dead-letters needs `write` on its dead-letter exchange
  (`xrpbot.dead-letter`, direct): RabbitMQ checks it when the queue is declared.
- wallet answers requests on RabbitMQ's direct reply-to (`amq.rabbitmq.reply-to`), which needs
  `write` on the default exchange `amq.default`; only wallet has it.

Postgres: one login role per service that owns that service's schema and nothing else; `PUBLIC`
loses its default rights on the database and on `public`, so no role can read another's schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "BROKER_POLICIES",
    "COMMANDS_EXCHANGE",
    "DEAD_LETTERS_FILLING",
    "DEAD_LETTER_BOUNDS",
    "DEAD_LETTER_EXCHANGE",
    "EVENTS_EXCHANGE",
    "REPLIES_EXCHANGE",
    "RIGHTS",
    "SERVICES",
    "BrokerPolicy",
    "BrokerRights",
    "ServiceRights",
    "TopicRights",
    "rights_of",
]

COMMANDS_EXCHANGE = "xrpbot.commands"
REPLIES_EXCHANGE = "xrpbot.replies"
EVENTS_EXCHANGE = "xrpbot.events"
DEAD_LETTER_EXCHANGE = "xrpbot.dead-letter"
DEFAULT_EXCHANGE = "amq.default"
"""The default exchange; publishing to it reaches any queue by name (direct reply-to uses it)."""

SERVICES = ("gateway", "wallet", "transfer", "pricing")
"""Every service that runs under its own identity."""

_NOTHING = "^$"
"""A pattern no name matches (an empty name is not a valid queue, exchange or routing key)."""


def _names(*names: str) -> str:
    """A pattern matching exactly these names."""
    return "^(" + "|".join(re.escape(n) for n in names) + ")$" if names else _NOTHING


def _own_and(service: str, *names: str) -> str:
    """A pattern matching the service's own queues (`<service>.*`) and these names."""
    return "^(" + "|".join([re.escape(service) + r"\..*", *(re.escape(n) for n in names)]) + ")$"


@dataclass(frozen=True)
class TopicRights:
    """Routing keys one user may publish (`write`) and bind (`read`) on one topic exchange.

    Attributes:
        exchange: the topic exchange.
        publishes: the routing keys it may publish; each is an exact key or ends in `.*`.
        binds: the binding keys it may bind its queues with.
    """

    exchange: str
    publishes: tuple[str, ...] = ()
    binds: tuple[str, ...] = ()

    @property
    def write(self) -> str:
        """The topic permission's write pattern."""
        return _keys(self.publishes)

    @property
    def read(self) -> str:
        """The topic permission's read pattern."""
        return _keys(self.binds)


def _keys(keys: tuple[str, ...]) -> str:
    if not keys:
        return _NOTHING
    parts = [re.escape(k[:-2]) + r"\..+" if k.endswith(".*") else re.escape(k) for k in keys]
    return "^(" + "|".join(parts) + ")$"


@dataclass(frozen=True)
class BrokerRights:
    """One user's permissions on the vhost: regular expressions over queue and exchange names."""

    configure: str
    write: str
    read: str
    topics: tuple[TopicRights, ...]


@dataclass(frozen=True)
class ServiceRights:
    """What one service may do.

    Attributes:
        service: the service's name; also its Postgres schema and its queues' prefix.
        broker: its RabbitMQ permissions.
        schema: the only Postgres schema its role may use (it owns it).
    """

    service: str
    broker: BrokerRights

    @property
    def schema(self) -> str:
        """The service's own schema."""
        return self.service


DEAD_LETTERS_FILLING = "ops.dead_letters_filling"
"""The one event every service announces besides its own (`xrpbot.schemas.DeadLettersFilling`):
its dead-letter queue is filling or full. Only the gateway binds it, to tell the admins."""

_EXCHANGES_ALL = (COMMANDS_EXCHANGE, REPLIES_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE)

RIGHTS: dict[str, ServiceRights] = {
    "gateway": ServiceRights(
        "gateway",
        BrokerRights(
            configure=_own_and("gateway", *_EXCHANGES_ALL),
            write=_own_and("gateway", COMMANDS_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE),
            read=_own_and("gateway", REPLIES_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE),
            topics=(
                TopicRights(
                    COMMANDS_EXCHANGE,
                    publishes=(
                        "wallet.create_wallet",
                        "wallet.get_balance",
                        "wallet.get_daily_limit",
                        "wallet.set_daily_limit",
                        "transfer.request_transfer",
                        "transfer.confirm_transfer",
                        "transfer.cancel_transfer",
                        "transfer.get_history",
                        "transfer.get_stats",
                        "pricing.get_prices",
                    ),
                ),
                TopicRights(REPLIES_EXCHANGE, binds=("#",)),
                TopicRights(
                    EVENTS_EXCHANGE,
                    publishes=("gateway.user_seen", DEAD_LETTERS_FILLING),
                    binds=("pricing.spot_refreshed", DEAD_LETTERS_FILLING),
                ),
            ),
        ),
    ),
    "wallet": ServiceRights(
        "wallet",
        BrokerRights(
            configure=_own_and("wallet", *_EXCHANGES_ALL),
            write=_own_and(
                "wallet", REPLIES_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE, DEFAULT_EXCHANGE
            ),
            read=_own_and("wallet", COMMANDS_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE),
            topics=(
                TopicRights(COMMANDS_EXCHANGE, binds=("wallet.*",)),
                TopicRights(REPLIES_EXCHANGE, publishes=("wallet.*",)),
                TopicRights(
                    EVENTS_EXCHANGE,
                    publishes=("wallet.*", DEAD_LETTERS_FILLING),
                    binds=("gateway.user_seen",),
                ),
            ),
        ),
    ),
    "transfer": ServiceRights(
        "transfer",
        BrokerRights(
            configure=_own_and("transfer", *_EXCHANGES_ALL),
            write=_own_and(
                "transfer",
                COMMANDS_EXCHANGE,
                REPLIES_EXCHANGE,
                EVENTS_EXCHANGE,
                DEAD_LETTER_EXCHANGE,
            ),
            read=_own_and("transfer", COMMANDS_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE),
            topics=(
                TopicRights(
                    COMMANDS_EXCHANGE,
                    publishes=("wallet.sign_payment", "wallet.resolve_user"),
                    binds=("transfer.*",),
                ),
                TopicRights(REPLIES_EXCHANGE, publishes=("transfer.*",)),
                TopicRights(
                    EVENTS_EXCHANGE,
                    publishes=("transfer.*", DEAD_LETTERS_FILLING),
                    binds=("wallet.opened", "gateway.user_seen"),
                ),
            ),
        ),
    ),
    "pricing": ServiceRights(
        "pricing",
        BrokerRights(
            configure=_own_and("pricing", *_EXCHANGES_ALL),
            write=_own_and("pricing", REPLIES_EXCHANGE, EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE),
            read=_own_and("pricing", COMMANDS_EXCHANGE, DEAD_LETTER_EXCHANGE),
            topics=(
                TopicRights(COMMANDS_EXCHANGE, binds=("pricing.*",)),
                TopicRights(REPLIES_EXCHANGE, publishes=("pricing.*",)),
                TopicRights(EVENTS_EXCHANGE, publishes=("pricing.*", DEAD_LETTERS_FILLING)),
            ),
        ),
    ),
}
"""Each service's rights, by service name."""


def rights_of(service: str) -> ServiceRights:
    """The rights of `service`.

    Raises:
        KeyError: not one of SERVICES.
    """
    return RIGHTS[service]


@dataclass(frozen=True)
class BrokerPolicy:
    """A RabbitMQ policy every environment sets (https://www.rabbitmq.com/docs/policies).

    A policy, not queue arguments: the queues exist already in deployed systems, and RabbitMQ
    refuses a redeclare with other arguments (PRECONDITION_FAILED).

    Attributes:
        name: the policy's name.
        pattern: the queues it applies to (a regular expression over queue names).
        definition: its keys, e.g. max-length.
    """

    name: str
    pattern: str
    definition: dict[str, int | str]
    apply_to: str = "queues"
    priority: int = 0


DEAD_LETTER_BOUNDS = BrokerPolicy(
    name="xrpbot-dead-letter-bounds",
    pattern=r"^.*\.dead-letter$",
    definition={"max-length": 10_000, "overflow": "reject-publish"},
)
"""Each `<service>.dead-letter` queue holds at most 10,000 messages; past that new dead letters
are refused and the oldest kept for whoever investigates (https://www.rabbitmq.com/docs/maxlength).
The gateway's copies for admin alerts (`gateway.dead-letter-alerts`) are not bounded by it."""

BROKER_POLICIES = (DEAD_LETTER_BOUNDS,)
"""Every policy the provisioning, docker-compose and Kubernetes set."""
