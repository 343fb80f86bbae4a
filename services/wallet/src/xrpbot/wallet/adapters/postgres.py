"""Postgres unit of work: wallets, inbox and outbox in one transaction."""

from __future__ import annotations

import asyncpg

from xrpbot.runtime.db import Conn
from xrpbot.runtime.uow import PgUnitOfWork

from ..domain.model import CustodialWallet, NewKeypair

__all__ = ["PgSignedPayments", "PgWalletRepository", "WalletUnitOfWork"]


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

    async def remember_username(self, telegram_id: int, username: str | None) -> None:
        await self.conn.execute(
            "UPDATE wallets SET username = $2 "
            "WHERE telegram_id = $1 AND username IS DISTINCT FROM $2",
            telegram_id,
            username,
        )

    async def find_by_username(self, username: str) -> CustodialWallet | None:
        row = await self.conn.fetchrow(
            "SELECT telegram_id, address, funded_at FROM wallets "
            "WHERE lower(username) = lower($1) ORDER BY created_at DESC LIMIT 1",
            username,
        )
        return _wallet(row) if row else None

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
    """The wallet's unit of work: wallets, signed payments, inbox and outbox in one transaction."""

    wallets: PgWalletRepository
    signed: PgSignedPayments

    def bind(self) -> None:
        self.wallets = PgWalletRepository(self.conn)
        self.signed = PgSignedPayments(self.conn)
