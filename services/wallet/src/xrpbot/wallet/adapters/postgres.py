"""Postgres unit of work: wallets, inbox and outbox in one transaction."""

from __future__ import annotations

import asyncpg

from xrpbot.runtime.db import Conn
from xrpbot.runtime.uow import PgUnitOfWork

from ..domain.model import CustodialWallet, NewKeypair

__all__ = ["PgWalletRepository", "WalletUnitOfWork"]


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


class WalletUnitOfWork(PgUnitOfWork):
    """The wallet's unit of work: wallets + inbox + outbox in one transaction."""

    wallets: PgWalletRepository

    def bind(self) -> None:
        self.wallets = PgWalletRepository(self.conn)
