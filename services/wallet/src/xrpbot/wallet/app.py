"""Composition root of the wallet service: settings in, a runnable Service out."""

from __future__ import annotations

from pathlib import Path

import httpx

from xrpbot.runtime.broker import create_broker
from xrpbot.runtime.service import Service

from .adapters.faucet import HttpFaucet
from .adapters.keys import FernetKeyGenerator, SeedVault
from .adapters.ledger import XrplLedger
from .adapters.postgres import WalletUnitOfWork
from .config import WalletSettings
from .domain.bounds import SigningBounds
from .entrypoints.consumers import build_router
from .ports import UnitOfWork
from .use_cases import WalletDeps

__all__ = ["MIGRATIONS", "create_service"]

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def create_service(settings: WalletSettings) -> Service:
    """Wire the wallet: broker and consumers, Postgres, XRPL client, faucet, seed vault."""
    broker = create_broker(settings)
    broker.include_router(build_router(settings.delivery_limit))
    http = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))
    service = Service("wallet", settings, broker, MIGRATIONS)

    def new_uow() -> UnitOfWork:
        return service.unit_of_work(WalletUnitOfWork)

    deps = WalletDeps(
        new_uow=new_uow,
        ledger=XrplLedger(settings.xrpl_rpc_url, http),
        faucet=HttpFaucet(settings.xrpl_faucet_url, http),
        keys=FernetKeyGenerator(SeedVault(settings.fernet_keys)),
        signing_request_keys=settings.request_keys,
        bounds=SigningBounds(
            max_fee_drops=settings.wallet_max_fee_drops,
            daily_limit_drops=settings.wallet_daily_limit_drops,
            request_max_age_seconds=settings.signing_request_max_age_seconds,
        ),
        funding_timeout_seconds=settings.wallet_funding_timeout_seconds,
    )
    broker.context.set_global("deps", deps)

    async def close_http(_: Service) -> None:
        await http.aclose()

    service.on_stop.append(close_http)
    return service
