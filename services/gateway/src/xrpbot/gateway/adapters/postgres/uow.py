"""Postgres unit of work of the gateway: update claims, pending replies, reply views, quote
presses, the per-user throttle, FSM state, inbox, outbox; the other table groups' repositories
on its transaction.

All tables live in the `gateway` schema (migrations/0001_gateway.sql … 0008_chat_messages.sql); how
long their rows are kept is `retention.py`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from uuid import UUID

from xrpbot.runtime.uow import PgUnitOfWork

from ...domain.delivery import Placeholder, ReplyView
from ...domain.throttle import Verdict
from .admin import PgAdminStore
from .chats import PgChats
from .fiat import PgFiatStore
from .outgoing import PgOutgoing
from .preferences import PgPreferencesStore
from .users import PgReportedUsers

__all__ = ["GatewayUnitOfWork"]


# the bucket refilled since the last command: at most `burst` ($2), `per_second` ($3) a second
_REFILLED = (
    "least($2::float8, t.tokens + $3::float8 * greatest(0, "
    "extract(epoch FROM EXCLUDED.refilled_at - t.refilled_at)))"
)
_THROTTLE = (
    "INSERT INTO command_throttle AS t (telegram_id, tokens, refilled_at, verdict) "  # noqa: S608  constant SQL
    "VALUES ($1, $2::float8 - 1, coalesce($4, clock_timestamp()), 'allow') "
    "ON CONFLICT (telegram_id) DO UPDATE SET "
    f"tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END, "
    "refilled_at = greatest(EXCLUDED.refilled_at, t.refilled_at), "
    f"verdict = CASE WHEN {_REFILLED} >= 1 THEN 'allow' "
    "WHEN t.verdict = 'allow' THEN 'notice' ELSE 'drop' END "
    "RETURNING verdict"
)


class GatewayUnitOfWork(PgUnitOfWork):
    """One transaction on the gateway's schema; satisfies `ports.UnitOfWork`."""

    @property
    def fiat(self) -> PgFiatStore:
        """Users' fiat currencies and the latest rates, on this transaction."""
        return PgFiatStore(self.conn)

    @property
    def preferences(self) -> PgPreferencesStore:
        """Users' preferences (/settings), on this transaction."""
        return PgPreferencesStore(self.conn)

    @property
    def chats(self) -> PgChats:
        """The chats the bot knows, on this transaction."""
        return PgChats(self.conn)

    @property
    def admin(self) -> PgAdminStore:
        """User counts, admin alerts, broadcasts, on this transaction."""
        return PgAdminStore(self.conn)

    @property
    def users(self) -> PgReportedUsers:
        """The users reported to the other services, on this transaction."""
        return PgReportedUsers(self.conn)

    @property
    def outgoing(self) -> PgOutgoing:
        """The bot's messages queued on this transaction."""
        return PgOutgoing(self.conn)

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A SAVEPOINT (asyncpg's nested transaction): rolled back to if the block raises."""
        async with self.conn.transaction():
            yield

    async def throttle(
        self,
        telegram_id: int,
        *,
        burst: int,
        per_second: float,
        now: datetime | None = None,
    ) -> Verdict:
        """Token bucket in one upsert (the row lock serialises a user's concurrent updates).

        The allowance refills at `per_second` from the database clock (`now` in tests), up
        to `burst`; a command spends 1. The verdict is 'notice' only for the first throttled
        command after an allowed one, so one burst gets one notice.
        """
        verdict = await self.conn.fetchval(
            _THROTTLE,
            telegram_id,
            float(burst),
            float(per_second),
            now,
        )
        return Verdict(verdict)

    async def set_reply_view(self, correlation_id: UUID, view: ReplyView) -> None:
        await self.conn.execute(
            "INSERT INTO reply_views (correlation_id, view, args) VALUES ($1, $2, $3) "
            "ON CONFLICT (correlation_id) DO NOTHING",
            correlation_id,
            view.view,
            view.args,
        )

    async def reply_view(self, correlation_id: UUID) -> ReplyView | None:
        row = await self.conn.fetchrow(
            "SELECT view, args FROM reply_views WHERE correlation_id = $1", correlation_id
        )
        return ReplyView(row["view"], dict(row["args"])) if row else None

    async def claim_update(self, update_id: int) -> bool:
        # the primary key makes a concurrent claim of the same update wait for this one's end
        row = await self.conn.fetchval(
            "INSERT INTO processed_updates (update_id) VALUES ($1) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            update_id,
        )
        return row is not None

    async def expect_reply(self, correlation_id: UUID, placeholder: Placeholder) -> None:
        await self.conn.execute(
            "INSERT INTO pending_replies (correlation_id, chat_id, message_id, slot_id) "
            "VALUES ($1, $2, $3, $4)",
            correlation_id,
            placeholder.chat_id,
            placeholder.message_id,
            placeholder.slot_id,
        )

    async def placeholder(self, correlation_id: UUID) -> Placeholder | None:
        # FOR UPDATE: the replies of one payment (submitted, then validated) edit one message
        # one after the other, and a reply that finds the row gone does not resurrect it
        row = await self.conn.fetchrow(
            "SELECT chat_id, message_id, slot_id FROM pending_replies "
            "WHERE correlation_id = $1 FOR UPDATE",
            correlation_id,
        )
        return Placeholder(row["chat_id"], row["message_id"], row["slot_id"]) if row else None

    async def forget_placeholder(self, correlation_id: UUID) -> None:
        await self.conn.execute(
            "DELETE FROM pending_replies WHERE correlation_id = $1", correlation_id
        )

    async def quote_message(self, transfer_id: UUID) -> tuple[UUID, Placeholder] | None:
        row = await self.conn.fetchrow(
            "SELECT r.correlation_id, r.chat_id, r.message_id, r.slot_id "
            "FROM quote_presses q JOIN pending_replies r USING (correlation_id) "
            "WHERE q.transfer_id = $1 FOR UPDATE OF r",
            transfer_id,
        )
        if row is None:
            return None
        placeholder = Placeholder(row["chat_id"], row["message_id"], row["slot_id"])
        return row["correlation_id"], placeholder

    async def press_quote(self, transfer_id: UUID, correlation_id: UUID) -> bool:
        # the primary key makes a press at the same instant wait, then lose
        row = await self.conn.fetchval(
            "INSERT INTO quote_presses (transfer_id, correlation_id) VALUES ($1, $2) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            transfer_id,
            correlation_id,
        )
        return row is not None

    async def fsm_state(self, key: str) -> tuple[str | None, dict[str, Any]]:
        # a transaction-level advisory lock serialises one conversation's updates, also while
        # it has no row yet (released at commit or rollback)
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
        row = await self.conn.fetchrow("SELECT state, data FROM fsm_states WHERE key = $1", key)
        if row is None:
            return None, {}
        return row["state"], dict(row["data"])

    async def set_fsm_state(self, key: str, state: str | None) -> None:
        await self.conn.execute(
            "INSERT INTO fsm_states (key, state) VALUES ($1, $2) "
            "ON CONFLICT (key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()",
            key,
            state,
        )
        await self._drop_empty_fsm(key)

    async def set_fsm_data(self, key: str, data: dict[str, Any]) -> None:
        await self.conn.execute(
            "INSERT INTO fsm_states (key, data) VALUES ($1, $2) "
            "ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()",
            key,
            data,
        )
        await self._drop_empty_fsm(key)

    async def _drop_empty_fsm(self, key: str) -> None:
        await self.conn.execute(
            "DELETE FROM fsm_states WHERE key = $1 AND state IS NULL AND data = '{}'::jsonb", key
        )
