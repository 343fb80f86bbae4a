"""The transfer unit of work: one transaction over its repositories, the inbox and the outbox."""

from __future__ import annotations

from xrpbot.runtime.uow import PgUnitOfWork

from .accounts import PgAccountDirectory
from .incoming import PgIncomingLedger
from .transfers import PgTransferRepository

__all__ = ["TransferUnitOfWork"]


class TransferUnitOfWork(PgUnitOfWork):
    """The transfer unit of work: accounts, transfers, incoming payments, inbox, outbox."""

    accounts: PgAccountDirectory
    transfers: PgTransferRepository
    incoming: PgIncomingLedger

    def bind(self) -> None:
        self.accounts = PgAccountDirectory(self.conn)
        self.transfers = PgTransferRepository(self.conn)
        self.incoming = PgIncomingLedger(self.conn)
