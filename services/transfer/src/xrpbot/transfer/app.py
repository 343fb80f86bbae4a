"""Composition root of the transfer service: settings in, a runnable Service out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from xrpbot.runtime.broker import create_broker
from xrpbot.runtime.service import Service

from .adapters.clock import SystemClock
from .adapters.custody import RabbitCustody
from .adapters.ledger import XrplLedger
from .adapters.metrics import PrometheusTransferMetrics
from .adapters.postgres.transfers import refused_retention
from .adapters.postgres.uow import TransferUnitOfWork
from .config import TransferSettings
from .entrypoints.consumers import build_router
from .entrypoints.ledger_worker import LedgerWorker
from .ports import CustodyUnavailable, LedgerUnavailable, UnitOfWork
from .use_cases.deps import TransferDeps

__all__ = ["MIGRATIONS", "create_service"]

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def create_service(settings: TransferSettings) -> Service:
    """Wire transfer: consumers, Postgres, rippled, the wallet custodian, the ledger worker."""
    broker = create_broker(settings, transient=(LedgerUnavailable, CustodyUnavailable))
    broker.include_router(build_router(settings.delivery_limit))
    ledger = XrplLedger(settings.xrpl_rpc_url)

    async def start_worker(_: Service) -> None:
        worker.start()

    async def stop_worker(_: Service) -> None:
        await worker.stop()
        await ledger.rpc.aclose()

    service = Service(
        "transfer",
        settings,
        broker,
        MIGRATIONS,
        on_ready=[start_worker],
        on_stop=[stop_worker],
        retention=[refused_retention(settings.retention_seconds)],
    )

    def new_uow() -> UnitOfWork:
        return service.unit_of_work(TransferUnitOfWork)

    def wake_worker() -> None:
        worker.kick()

    deps = TransferDeps(
        new_uow=new_uow,
        ledger=ledger,
        custody=RabbitCustody(
            broker, settings.transfer_signing_timeout_seconds, settings.request_key
        ),
        clock=SystemClock(),
        metrics=PrometheusTransferMetrics(),
        quote_ttl=timedelta(seconds=settings.transfer_quote_ttl_seconds),
        sign_deadline=timedelta(seconds=settings.transfer_sign_deadline_seconds),
        username_stale_after=timedelta(days=settings.transfer_username_stale_days),
        test_network=settings.xrpl_network == "testnet",
        max_fee_drops=settings.transfer_max_fee_drops,
        last_ledger_offset=settings.transfer_last_ledger_offset,
        on_confirmed=wake_worker,
    )
    worker = LedgerWorker(deps, poll_seconds=settings.transfer_ledger_poll_seconds)
    broker.context.set_global("deps", deps)
    return service
