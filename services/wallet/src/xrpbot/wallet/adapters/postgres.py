"""Postgres unit of work: wallets, signed payments, Telegram users, inbox and outbox in one
transaction."""

from __future__ import annotations

import asyncpg

from xrpbot.runtime.db import Conn
from xrpbot.runtime.uow import PgUnitOfWork

from ..domain.model import CustodialWallet, NewKeypair
from ..domain.usernames import SeenUser, sighting_changes

__all__ = ["PgSignedPayments", "PgTelegramUsers", "PgWalletRepository", "WalletUnitOfWork"]


def _wallet(row: asyncpg.Record) -> CustodialWallet:
    return CustodialWallet(
        telegram_id=row["telegram_id"], address=row["address"], funded_at=row["funded_at"]
    )


class PgWalletRepository:
    """Wallets in the `wallet` schema, on the unit of work's connection."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get(self, telegram_id: int) -> CustodialWallet | None:
        row = await self.conn.fetchrow(
            "SELECT telegram_id, address, funded_at FROM wallets WHERE telegram_id = $1",
            telegram_id,
        )
        return _wallet(row) if row else None

    async def add(self, telegram_id: int, keypair: NewKeypair) -> CustodialWallet:
        await self.conn.execute(
            "INSERT INTO wallets (telegram_id, address, public_key, encrypted_seed) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (telegram_id) DO NOTHING",
            telegram_id,
            keypair.address,
            keypair.public_key,
            keypair.encrypted_seed,
        )
        wallet = await self.get(telegram_id)
        assert wallet is not None  # noqa: S101  just inserted or already there
        return wallet

    async def encrypted_seed(self, telegram_id: int) -> str | None:
        seed: str | None = await self.conn.fetchval(
            "SELECT encrypted_seed FROM wallets WHERE telegram_id = $1", telegram_id
        )
        return seed

    async def mark_funded(self, telegram_id: int) -> None:
        await self.conn.execute(
            "UPDATE wallets SET funded_at = now() WHERE telegram_id = $1 AND funded_at IS NULL",
            telegram_id,
        )

    async def own_daily_limit(self, telegram_id: int) -> int | None:
        limit: int | None = await self.conn.fetchval(
            "SELECT daily_limit_drops FROM wallets WHERE telegram_id = $1", telegram_id
        )
        return limit

    async def set_own_daily_limit(self, telegram_id: int, limit_drops: int | None) -> None:
        await self.conn.execute(
            "UPDATE wallets SET daily_limit_drops = $2 WHERE telegram_id = $1",
            telegram_id,
            limit_drops,
        )


def _seen(row: asyncpg.Record) -> SeenUser:
    return SeenUser(
        telegram_id=row["telegram_id"],
        username=row["username"],
        first_name=row["first_name"],
        username_seen_at=row["username_seen_at"],
    )


class PgTelegramUsers:
    """Telegram users and their usernames in `wallet.telegram_users`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def see(self, seen: SeenUser) -> None:
        # one sighting at a time (they are few: the gateway reports changes, not updates), so
        # two users claiming one username end with one holder
        await self.conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended('wallet.telegram_users', 0))"
        )
        rows = await self.conn.fetch(
            "SELECT telegram_id, username, first_name, username_seen_at FROM telegram_users "
            "WHERE telegram_id = $1 OR lower(username) = lower($2)",
            seen.telegram_id,
            seen.username,
        )
        before = next((_seen(r) for r in rows if r["telegram_id"] == seen.telegram_id), None)
        holder = next(
            (
                _seen(r)
                for r in rows
                if r["username"]
                and seen.username
                and r["username"].lower() == seen.username.lower()
            ),
            None,
        )
        for row in sighting_changes(seen, before=before, holder=holder):
            await self.conn.execute(
                "INSERT INTO telegram_users (telegram_id, username, first_name, username_seen_at) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (telegram_id) DO UPDATE SET "
                "username = EXCLUDED.username, first_name = EXCLUDED.first_name, "
                "username_seen_at = EXCLUDED.username_seen_at",
                row.telegram_id,
                row.username,
                row.first_name,
                row.username_seen_at,
            )

    async def holder(self, username: str) -> SeenUser | None:
        row = await self.conn.fetchrow(
            "SELECT telegram_id, username, first_name, username_seen_at FROM telegram_users "
            "WHERE lower(username) = lower($1)",
            username,
        )
        return _seen(row) if row else None


class PgSignedPayments:
    """What wallet signed (for the daily limit) and the signing requests' nonces."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def claim_nonce(self, nonce: str, forget_after_seconds: float) -> bool:
        await self.conn.execute(
            "DELETE FROM request_nonces WHERE seen_at < now() - make_interval(secs => $1)",
            forget_after_seconds,
        )
        claimed = await self.conn.fetchval(
            "INSERT INTO request_nonces (nonce) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1",
            nonce,
        )
        return claimed is not None

    async def sent_today(self, telegram_id: int, except_key: str) -> int:
        # the owner's row is locked so that two signings of one user are counted one by one
        await self.conn.execute(
            "SELECT 1 FROM wallets WHERE telegram_id = $1 FOR UPDATE", telegram_id
        )
        total: int = await self.conn.fetchval(
            "SELECT coalesce(sum(amount_drops), 0) FROM signed_payments "
            "WHERE telegram_id = $1 AND transfer_key <> $2 "
            "AND signed_at > now() - interval '24 hours'",
            telegram_id,
            except_key,
        )
        return int(total)

    async def record(self, transfer_key: str, telegram_id: int, amount_drops: int) -> None:
        await self.conn.execute(
            "INSERT INTO signed_payments (transfer_key, telegram_id, amount_drops) "
            "VALUES ($1, $2, $3) ON CONFLICT (transfer_key) DO UPDATE "
            "SET amount_drops = greatest(signed_payments.amount_drops, excluded.amount_drops)",
            transfer_key,
            telegram_id,
            amount_drops,
        )


class WalletUnitOfWork(PgUnitOfWork):
    """The wallet's unit of work: wallets, signed payments, Telegram users, inbox and outbox in
    one transaction."""

    wallets: PgWalletRepository
    signed: PgSignedPayments
    users: PgTelegramUsers

    def bind(self) -> None:
        self.wallets = PgWalletRepository(self.conn)
        self.signed = PgSignedPayments(self.conn)
        self.users = PgTelegramUsers(self.conn)
