"""Wallet messages: create a custodial account, report its balance, set the daily limit.

Published by gateway (commands) and wallet (replies, events).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt

from .envelope import Command, Event, Reply, Response
from .errors import ErrorCode

__all__ = [
    "BalanceReported",
    "CreateWallet",
    "DailyLimitReported",
    "DailyLimitSet",
    "GetBalance",
    "GetDailyLimit",
    "PaymentSigned",
    "RequestAuth",
    "ResolveUser",
    "SetDailyLimit",
    "SignPayment",
    "UserResolved",
    "WalletCreated",
    "WalletFailed",
    "WalletOpened",
]


class CreateWallet(Command):
    """Give the user an XRPL account, funded by the faucet; idempotent per user.

    Published by gateway on /wallet; consumed by wallet.
    """

    kind: Literal["wallet.create_wallet"] = "wallet.create_wallet"


class GetBalance(Command):
    """Ask for the user's balance from a validated ledger. Published by gateway; consumed by wallet."""

    kind: Literal["wallet.get_balance"] = "wallet.get_balance"


class WalletInfo(BaseModel):
    """The user's custodial account (public data only; the seed never leaves wallet)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    address: str = Field(description="Classic XRPL address (r...).")
    funded: bool = Field(description="True once the faucet payment reached a validated ledger.")


class WalletCreated(Reply):
    """The user's wallet (new, or the one they already had). Published by wallet; consumed by gateway."""

    kind: Literal["wallet.created"] = "wallet.created"
    wallet: WalletInfo = Field(description="The account.")
    already_existed: bool = Field(description="True when /wallet was repeated.")
    funded_now: bool = Field(
        default=False,
        description="True when the faucet funded the account while handling this command.",
    )
    balance_drops: NonNegativeInt | None = Field(
        default=None, description="Balance in drops from a validated ledger, when known."
    )


class BalanceReported(Reply):
    """A balance read from a validated ledger. Published by wallet; consumed by gateway.

    Spendable XRP = balance_drops - reserve_drops (https://xrpl.org/docs/concepts/accounts/reserves).
    """

    kind: Literal["wallet.balance_reported"] = "wallet.balance_reported"
    address: str = Field(description="Classic XRPL address the balance belongs to.")
    balance_drops: NonNegativeInt = Field(description="Account balance in drops.")
    reserve_base_drops: NonNegativeInt = Field(description="Base reserve in drops.")
    reserve_owner_drops: NonNegativeInt = Field(description="Reserve per owned object in drops.")
    owner_count: NonNegativeInt = Field(description="Objects the account owns (OwnerCount).")
    reserve_drops: NonNegativeInt = Field(
        description="Total reserve in drops: base + owner_count x owner reserve."
    )
    ledger_index: NonNegativeInt = Field(description="The validated ledger the balance is from.")


class WalletFailed(Reply):
    """A wallet command could not be done. Published by wallet; consumed by gateway."""

    kind: Literal["wallet.failed"] = "wallet.failed"
    code: ErrorCode = Field(description="Stable machine code; the gateway words it.")
    command: str = Field(description="Routing key of the command that failed.")


class GetDailyLimit(Command):
    """Ask for the user's rolling 24-hour outgoing limit and what is left of it.

    Published by gateway (/settings); consumed by wallet, which answers DailyLimitReported.
    """

    kind: Literal["wallet.get_daily_limit"] = "wallet.get_daily_limit"


class SetDailyLimit(Command):
    """Lower (or reset) the user's own 24-hour outgoing limit; never above the default.

    Published by gateway (/settings); consumed by wallet, which answers DailyLimitSet, or
    WalletFailed with limit_above_default (nothing stored) or wallet_not_found.
    """

    kind: Literal["wallet.set_daily_limit"] = "wallet.set_daily_limit"
    limit_drops: PositiveInt | None = Field(
        description="The user's own limit in drops, at most the default "
        "(WALLET_DAILY_LIMIT_DROPS); None goes back to the default."
    )


class _DailyLimitState(Reply):
    """The daily limit that applies to the user and what is left of it (drops)."""

    limit_drops: NonNegativeInt = Field(
        description="The limit that applies now: the most the user may send in 24 hours, drops."
    )
    default_limit_drops: PositiveInt = Field(
        description="Wallet's default limit (WALLET_DAILY_LIMIT_DROPS), the highest a user may "
        "choose, in drops."
    )
    own: bool = Field(
        description="True when the user's own limit applies; False when the default does."
    )
    sent_today_drops: NonNegativeInt = Field(
        description="What wallet signed for the user's transfers in the last 24 hours, drops."
    )
    remaining_today_drops: NonNegativeInt = Field(
        description="What the user may still send in the current 24 hours, drops."
    )


class DailyLimitReported(_DailyLimitState):
    """Wallet's answer to GetDailyLimit. Published by wallet; consumed by gateway."""

    kind: Literal["wallet.daily_limit_reported"] = "wallet.daily_limit_reported"


class DailyLimitSet(_DailyLimitState):
    """Wallet's answer to SetDailyLimit: the limit now stored and in force.

    Published by wallet; consumed by gateway.
    """

    kind: Literal["wallet.daily_limit_set"] = "wallet.daily_limit_set"


