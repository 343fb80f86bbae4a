"""A /send's quote: request it (validate and quote), confirm it once, or cancel it.

Each use case claims its command in the inbox in the same transaction as its effect and its
reply, so a redelivered command changes nothing. Sending a confirmed quote is `sending`'s.
"""

from __future__ import annotations

import logging
from uuid import uuid4

from xrpbot.parsing import AddressDestination
from xrpbot.schemas import (
    CancelTransfer,
    ConfirmTransfer,
    ErrorCode,
    RequestTransfer,
    TransferCancelled,
    TransferQuoted,
    TransferRefused,
)

from ..domain.quote import LSF_DEPOSIT_AUTH, Quote, check_quote, fee_for, username_stale
from ..domain.refusal import Refusal
from ..domain.requests import parse_amount, parse_destination
from ..domain.transfer import Transfer, TransferState, confirm_refusal
from ..ports import CustodyUnavailable, LedgerUnavailable, ResolvedUser
from . import replies
from .deps import TransferDeps

__all__ = ["cancel_transfer", "confirm_transfer", "request_transfer"]

log = logging.getLogger(__name__)


async def request_transfer(cmd: RequestTransfer, deps: TransferDeps) -> None:
    """Validate a /send and reply with a quote to confirm (TransferQuoted) or why not.

    Reads the sender and destination from the validated ledger, the reserve and the fee; the
    rules are `domain.quote.check_quote`. A refused request is stored only as a refusal
    (TransferRefused). When the ledger or the wallet service does not answer, the user is told
    at once (ledger_unavailable, signing_unavailable) rather than left waiting; nothing was sent
    either way.
    """
    try:
        transfer, quote, recipient = await _quote(cmd, deps)
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
                destination=replies.counterparty(transfer),
                amount_drops=quote.amount_drops,
                fee_drops=quote.fee_drops,
                balance_drops=quote.balance_drops,
                balance_after_drops=quote.balance_after_drops,
                reserve_drops=quote.reserve_drops,
                destination_funded=quote.destination_funded,
                expires_at=transfer.expires_at,
                fiat=cmd.fiat,
                recipient_first_name=recipient.first_name if recipient else None,
                username_seen_at=recipient.username_seen_at if recipient else None,
                username_stale=recipient is not None
                and username_stale(
                    recipient.username_seen_at, deps.clock.now(), deps.username_stale_after
                ),
            )
        )
        await uow.commit()


async def _refuse(deps: TransferDeps, cmd: RequestTransfer, refusal: Refusal) -> None:
    """Record the refusal and reply TransferRefused with its code and details."""
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        await uow.transfers.add_refused(cmd.user.telegram_id, cmd.chat_id, refusal.code)
        await uow.reply(
            TransferRefused.replying_to(
                cmd,
                code=refusal.code,
                command=cmd.kind,
                spendable_drops=refusal.spendable_drops,
                minimum_drops=refusal.minimum_drops,
                username=refusal.username,
            )
        )
        await uow.commit()


async def _quote(
    cmd: RequestTransfer, deps: TransferDeps
) -> tuple[Transfer, Quote, ResolvedUser | None]:
    """The quoted transfer (not stored yet), its quote, and the recipient of a @username.

    A destination typed as an address stays an address: the transfer does not name the bot
    user who may hold it, so that nobody learns whose account an address is by asking for a
    quote. A @username names its holder (wallet's ResolveUser), whose address the replies do
    not show.

    Raises:
        Refusal: the request breaks a rule (see `check_quote`, `parse_amount`,
            `parse_destination`), or the sender has no wallet / the recipient none.
        LedgerUnavailable, CustodyUnavailable: the ledger or wallet did not answer.
    """
    amount_drops = parse_amount(cmd.amount)
    destination = parse_destination(
        cmd.destination, cmd.destination_tag, test_network=deps.test_network
    )
    async with deps.new_uow() as uow:
        sender = await uow.accounts.of_user(cmd.user.telegram_id)
    if sender is None:
        raise Refusal(ErrorCode.WALLET_NOT_FOUND)
    reply_to = replies.reply_to_of(cmd)
    user_id: int | None = None
    username: str | None = None
    resolved: ResolvedUser | None = None
    if isinstance(destination, AddressDestination):
        address, tag = destination.address, destination.tag
    else:
        # the sender's username as Telegram shows it now, not as it was when they opened
        # their wallet (another user may hold that name since)
        own = cmd.user.username
        if own and destination.username.lower() == own.removeprefix("@").lower():
            raise Refusal(ErrorCode.SEND_TO_SELF)
        resolved = await deps.custody.resolve(reply_to, destination.username)
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
    deposit_authorized = True
    if destination_account is not None and destination_account.flags & LSF_DEPOSIT_AUTH:
        deposit_authorized = await deps.ledger.deposit_authorized(sender.address, address)
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
        deposit_authorized=deposit_authorized,
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
        reply_to=reply_to,
        expires_at=deps.clock.now() + deps.quote_ttl,
    )
    return transfer, quote, resolved


async def confirm_transfer(cmd: ConfirmTransfer, deps: TransferDeps) -> None:
    """Confirm a quote: exactly one Confirm per quote moves it on; every other press is refused.

    The quote's row is locked, so two presses at the same instant are serialized: the first
    moves quoted → confirmed, the second sees confirmed and is refused (quote_already_confirmed).
    Also refused (TransferRefused, `domain.transfer.confirm_refusal`): someone else's or an
    unknown quote (quote_not_found), a cancelled one (quote_cancelled), one older than its TTL
    (quote_expired, and the quote is marked so). The ledger worker is woken after the commit;
    the sending replies answer this command's correlation id.
    """
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        transfer = await uow.transfers.get(cmd.transfer_id, for_update=True)
        now = deps.clock.now()
        code = confirm_refusal(transfer, cmd.user.telegram_id, now)
        if code is None and transfer is not None:
            await uow.transfers.record_confirmed(
                transfer, transfer.confirm(replies.reply_to_of(cmd), now)
            )
        else:
            if (
                code is ErrorCode.QUOTE_EXPIRED
                and transfer is not None
                and transfer.state is TransferState.QUOTED
            ):
                await uow.transfers.record_quote_expired(transfer, transfer.expire_quote())
            await uow.reply(
                TransferRefused.replying_to(
                    cmd, code=code, command=cmd.kind, transfer_id=cmd.transfer_id
                )
            )
        await uow.commit()
    if code is None:
        deps.on_confirmed()


async def cancel_transfer(cmd: CancelTransfer, deps: TransferDeps) -> None:
    """Cancel a quote (TransferCancelled), also an expired one; too late once confirmed
    (TransferRefused quote_already_confirmed), and quote_not_found for someone else's."""
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        transfer = await uow.transfers.get(cmd.transfer_id, for_update=True)
        code = confirm_refusal(transfer, cmd.user.telegram_id, deps.clock.now())
        if code in (None, ErrorCode.QUOTE_EXPIRED) and transfer is not None:
            if transfer.state is TransferState.QUOTED:
                await uow.transfers.record_cancelled(transfer, transfer.cancel())
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
