"""Transfer use cases, one per command: quote, confirm, cancel, history; plus wallet.opened.

Each claims its command in the inbox in the same transaction as its effect and its reply, so a
redelivered command changes nothing. Sending itself happens in `engine.PaymentEngine`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from xrpbot.schemas import (
    CancelTransfer,
    ConfirmTransfer,
    Counterparty,
    Envelope,
    ErrorCode,
    GetHistory,
    GetStats,
    HistoryReported,
    RequestTransfer,
    StatsReported,
    TransferCancelled,
    TransferQuoted,
    TransferRefused,
    WalletOpened,
)

from .domain import (
    AddressDestination,
    CustodialAccount,
    Refusal,
    Transfer,
    TransferState,
    check_quote,
    fee_for,
    incoming_payments,
    parse_amount,
    parse_destination,
)
from .domain.quote import Quote
from .ports import Custody, CustodyUnavailable, Ledger, LedgerUnavailable, UnitOfWork

__all__ = [
    "TransferDeps",
    "cancel_transfer",
    "confirm_transfer",
    "envelope_of",
    "get_history",
    "record_wallet_opened",
    "request_transfer",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TransferDeps:
    """Everything the use cases need, built once by the composition root.

    Attributes:
        quote_ttl: how long a quote can be confirmed (2 minutes).
        max_fee_drops: the most this wallet pays as a network fee.
        on_confirmed: wakes the payment engine after a Confirm committed.
    """

    new_uow: Callable[[], UnitOfWork]
    ledger: Ledger
    custody: Custody
    quote_ttl: timedelta = timedelta(minutes=2)
    max_fee_drops: int = 1_000
    on_confirmed: Callable[[], None] = lambda: None


def envelope_of(cmd: Envelope) -> dict[str, Any]:
    """What a later reply needs to answer `cmd`: correlation_id, user and chat_id (JSON)."""
    return cmd.model_dump(mode="json", include={"correlation_id", "user", "chat_id"})


async def record_wallet_opened(event: WalletOpened, deps: TransferDeps) -> None:
    """Remember a new custodial address so incoming payments to it can be attributed, and
    record what it already received (the faucet's funding, validated before this event), so
    /history always starts with it. Nothing is announced: /wallet told the user.

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
                username=event.user.username,
                opened_at=event.occurred_at,
            )
        )
        for payment in received:
            await uow.incoming.record(payment, event.user.telegram_id)
        await uow.commit()


async def _refuse(deps: TransferDeps, cmd: Envelope, refusal: Refusal, **extra: Any) -> None:
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        if isinstance(cmd, RequestTransfer):
            await uow.transfers.add_refused(cmd, refusal.code)
        await uow.reply(
            TransferRefused.replying_to(
                cmd,
                code=refusal.code,
                command=cmd.kind,  # type: ignore[attr-defined]
                spendable_drops=refusal.spendable_drops,
                minimum_drops=refusal.minimum_drops,
                username=refusal.username,
                **extra,
            )
        )
        await uow.commit()


async def request_transfer(cmd: RequestTransfer, deps: TransferDeps) -> None:
    """Validate a /send and reply with a quote to confirm (TransferQuoted) or why not.

    Reads the sender and destination from the validated ledger, the reserve and the fee; the
    rules are `domain.check_quote`. A refused request is stored only as a refusal. When the
    ledger or the wallet service does not answer, the user is told at once (ledger_unavailable,
    signing_unavailable) rather than left waiting; nothing was sent either way.
    """
    try:
        transfer, quote = await _quote(cmd, deps)
    except Refusal as refusal:
        await _refuse(deps, cmd, refusal)
        return
    except LedgerUnavailable as exc:
        log.warning("quote: ledger unavailable: %s", exc)
        await _refuse(deps, cmd, Refusal(ErrorCode.LEDGER_UNAVAILABLE))
        return
    except CustodyUnavailable as exc:
        log.warning("quote: wallet did not answer: %s", exc)
        await _refuse(deps, cmd, Refusal(ErrorCode.SIGNING_UNAVAILABLE))
        return
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        await uow.transfers.add(transfer)
        await uow.reply(
            TransferQuoted.replying_to(
                cmd,
                transfer_id=transfer.id,
                destination=Counterparty(
                    address=transfer.destination_address,
                    destination_tag=transfer.destination_tag,
                    telegram_id=transfer.destination_user_id,
                    username=transfer.destination_username,
                ),
                amount_drops=quote.amount_drops,
                fee_drops=quote.fee_drops,
                balance_drops=quote.balance_drops,
                balance_after_drops=quote.balance_after_drops,
                reserve_drops=quote.reserve_drops,
                destination_funded=quote.destination_funded,
                expires_at=transfer.expires_at,
                fiat=cmd.fiat,
            )
        )
        await uow.commit()


