"""Wallet use cases: one async function per command. They talk to ports only."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from xrpbot.schemas import (
    BalanceReported,
    CreateWallet,
    DailyLimitReported,
    DailyLimitSet,
    ErrorCode,
    GetBalance,
    GetDailyLimit,
    PaymentSigned,
    ResolveUser,
    SetDailyLimit,
    SignPayment,
    UserResolved,
    UserSeen,
    WalletCreated,
    WalletFailed,
    WalletInfo,
    WalletOpened,
)

from .domain.bounds import (
    DailyLimit,
    FeeTooHigh,
    LimitAboveDefault,
    LimitExceeded,
    SigningBounds,
    StaleRequest,
    check_daily_limit,
    check_fee,
    check_freshness,
)
from .domain.model import AccountState, CustodialWallet
from .domain.signing import UnsignablePayment, check_payment
from .domain.usernames import SeenUser
from .ports import Faucet, KeyGenerator, Ledger, LedgerUnavailable, UnitOfWork

__all__ = [
    "WalletDeps",
    "create_wallet",
    "get_balance",
    "get_daily_limit",
    "record_user_seen",
    "resolve_user",
    "set_daily_limit",
    "sign_payment",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WalletDeps:
    """Everything the use cases need, built once by the composition root."""

    new_uow: Callable[[], UnitOfWork]
    ledger: Ledger
    faucet: Faucet
    keys: KeyGenerator
    signing_request_keys: tuple[bytes, ...] = ()
    """SIGNING_REQUEST_KEYS, newest first: a request is accepted under any of them."""
    bounds: SigningBounds = field(default_factory=SigningBounds)
    funding_timeout_seconds: float = 20.0
    funding_poll_seconds: float = 0.5


async def create_wallet(cmd: CreateWallet, deps: WalletDeps) -> None:
    """Give the user an XRPL account funded by the faucet; a repeated /wallet returns the same one.

    Steps, each safe to repeat after a crash or a redelivery:
    1. create and store the account (seed encrypted) unless the user has one;
    2. unless the account is in a validated ledger: ask the faucet and wait (up to the funding timeout) until the
       account is in a validated ledger — https://xrpl.org/docs/concepts/accounts#creating-accounts;
    3. in one transaction: claim the command in the inbox, record funding, queue the reply.
    The reply says `funded=False` when the faucet did not come through in time; the next
    /wallet tries again.
    """
    async with deps.new_uow() as uow:
        wallet = await uow.wallets.get(cmd.user.telegram_id)
        already_existed = wallet is not None
        if wallet is None:
            wallet = await uow.wallets.add(cmd.user.telegram_id, deps.keys.generate())
            await uow.commit()

    # always ask the ledger: a recorded funding can be gone (a Testnet reset, a fresh sandbox)
    account = await _fund(wallet, deps)
    newly_funded = account is not None and not wallet.funded

    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return  # a redelivery: the reply went out already
        if newly_funded:
            await uow.wallets.mark_funded(cmd.user.telegram_id)
            await uow.publish_event(
                WalletOpened.replying_to(cmd, address=wallet.address)  # same correlation id
            )
        await uow.reply(
            WalletCreated.replying_to(
                cmd,
                wallet=WalletInfo(address=wallet.address, funded=account is not None),
                already_existed=already_existed,
                funded_now=newly_funded,
                balance_drops=account.balance_drops if account else None,
            )
        )
        await uow.commit()


async def _fund(wallet: CustodialWallet, deps: WalletDeps) -> AccountState | None:
    """Fund an unfunded account and wait for a validated ledger; None if it did not happen."""
    try:
        account = await deps.ledger.account(wallet.address)
        if account is None:
            await deps.faucet.fund(wallet.address)
        deadline = time.monotonic() + deps.funding_timeout_seconds
        while account is None and time.monotonic() < deadline:
            await asyncio.sleep(deps.funding_poll_seconds)
            account = await deps.ledger.account(wallet.address)
    except LedgerUnavailable as exc:
        log.warning("funding %s did not complete: %s", wallet.address, exc)
        return None
    return account


async def get_balance(cmd: GetBalance, deps: WalletDeps) -> None:
    """Reply with the balance and reserve of the user's account from a validated ledger.

    Replies WalletFailed with wallet_not_found (no wallet yet), account_not_found (not funded
    yet) or ledger_unavailable (the server did not answer).
    """
    async with deps.new_uow() as uow:
        wallet = await uow.wallets.get(cmd.user.telegram_id)
    reply: BalanceReported | WalletFailed
    if wallet is None:
        reply = WalletFailed.replying_to(cmd, code=ErrorCode.WALLET_NOT_FOUND, command=cmd.kind)
    else:
        try:
            # the reserve of the account's own ledger: a request only once per validated ledger
            account = await deps.ledger.account(wallet.address)
            reserve = None if account is None else await deps.ledger.reserve(account.ledger_index)
        except LedgerUnavailable as exc:
            log.warning("balance of %s unavailable: %s", wallet.address, exc)
            reply = WalletFailed.replying_to(
                cmd, code=ErrorCode.LEDGER_UNAVAILABLE, command=cmd.kind
            )
        else:
            if account is None or reserve is None:
                reply = WalletFailed.replying_to(
                    cmd, code=ErrorCode.ACCOUNT_NOT_FOUND, command=cmd.kind
                )
            else:
                reply = BalanceReported.replying_to(
                    cmd,
                    address=wallet.address,
                    balance_drops=account.balance_drops,
                    owner_count=account.owner_count,
                    reserve_base_drops=reserve.base_drops,
                    reserve_owner_drops=reserve.owner_drops,
                    reserve_drops=reserve.total_drops(account.owner_count),
                    ledger_index=account.ledger_index,
                )
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        await uow.reply(reply)
        await uow.commit()


async def _daily_limit(telegram_id: int, uow: UnitOfWork, bounds: SigningBounds) -> DailyLimit:
    """The limit in force for the user and what they sent in the last 24 hours (every
    transfer: no transfer's key is empty)."""
    own = await uow.wallets.own_daily_limit(telegram_id)
    return bounds.daily_limit(own, await uow.signed.sent_today(telegram_id, except_key=""))


def _limit_fields(limit: DailyLimit) -> dict[str, Any]:
    return {
        "limit_drops": limit.limit_drops,
        "default_limit_drops": limit.default_drops,
        "own": limit.own,
        "sent_today_drops": limit.sent_today_drops,
        "remaining_today_drops": limit.remaining_drops,
    }


async def get_daily_limit(cmd: GetDailyLimit, deps: WalletDeps) -> None:
    """Reply DailyLimitReported: the 24-hour limit in force for the user (their own, or
    WALLET_DAILY_LIMIT_DROPS) and what is left of it. A user without a wallet gets the default
    with nothing sent: it is what will apply to them."""
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        limit = await _daily_limit(cmd.user.telegram_id, uow, deps.bounds)
        await uow.reply(DailyLimitReported.replying_to(cmd, **_limit_fields(limit)))
        await uow.commit()


async def set_daily_limit(cmd: SetDailyLimit, deps: WalletDeps) -> None:
    """Store the user's own 24-hour limit (None: back to the default); reply DailyLimitSet
    with the limit now in force, which `sign_payment` applies from the next signature on.

    A limit above WALLET_DAILY_LIMIT_DROPS is refused, not clamped (`SigningBounds.own_limit`):
    WalletFailed with limit_above_default, nothing stored. Without a wallet: WalletFailed
    with wallet_not_found.
    """
    telegram_id = cmd.user.telegram_id
    reply: DailyLimitSet | WalletFailed
    async with deps.new_uow() as uow:
        if not await uow.claim(cmd):
            return
        if await uow.wallets.get(telegram_id) is None:
            reply = WalletFailed.replying_to(
                cmd, code=ErrorCode.WALLET_NOT_FOUND, command=cmd.kind
            )
        else:
            try:
                own = deps.bounds.own_limit(cmd.limit_drops)
            except LimitAboveDefault:
                log.info("user %s asked for a daily limit above the default", telegram_id)
                reply = WalletFailed.replying_to(
                    cmd, code=ErrorCode.LIMIT_ABOVE_DEFAULT, command=cmd.kind
                )
            else:
                await uow.wallets.set_own_daily_limit(telegram_id, own)
                limit = await _daily_limit(telegram_id, uow, deps.bounds)
                reply = DailyLimitSet.replying_to(cmd, **_limit_fields(limit))
        await uow.reply(reply)
        await uow.commit()


async def sign_payment(cmd: SignPayment, deps: WalletDeps) -> PaymentSigned:
    """Sign the Payment transfer prepared, from the user's own account; answer on reply_to.

    Wallet bounds what it signs, whoever asks (domain.bounds): the request must carry transfer's
    HMAC under one of SIGNING_REQUEST_KEYS, be fresh and not replayed; the Fee must be within
    the cap; and the user's transfers signed in the last 24 hours plus this one must stay within
    their daily limit (each transfer counts once, however often it is signed again). Signing is
    deterministic, so a repeated request for the same transaction gets the same blob and hash.
    The seed is decrypted only inside the key generator and never leaves it.

    Returns:
        PaymentSigned with tx_blob and tx_hash, or with a code: request_unauthenticated,
        wallet_not_found, fee_too_high, daily_limit_exceeded (with remaining_today_drops) or
        internal (the payment breaks a signing rule, see domain.signing). Refusals are logged
        without the transaction's details or any secret.
    """
    refused = _authentication_problem(cmd, deps)
    if refused is not None:
        log.warning("refused a signing request for user %s: %s", cmd.user.telegram_id, refused)
        return PaymentSigned.replying_to(cmd, code=ErrorCode.REQUEST_UNAUTHENTICATED)
    assert cmd.auth is not None  # noqa: S101  checked above
    bounds = deps.bounds
    async with deps.new_uow() as uow:
        if not await uow.signed.claim_nonce(cmd.auth.nonce, 4 * bounds.request_max_age_seconds):
            log.warning("refused a replayed signing request for user %s", cmd.user.telegram_id)
            return PaymentSigned.replying_to(cmd, code=ErrorCode.REQUEST_UNAUTHENTICATED)
        reply = await _checked_and_counted(cmd, uow, deps)
        await uow.commit()  # the nonce is used up whatever the answer
    if isinstance(reply, PaymentSigned):
        return reply
    signed = deps.keys.sign(reply, cmd.tx_json)
    return PaymentSigned.replying_to(cmd, tx_blob=signed.tx_blob, tx_hash=signed.tx_hash)


def _payment_key(tx_json: dict[str, Any]) -> str:
    """What counts a payment once without a transfer id: its account and Sequence."""
    return f"{tx_json.get('Account')}:{tx_json.get('Sequence')}"


def _authentication_problem(cmd: SignPayment, deps: WalletDeps) -> str | None:
    if cmd.auth is None:
        return "no HMAC"
    if not cmd.mac_matches(deps.signing_request_keys):
        return "wrong HMAC"
    try:
        check_freshness(cmd.auth.issued_at, datetime.now(UTC), deps.bounds)
    except StaleRequest:
        return "stale"
    return None


async def _checked_and_counted(
    cmd: SignPayment, uow: UnitOfWork, deps: WalletDeps
) -> PaymentSigned | str:
    """The encrypted seed to sign with once every rule holds (the payment is then counted), or
    the refusal to answer."""
    wallet = await uow.wallets.get(cmd.user.telegram_id)
    seed = await uow.wallets.encrypted_seed(cmd.user.telegram_id)
    if wallet is None or seed is None:
        return PaymentSigned.replying_to(cmd, code=ErrorCode.WALLET_NOT_FOUND)
    try:
        check_payment(cmd.tx_json, wallet.address)
        check_fee(int(cmd.tx_json["Fee"]), deps.bounds)
    except UnsignablePayment as exc:
        log.error("refused to sign for user %s: %s", cmd.user.telegram_id, exc)
        return PaymentSigned.replying_to(cmd, code=ErrorCode.INTERNAL)
    except FeeTooHigh as exc:
        log.error("refused to sign for user %s: %s", cmd.user.telegram_id, exc)
        return PaymentSigned.replying_to(cmd, code=ErrorCode.FEE_TOO_HIGH)
    amount_drops = int(cmd.tx_json["Amount"])
    key = str(cmd.transfer_id) if cmd.transfer_id else _payment_key(cmd.tx_json)
    limit = deps.bounds.limit_for(await uow.wallets.own_daily_limit(cmd.user.telegram_id))
    try:
        check_daily_limit(
            amount_drops, await uow.signed.sent_today(cmd.user.telegram_id, key), limit
        )
    except LimitExceeded as exc:
        log.info("user %s is over their daily limit", cmd.user.telegram_id)
        return PaymentSigned.replying_to(
            cmd, code=ErrorCode.DAILY_LIMIT_EXCEEDED, remaining_today_drops=exc.remaining_drops
        )
    await uow.signed.record(key, cmd.user.telegram_id, amount_drops)
    return seed


async def record_user_seen(event: UserSeen, deps: WalletDeps) -> None:
    """Keep the @username the gateway saw a user with (`domain.usernames`): the user seen with
    a username last holds it, the former holder's is cleared; a late or repeated event changes
    nothing. The event is claimed in the inbox in the same transaction."""
    seen = SeenUser(
        telegram_id=event.user.telegram_id,
        username=event.user.username.removeprefix("@") if event.user.username else None,
        first_name=event.user.first_name,
        username_seen_at=event.seen_at,
    )
    async with deps.new_uow() as uow:
        if not await uow.claim(event):
            return
        await uow.users.see(seen)
        await uow.commit()


async def resolve_user(cmd: ResolveUser, deps: WalletDeps) -> UserResolved:
    """Find the custodial account of @username (case-insensitive); answer on reply_to.

    The username is the holder's (`TelegramUsers.holder`): the user the gateway saw with it
    last, never a former holder who gave it up.

    Returns:
        UserResolved with telegram_id, address, first_name and username_seen_at; or with all
        of them None when nobody here holds that username or its holder has no wallet. The
        two cases answer the same, so the answer tells nothing about users without a wallet.
    """
    username = cmd.username.removeprefix("@")
    async with deps.new_uow() as uow:
        holder = await uow.users.holder(username)
        wallet = await uow.wallets.get(holder.telegram_id) if holder is not None else None
    if holder is None or wallet is None:
        return UserResolved.replying_to(cmd, username=username)
    return UserResolved.replying_to(
        cmd,
        username=username,
        telegram_id=wallet.telegram_id,
        address=wallet.address,
        first_name=holder.first_name or None,
        username_seen_at=holder.username_seen_at,
    )
