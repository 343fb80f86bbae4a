"""Incoming payments to custodial accounts: learning the accounts (wallet.opened) and watching
validated ledgers.

From a cursor stored in the transfer schema, each validated ledger is read once; Payments to
custodial addresses with tesSUCCESS are recorded by hash with meta.delivered_amount
(`domain.incoming`) and their owners alerted exactly once (PaymentReceived), in the same
transaction as the cursor's move. A cursor ahead of the ledger (a Testnet reset, a fresh
sandbox) is moved back.
"""

from __future__ import annotations

import logging

from xrpbot.schemas import WalletOpened

from ..domain.accounts import CustodialAccount
from ..domain.incoming import incoming_payments
from . import replies
from .deps import TransferDeps
from .usernames import seen_user

__all__ = ["record_wallet_opened", "watch"]

log = logging.getLogger(__name__)


async def record_wallet_opened(event: WalletOpened, deps: TransferDeps) -> None:
    """Remember a new custodial address so incoming payments to it can be attributed, and
    record what it already received (the faucet's funding, validated before this event), so
    /history always starts with it. The owner's username on the event is a sighting like
    `gateway.user_seen`'s (`usernames.record_user_seen`). Nothing is announced: /wallet told
    the user.

    Raises:
        LedgerUnavailable: the ledger did not answer (the event is retried).
    """
    received = incoming_payments(
        await deps.ledger.account_transactions(event.address), {event.address}, 0
    )
    async with deps.new_uow() as uow:
        if not await uow.claim(event):
            return
        await uow.accounts.add(
            CustodialAccount(
                address=event.address,
                telegram_id=event.user.telegram_id,
                username=None,
                opened_at=event.occurred_at,
            )
        )
        await uow.accounts.see(seen_user(event.user, event.occurred_at))
        for payment in received:
            await uow.incoming.record(payment, event.user.telegram_id)
        await uow.commit()


async def watch(validated: int, deps: TransferDeps) -> bool:
    """Read the validated ledgers after the cursor, at most `max_ledgers_per_pass` of them.

    Args:
        validated: the latest validated ledger index.
    Returns:
        True when it stopped before `validated` (more ledgers to read).
    Raises:
        LedgerUnavailable: a ledger could not be read; the cursor stays before it.
    """
    async with deps.new_uow() as uow:
        cursor = await uow.incoming.cursor(for_update=True)
        if cursor is None or cursor > validated:
            if cursor is not None:  # the ledger is younger than our cursor: a network reset
                log.warning("ledger reset (cursor %s > validated %s)", cursor, validated)
            await uow.incoming.set_cursor(validated)
            await uow.commit()
            return False
    last = min(validated, cursor + deps.max_ledgers_per_pass)
    for index in range(cursor + 1, last + 1):
        await _read_ledger(index, deps)
    deps.metrics.ledger_progress(validated_index=validated, processed_index=last)
    return last < validated


async def _read_ledger(index: int, deps: TransferDeps) -> None:
    """Record (and announce) the ledger's payments to custodial addresses; move the cursor."""
    entries = await deps.ledger.ledger_transactions(index)
    destinations = [
        str(e["tx_json"].get("Destination"))
        for e in entries
        if e["tx_json"].get("TransactionType") == "Payment"
    ]
    async with deps.new_uow() as uow:
        cursor = await uow.incoming.cursor(for_update=True)
        if cursor is not None and cursor >= index:
            return  # another replica read it
        custodial = await uow.accounts.among(destinations)
        payments = incoming_payments(entries, custodial.keys(), index)
        sources = await uow.accounts.among([p.source for p in payments])
        for payment in payments:
            owner = custodial[payment.destination]
            recorded = await uow.incoming.record(payment, owner.telegram_id)
            if recorded and not payment.creates_account:
                await uow.reply(replies.payment_received(payment, owner, sources))
        await uow.incoming.set_cursor(index)
        await uow.commit()