async def _quote(cmd: RequestTransfer, deps: TransferDeps) -> tuple[Transfer, Quote]:
    amount_drops = parse_amount(cmd.amount)
    destination = parse_destination(cmd.destination, cmd.destination_tag)
    async with deps.new_uow() as uow:
        sender = await uow.accounts.of_user(cmd.user.telegram_id)
    if sender is None:
        raise Refusal(ErrorCode.WALLET_NOT_FOUND)
    user_id: int | None = None
    username: str | None = None
    if isinstance(destination, AddressDestination):
        address, tag = destination.address, destination.tag
        async with deps.new_uow() as uow:
            known = await uow.accounts.find(address)
        if known is not None:
            user_id, username = known.telegram_id, known.username
    else:
        if sender.username and destination.username.lower() == sender.username.lower():
            raise Refusal(ErrorCode.SEND_TO_SELF)
        resolved = await deps.custody.resolve(cmd, destination.username)
        if resolved is None:
            raise Refusal(ErrorCode.RECIPIENT_NOT_FOUND, username=destination.username)
        address, user_id, username = resolved.address, resolved.telegram_id, destination.username
        tag = destination.tag
    if address == sender.address:
        raise Refusal(ErrorCode.SEND_TO_SELF)
    sender_account = await deps.ledger.account(sender.address)
    if sender_account is None:
        raise Refusal(ErrorCode.ACCOUNT_NOT_FOUND)
    destination_account = await deps.ledger.account(address)
    reserve_base, reserve_owner = await deps.ledger.reserve()
    levels = await deps.ledger.fee()
    fee = fee_for(levels.base_drops, levels.open_ledger_drops, deps.max_fee_drops)
    transfer_id = uuid4()
    async with deps.new_uow() as uow:
        in_flight, _ = await uow.transfers.in_flight(sender.address, excluding=transfer_id)
    quote = check_quote(
        sender_address=sender.address,
        sender=sender_account,
        destination_address=address,
        destination=destination_account,
        destination_tag=tag,
        amount_drops=amount_drops,
        fee_drops=fee,
        reserve_base_drops=reserve_base,
        reserve_owner_drops=reserve_owner,
        in_flight_drops=in_flight,
    )
    transfer = Transfer(
        id=transfer_id,
        telegram_id=cmd.user.telegram_id,
        chat_id=cmd.chat_id,
        state=TransferState.QUOTED,
        sender_address=sender.address,
        destination_address=address,
        destination_tag=tag,
        destination_user_id=user_id,
        destination_username=username,
        amount_drops=amount_drops,
        fee_drops=fee,
        expires_at=datetime.now(UTC) + deps.quote_ttl,
        reply_to=envelope_of(cmd),
    )
    return transfer, quote


