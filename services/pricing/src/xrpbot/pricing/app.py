"""Composition root of the pricing service."""

from __future__ import annotations

from pathlib import Path

import httpx

from xrpbot.runtime.cli import create_broker
from xrpbot.runtime.service import Service

from .adapters.coingecko import CoinGecko
from .adapters.postgres import PricingUnitOfWork
from .config import PricingSettings
from .entrypoints.consumers import build_router
from .ports import UnitOfWork
from .use_cases import PricingDeps

__all__ = ["MIGRATIONS", "create_service"]

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def create_service(settings: PricingSettings) -> Service:
    """Wire pricing: broker and consumers, Postgres, CoinGecko client."""
    broker = create_broker(settings)
    broker.include_router(build_router(settings.delivery_limit))
    http = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=3.0))
    service = Service("pricing", settings, broker, MIGRATIONS)

    def new_uow() -> UnitOfWork:
        return service.unit_of_work(PricingUnitOfWork)

    key = settings.coingecko_api_key.get_secret_value() if settings.coingecko_api_key else None
    broker.context.set_global(
        "deps",
        PricingDeps(new_uow=new_uow, market=CoinGecko(settings.coingecko_api_base, http, key)),
    )

    async def close_http(_: Service) -> None:
        await http.aclose()

    service.on_stop.append(close_http)
    return service
