"""Composition root of the pricing service."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

import httpx

from xrpbot.runtime.broker import create_broker
from xrpbot.runtime.service import Service

from .adapters.coingecko import CoinGecko
from .adapters.postgres import PricingUnitOfWork
from .config import PricingSettings
from .entrypoints.consumers import build_router
from .ports import UnitOfWork
from .use_cases import CachePolicy, PricingDeps, refresh_spot

__all__ = ["MIGRATIONS", "create_service"]

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


async def _refresh_forever(deps: PricingDeps, every_s: float) -> None:
    """Refresh spot prices every `every_s` seconds (coalesced with every other replica)."""
    while True:
        try:
            await refresh_spot(deps)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database is down, say: try again next time
            log.warning("scheduled spot refresh failed (%s)", type(exc).__name__)
        await asyncio.sleep(every_s)


def create_service(settings: PricingSettings) -> Service:
    """Wire pricing: broker and consumers, Postgres cache, CoinGecko client, the refresher."""
    broker = create_broker(settings)
    broker.include_router(build_router(settings.delivery_limit))
    http = httpx.AsyncClient(
        timeout=httpx.Timeout(settings.coingecko_timeout_seconds, connect=3.0),
        headers={"accept": "application/json"},
    )
    service = Service("pricing", settings, broker, MIGRATIONS)

    def new_uow() -> UnitOfWork:
        return service.unit_of_work(PricingUnitOfWork)

    key = settings.coingecko_api_key.get_secret_value() if settings.coingecko_api_key else None
    deps = PricingDeps(
        new_uow=new_uow,
        market=CoinGecko(settings.coingecko_api_base, http, key),
        policy=CachePolicy(
            spot_ttl_s=settings.pricing_spot_ttl_seconds,
            failure_backoff_s=settings.pricing_failure_backoff_seconds,
        ),
    )
    broker.context.set_global("deps", deps)
    tasks: list[asyncio.Task[None]] = []

    async def start_refreshing(_: Service) -> None:
        if settings.pricing_refresh_seconds > 0:
            tasks.append(
                asyncio.create_task(
                    _refresh_forever(deps, settings.pricing_refresh_seconds),
                    name="pricing-refresh",
                )
            )

    async def stop(_: Service) -> None:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await http.aclose()

    service.on_ready.append(start_refreshing)
    service.on_stop.append(stop)
    return service
