"""Wallet use cases: one async function per command. They talk to ports only."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from xrpbot.schemas import (
    BalanceReported,
    CreateWallet,
    ErrorCode,
    GetBalance,
    PaymentSigned,
    ResolveUser,
    SignPayment,
    UserResolved,
    WalletCreated,
    WalletFailed,
    WalletInfo,
    WalletOpened,
)

from .domain.model import AccountState, CustodialWallet
from .domain.signing import UnsignablePayment, check_payment
from .ports import Faucet, KeyGenerator, Ledger, LedgerUnavailable, UnitOfWork

__all__ = ["WalletDeps", "create_wallet", "get_balance", "resolve_user", "sign_payment"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WalletDeps:
    """Everything the use cases need, built once by the composition root."""

    new_uow: Callable[[], UnitOfWork]
    ledger: Ledger
    faucet: Faucet
    keys: KeyGenerator
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
        await uow.wallets.remember_username(cmd.user.telegram_id, cmd.user.username)
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
        if wallet is not None:
            await uow.wallets.remember_username(cmd.user.telegram_id, cmd.user.username)
            await uow.commit()
    reply: BalanceReported | WalletFailed
    if wallet is None:
        reply = WalletFailed.replying_to(cmd, code=ErrorCode.WALLET_NOT_FOUND, command=cmd.kind)
    else:
        try:
            # both reads at once: one ledger round trip instead of two (issue 7's profile)
            account, reserve = await asyncio.gather(
                deps.ledger.account(wallet.address), deps.ledger.reserve()
            )
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


async def sign_payment(cmd: SignPayment, deps: WalletDeps) -> PaymentSigned:
    """Sign the Payment transfer prepared, from the user's own account; answer on reply_to.

    Nothing is stored: signing is deterministic, so a repeated request gets the same blob and
    hash. The seed is decrypted only inside the key generator and never leaves it.
    Returns:
        PaymentSigned with tx_blob and tx_hash, or with code wallet_not_found (no wallet) or
        internal (the payment breaks a signing rule, see domain.signing; logged without the seed).
    """
    async with deps.new_uow() as uow:
        wallet = await uow.wallets.get(cmd.user.telegram_id)
        seed = await uow.wallets.encrypted_seed(cmd.user.telegram_id)
    if wallet is None or seed is None:
        return PaymentSigned.replying_to(cmd, code=ErrorCode.WALLET_NOT_FOUND)
    try:
        check_payment(cmd.tx_json, wallet.address)
        signed = deps.keys.sign(seed, cmd.tx_json)
    except UnsignablePayment as exc:
        log.error("refused to sign for user %s: %s", cmd.user.telegram_id, exc)
        return PaymentSigned.replying_to(cmd, code=ErrorCode.INTERNAL)
    return PaymentSigned.replying_to(cmd, tx_blob=signed.tx_blob, tx_hash=signed.tx_hash)


async def resolve_user(cmd: ResolveUser, deps: WalletDeps) -> UserResolved:
    """Find the custodial account of @username (case-insensitive); answer on reply_to.

    Returns:
        UserResolved with telegram_id and address, or with both None when no wallet owner
        has that username (unknown, or a bot user who never opened a wallet).
    """
    username = cmd.username.removeprefix("@")
    async with deps.new_uow() as uow:
        wallet = await uow.wallets.find_by_username(username)
    if wallet is None:
        return UserResolved.replying_to(cmd, username=username)
    return UserResolved.replying_to(
        cmd, username=username, telegram_id=wallet.telegram_id, address=wallet.address
    )
