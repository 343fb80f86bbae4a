"""Composition root of the transfer service."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from xrpbot.runtime.broker import create_broker
from xrpbot.runtime.service import Service

from .adapters.custody import RabbitCustody
from .adapters.ledger import XrplLedger
from .adapters.postgres import TransferUnitOfWork
from .config import TransferSettings
from .engine import EngineSettings, PaymentEngine
from .entrypoints.consumers import build_router
from .ports import CustodyUnavailable, LedgerUnavailable, UnitOfWork
from .use_cases import TransferDeps

__all__ = ["MIGRATIONS", "create_service"]

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def create_service(settings: TransferSettings) -> Service:
    """Wire transfer: consumers, Postgres, rippled, the wallet custodian, the payment engine."""
    broker = create_broker(settings, transient=(LedgerUnavailable, CustodyUnavailable))
    broker.include_router(build_router(settings.delivery_limit))
    ledger = XrplLedger(settings.xrpl_rpc_url)
    custody = RabbitCustody(
        broker, settings.transfer_signing_timeout_seconds, settings.request_key
    )

    async def start_engine(_: Service) -> None:
        engine.start()

    async def stop_engine(_: Service) -> None:
        await engine.stop()
        await ledger.rpc.aclose()

    service = Service(
        "transfer", settings, broker, MIGRATIONS, on_ready=[start_engine], on_stop=[stop_engine]
    )

    def new_uow() -> UnitOfWork:
        return service.unit_of_work(TransferUnitOfWork)

    engine = PaymentEngine(
        new_uow,
        ledger,
        custody,
        EngineSettings(
            last_ledger_offset=settings.transfer_last_ledger_offset,
            poll_seconds=settings.transfer_ledger_poll_seconds,
        ),
    )
    deps = TransferDeps(
        new_uow=new_uow,
        ledger=ledger,
        custody=custody,
        quote_ttl=timedelta(seconds=settings.transfer_quote_ttl_seconds),
        max_fee_drops=settings.transfer_max_fee_drops,
        on_confirmed=engine.kick,
    )
    broker.context.set_global("deps", deps)
    return service