async def confirm_transfer(cmd: ConfirmTransfer, deps: TransferDeps) -> None:
    """Confirm a quote: exactly one Confirm per quote moves it on; every other press is refused.

    The quote's row is locked, so two presses at the same instant are serialized: the first
    moves quoted → confirmed, the second sees confirmed and is refused (quote_already_confirmed).
    Also refused: someone else's or an unknown quote (quote_not_found), a cancelled one
    (quote_cancelled), one older than its 2 minutes (quote_expired). The payment engine is woken
    after the commit; its replies answer this command's correlation id.
    """
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        transfer = await uow.transfers.get(cmd.transfer_id, for_update=True)
        code = _confirm_refusal(transfer, cmd)
        if code is None and transfer is not None:
            await uow.transfers.move(
                transfer.id,
                [TransferState.QUOTED],
                TransferState.CONFIRMED,
                confirmed_at=datetime.now(UTC),
                reply_to=envelope_of(cmd),
            )
        else:
            if code is ErrorCode.QUOTE_EXPIRED and transfer is not None:
                await uow.transfers.move(
                    transfer.id, [TransferState.QUOTED], TransferState.QUOTE_EXPIRED
                )
            await uow.reply(
                TransferRefused.replying_to(
                    cmd, code=code, command=cmd.kind, transfer_id=cmd.transfer_id
                )
            )
        await uow.commit()
    if code is None:
        deps.on_confirmed()


def _confirm_refusal(transfer: Transfer | None, cmd: ConfirmTransfer) -> ErrorCode | None:
    if transfer is None or transfer.telegram_id != cmd.user.telegram_id:
        return ErrorCode.QUOTE_NOT_FOUND
    if transfer.state is TransferState.CANCELLED:
        return ErrorCode.QUOTE_CANCELLED
    if transfer.state is TransferState.QUOTE_EXPIRED:
        return ErrorCode.QUOTE_EXPIRED
    if transfer.state is not TransferState.QUOTED:
        return ErrorCode.QUOTE_ALREADY_CONFIRMED
    if transfer.expires_at is not None and datetime.now(UTC) > transfer.expires_at:
        return ErrorCode.QUOTE_EXPIRED
    return None


async def cancel_transfer(cmd: CancelTransfer, deps: TransferDeps) -> None:
    """Cancel a quote (TransferCancelled); too late once confirmed (quote_already_confirmed)."""
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        transfer = await uow.transfers.get(cmd.transfer_id, for_update=True)
        code = _confirm_refusal(
            transfer, ConfirmTransfer.replying_to(cmd, transfer_id=cmd.transfer_id)
        )
        if code in (None, ErrorCode.QUOTE_EXPIRED) and transfer is not None:
            await uow.transfers.move(transfer.id, [TransferState.QUOTED], TransferState.CANCELLED)
            await uow.reply(TransferCancelled.replying_to(cmd, transfer_id=transfer.id))
        else:
            await uow.reply(
                TransferRefused.replying_to(
                    cmd,
                    code=code or ErrorCode.QUOTE_NOT_FOUND,
                    command=cmd.kind,
                    transfer_id=cmd.transfer_id,
                )
            )
        await uow.commit()


async def get_history(cmd: GetHistory, deps: TransferDeps) -> None:
    """Reply with one page of the user's payments, sent and received, newest first."""
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        total, entries = await uow.transfers.history(cmd.user.telegram_id, cmd.page, cmd.page_size)
        await uow.reply(
            HistoryReported.replying_to(
                cmd,
                page=cmd.page,
                page_size=cmd.page_size,
                total=total,
                entries=tuple(entries),
            )
        )
        await uow.commit()


async def get_stats(cmd: GetStats, deps: TransferDeps) -> None:
    """An admin's /stats (issue 5): reply with today's (UTC) counts.

    The gateway publishes GetStats only for its admins (ADMIN_IDS); the numbers carry no
    address, name or amount of any single user.
    """
    occurred = cmd.occurred_at.astimezone(UTC)
    since = occurred.replace(hour=0, minute=0, second=0, microsecond=0)
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        stats = await uow.transfers.stats(since)
        await uow.reply(
            StatsReported.replying_to(
                cmd,
                since=since,
                wallets=stats.wallets,
                wallets_today=stats.wallets_today,
                payments_today=stats.payments_today,
                volume_today_drops=stats.volume_today_drops,
                failed_today=stats.failed_today,
                incoming_today=stats.incoming_today,
                incoming_volume_today_drops=stats.incoming_volume_today_drops,
            )
        )
        await uow.commit()