class WalletOpened(Event):
    """Domain event: a user's custodial account exists and is funded. Published by wallet."""

    kind: Literal["wallet.opened"] = "wallet.opened"
    address: str = Field(description="Classic XRPL address (r...).")


# ------------------------------------------------- request/reply: transfer → wallet (custody)


class RequestAuth(BaseModel):
    """Transfer's proof that it sent a signing request: HMAC-SHA256 with a key only transfer and
    wallet hold (SIGNING_REQUEST_KEYS), over the request's canonical body (`canonical_body`).

    Wallet refuses a request whose MAC matches none of its keys, whose `issued_at` is outside a
    short window, or whose `nonce` it has seen before (https://datatracker.ietf.org/doc/html/rfc2104).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    issued_at: AwareDatetime = Field(description="When transfer made the request (UTC).")
    nonce: str = Field(
        min_length=16, max_length=64, description="A random value used once (URL-safe base64)."
    )
    mac: str = Field(
        default="", description="HMAC-SHA256 of the canonical body, lowercase hex (64 chars)."
    )


class SignPayment(Command):
    """Request (with reply_to): sign a Payment that transfer prepared, from `user`'s account.

    Published by transfer, consumed by wallet, which answers PaymentSigned on `reply_to`. The
    wallet checks `auth` (transfer's HMAC), that `tx_json` is an XRP Payment from the user's own
    account with Fee (at most WALLET_MAX_FEE_DROPS), Sequence and LastLedgerSequence set, and that
    the user's 24-hour outgoing limit allows it; it refuses anything else. The seed never leaves
    wallet.
    """

    kind: Literal["wallet.sign_payment"] = "wallet.sign_payment"
    tx_json: dict[str, Any] = Field(
        description="The unsigned Payment in XRPL JSON (Account, Destination, Amount in drops as "
        "a string, Fee, Sequence, LastLedgerSequence, optional DestinationTag)."
    )
    transfer_id: UUID | None = Field(
        default=None,
        description="The confirmed transfer this payment carries out; the daily limit counts each "
        "transfer once, however often it is signed again (a re-prepared Sequence, a retry).",
    )
    auth: RequestAuth | None = Field(
        default=None, description="Transfer's HMAC over this request; required by wallet."
    )

    def canonical_body(self) -> bytes:
        """The bytes the MAC covers: the whole request as JSON with sorted keys and no spaces,
        with `auth.mac` empty."""
        body = self.model_dump(mode="json")
        if body.get("auth") is not None:
            body["auth"]["mac"] = ""
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()

    def authenticated(self, key: bytes, *, issued_at: datetime, nonce: str) -> SignPayment:
        """A copy carrying `auth`: the MAC under `key` (transfer's newest SIGNING_REQUEST_KEYS)."""
        unsigned = self.model_copy(update={"auth": RequestAuth(issued_at=issued_at, nonce=nonce)})
        mac = hmac.new(key, unsigned.canonical_body(), hashlib.sha256).hexdigest()
        return self.model_copy(
            update={"auth": RequestAuth(issued_at=issued_at, nonce=nonce, mac=mac)}
        )

    def mac_matches(self, keys: Sequence[bytes]) -> bool:
        """True when `auth.mac` is the MAC of this request under one of `keys` (constant time)."""
        if self.auth is None or not self.auth.mac:
            return False
        body = self.canonical_body()
        return any(
            hmac.compare_digest(hmac.new(k, body, hashlib.sha256).hexdigest(), self.auth.mac)
            for k in keys
        )


class PaymentSigned(Response):
    """Wallet's answer to SignPayment: the signed blob and its hash, or why it refused."""

    kind: Literal["wallet.payment_signed"] = "wallet.payment_signed"
    tx_blob: str | None = Field(default=None, description="Signed transaction, hex.")
    tx_hash: str | None = Field(default=None, description="Its hash (hex, 64 chars).")
    code: ErrorCode | None = Field(
        default=None,
        description="Set when refused: wallet_not_found, request_unauthenticated, fee_too_high, "
        "daily_limit_exceeded, or internal.",
    )
    remaining_today_drops: NonNegativeInt | None = Field(
        default=None,
        description="With daily_limit_exceeded: how many drops the user may still send in the "
        "current 24 hours.",
    )


class ResolveUser(Command):
    """Request (with reply_to): which custodial account belongs to @username?

    Published by transfer while quoting a /send to @username; wallet answers UserResolved.
    """

    kind: Literal["wallet.resolve_user"] = "wallet.resolve_user"
    username: str = Field(description="Telegram @username without the @ (case-insensitive).")


class UserResolved(Response):
    """Wallet's answer to ResolveUser. `address` is None when no wallet has that username.

    A username belongs to the user the gateway saw with it last (UserSeen); the answer says
    when that was, so that a quote can warn about a name not seen for long.
    """

    kind: Literal["wallet.user_resolved"] = "wallet.user_resolved"
    username: str = Field(description="The username asked for.")
    telegram_id: int | None = Field(default=None, description="That user's Telegram id.")
    address: str | None = Field(default=None, description="Their classic address.")
    first_name: str | None = Field(
        default=None, description="That user's Telegram first name, when known."
    )
    username_seen_at: AwareDatetime | None = Field(
        default=None,
        description="When the gateway last saw that user with this username (UTC), when known.",
    )
