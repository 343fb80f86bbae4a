"""Fakes for the pricing ports: an in-memory market-data cache with the Postgres one's rules,
a scriptable market, and units of work over them."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from xrpbot.pricing.domain import CacheEntry, PriceHistory, PricePoint, SpotPrice, SpotPrices
from xrpbot.pricing.ports import MarketDataUnavailable
from xrpbot.pricing.use_cases import CachePolicy, PricingDeps
from xrpbot.schemas import Envelope

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


class Clock:
    """The database's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Row:
    payload: Mapping[str, Any] | None = None
    fetched_at: datetime | None = None
    fresh_until: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    next_fetch_at: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    token: UUID | None = None
    last_error: str | None = None


@dataclass
class Db:
    """The committed state of the pricing schema."""

    clock: Clock
    rows: dict[str, Row] = field(default_factory=dict)
    inbox: set[UUID] = field(default_factory=set)
    replies: list[Envelope] = field(default_factory=list)
    events: list[Envelope] = field(default_factory=list)


class FakeCache:
    """`MarketCache` in memory; each method is atomic, like the single SQL statements."""

    def __init__(self, db: Db) -> None:
        self.db = db

    async def read(self, key: str) -> tuple[CacheEntry | None, datetime]:
        await asyncio.sleep(0)  # a real read lets other tasks run
        row = self.db.rows.get(key)
        if row is None:
            return None, self.db.clock.now
        entry = CacheEntry(
            key,
            copy.deepcopy(row.payload),
            row.fetched_at,
            row.fresh_until,
            row.next_fetch_at,
            row.token is not None,
            row.last_error,
        )
        return entry, self.db.clock.now

    async def claim(self, key: str, *, lease_s: float) -> UUID | None:
        now = self.db.clock.now
        row = self.db.rows.setdefault(key, Row())
        if row.next_fetch_at > now:
            return None
        row.token = uuid4()
        row.next_fetch_at = now + timedelta(seconds=lease_s)
        return row.token

    async def store(
        self, key: str, token: UUID, payload: Mapping[str, Any], *, ttl_s: float
    ) -> None:
        now = self.db.clock.now
        row = self.db.rows[key]
        row.payload, row.fetched_at = copy.deepcopy(dict(payload)), now
        row.fresh_until = row.next_fetch_at = now + timedelta(seconds=ttl_s)
        row.token, row.last_error = None, None

    async def failed(self, key: str, token: UUID, *, error: str, retry_in_s: float) -> None:
        row = self.db.rows[key]
        if row.token == token:
            row.next_fetch_at = self.db.clock.now + timedelta(seconds=retry_in_s)
            row.token, row.last_error = None, error


class FakeUow:
    """Replies and events reach `db` only on commit; the cache writes at once (autocommit-like,
    which is what the short cache transactions amount to)."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.cache = FakeCache(db)

    async def __aenter__(self) -> FakeUow:
        self._replies: list[Envelope] = []
        self._events: list[Envelope] = []
        self._claims: set[UUID] = set()
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def claim(self, message: Envelope) -> bool:
        if message.event_id in self.db.inbox or message.event_id in self._claims:
            return False
        self._claims.add(message.event_id)
        return True

    async def reply(self, message: Envelope) -> None:
        self._replies.append(message)

    async def publish_event(self, message: Envelope) -> None:
        self._events.append(message)

    async def send_command(self, message: Envelope) -> None:
        raise AssertionError("pricing sends no commands")

    async def commit(self) -> None:
        self.db.inbox |= self._claims
        self.db.replies += self._replies
        self.db.events += self._events


def spot_prices(at: datetime, usd: str = "0.5123") -> SpotPrices:
    return SpotPrices(
        {
            "usd": SpotPrice("usd", Decimal(usd), Decimal("-1.5"), at),
            "eur": SpotPrice("eur", Decimal(usd) * Decimal("0.92"), Decimal("-1.4"), at),
        }
    )


def history(currency: str, days: int, end: datetime, n: int = 25) -> PriceHistory:
    step = timedelta(days=days) / (n - 1)
    points = tuple(
        PricePoint(end - step * (n - 1 - i), Decimal("0.50") + Decimal(i % 7) / 100)
        for i in range(n)
    )
    return PriceHistory(currency, days, points)


class FakeMarket:
    """Scriptable `MarketData`: `failure` makes every call fail; `gate` holds calls until set."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.failure: MarketDataUnavailable | None = None
        self.gate: asyncio.Event | None = None
        self.calls: list[tuple[str, Any]] = []
        self._new_call = asyncio.Condition()

    async def called(self, count: int) -> None:
        """Return once `count` calls have started."""
        async with self._new_call:
            await self._new_call.wait_for(lambda: len(self.calls) >= count)

    async def _enter(self, call: tuple[str, Any]) -> None:
        self.calls.append(call)
        async with self._new_call:
            self._new_call.notify_all()
        if self.gate is not None:
            await self.gate.wait()
        if self.failure is not None:
            raise self.failure

    async def spot(self, vs_currencies: Sequence[str]) -> SpotPrices:
        await self._enter(("spot", tuple(vs_currencies)))
        return spot_prices(self.clock.now)

    async def history(self, vs_currency: str, days: int) -> PriceHistory:
        await self._enter(("history", (vs_currency, days)))
        return history(vs_currency, days, self.clock.now - timedelta(seconds=60))


@dataclass
class World:
    clock: Clock
    db: Db
    market: FakeMarket
    deps: PricingDeps
    waits: list[float]


@pytest.fixture
def world() -> World:
    clock = Clock()
    db = Db(clock)
    market = FakeMarket(clock)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(0)  # let the refreshing task run; the fake clock does not move

    deps = PricingDeps(
        new_uow=lambda: FakeUow(db),  # type: ignore[arg-type,return-value]
        market=market,
        policy=CachePolicy(spot_ttl_s=60, lease_s=30, failure_backoff_s=30),
        sleep=sleep,
    )
    return World(clock, db, market, deps, waits)
