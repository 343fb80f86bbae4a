"""Composition root of the transfer service."""

from __future__ import annotations

from pathlib import Path

from xrpbot.runtime.cli import create_broker
from xrpbot.runtime.service import Service

from .adapters.postgres import TransferUnitOfWork
from .config import TransferSettings
from .entrypoints.consumers import build_router
from .ports import UnitOfWork
from .use_cases import TransferDeps

__all__ = ["MIGRATIONS", "create_service"]

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def create_service(settings: TransferSettings) -> Service:
    """Wire transfer: broker and consumers, Postgres."""
    broker = create_broker(settings)
    broker.include_router(build_router(settings.delivery_limit))
    service = Service("transfer", settings, broker, MIGRATIONS)

    def new_uow() -> UnitOfWork:
        return service.unit_of_work(TransferUnitOfWork)

    broker.context.set_global("deps", TransferDeps(new_uow=new_uow))
    return service
