"""Transfer messages: /send (request, quote, confirm, cancel, outcome), incoming payments, /history.

Commands are published by gateway and consumed by transfer; replies by transfer for gateway.
Amounts are integer drops (1 XRP = 1,000,000 drops). A transfer's life, as the user sees it:

    RequestTransfer ─▶ TransferQuoted | TransferRefused
    ConfirmTransfer ─▶ TransferSubmitted (pending) ─▶ TransferValidated | TransferFailed
                     | TransferRefused (twice, expired, cancelled, not yours)
    CancelTransfer  ─▶ TransferCancelled | TransferRefused
    (ledger)        ─▶ PaymentReceived, to the recipient, once per transaction hash
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt

from .envelope import Command, Reply
from .errors import ErrorCode

__all__ = [
    "CancelTransfer",
    "ConfirmTransfer",
    "Counterparty",
    "FiatAmount",
    "GetHistory",
    "HistoryEntry",
    "HistoryReported",
    "HistoryStatus",
    "PaymentReceived",
    "RequestTransfer",
    "TransferCancelled",
    "TransferFailed",
    "TransferQuoted",
    "TransferRefused",
    "TransferSubmitted",
    "TransferValidated",
]

UINT32_MAX = 4_294_967_295


class Counterparty(BaseModel):
    """The other side of a payment: an XRPL account, and the bot user behind it when there is one."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    address: str = Field(description="Classic XRPL address (r...).")
    destination_tag: int | None = Field(
        default=None, ge=0, le=UINT32_MAX, description="Destination tag (UInt32), if any."
    )
    telegram_id: int | None = Field(
        default=None, description="Telegram id when the account is a bot user's custodial one."
    )
    username: str | None = Field(default=None, description="That user's @username, without @.")


class FiatAmount(BaseModel):
    """A fiat amount the user typed and the rate it was converted to XRP at."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. USD.")
    amount: Decimal = Field(gt=0, description="The amount typed, in that currency.")
    rate: Decimal = Field(gt=0, description="Price of 1 XRP in that currency, as used.")
    as_of: AwareDatetime = Field(description="When that price was current.")


# ---------------------------------------------------------------- commands (gateway → transfer)


class RequestTransfer(Command):
    """Ask for a quote to send XRP. The parts are the user's words as the gateway read them with
    `xrpbot.parsing`; transfer reads them again with the same parser and validates the payment.

    Published by gateway on /send (or at the end of its step-by-step flow).
    """

    kind: Literal["transfer.request_transfer"] = "transfer.request_transfer"
    amount: str = Field(
        max_length=64,
        description='Amount of XRP: "10", "0.5", "10 XRP" (up to 6 decimals, ASCII digits, no '
        'exponent, no comma); the gateway sends plain drops text ("2000", never "2,000").',
    )
    destination: str = Field(
        max_length=128, description="@username of a bot user, a classic address or an X-address."
    )
    destination_tag: str | None = Field(
        default=None, max_length=32, description="Destination tag as typed, if any."
    )
    fiat: FiatAmount | None = Field(
        default=None,
        description="Set when the user typed a fiat amount ('/send 5 USD @bob'): `amount` then "
        "holds the XRP the gateway converted it to at `fiat.rate`; echoed in the quote.",
    )


class ConfirmTransfer(Command):
    """The user pressed Confirm on a quote. Published by gateway (callback query)."""

    kind: Literal["transfer.confirm_transfer"] = "transfer.confirm_transfer"
    transfer_id: UUID = Field(description="The quote's transfer id (TransferQuoted.transfer_id).")


class CancelTransfer(Command):
    """The user pressed Cancel on a quote. Published by gateway (callback query)."""

    kind: Literal["transfer.cancel_transfer"] = "transfer.cancel_transfer"
    transfer_id: UUID = Field(description="The quote's transfer id.")


class GetHistory(Command):
    """Ask for one page of the user's payments, newest first. Published by gateway on /history."""

    kind: Literal["transfer.get_history"] = "transfer.get_history"
    page: NonNegativeInt = Field(default=0, description="0-based page number.")
    page_size: PositiveInt = Field(default=5, le=20, description="Entries per page.")


# ---------------------------------------------------------------- replies (transfer → gateway)


class TransferQuoted(Reply):
    """A validated send, waiting for the user's Confirm until `expires_at`."""

    kind: Literal["transfer.quoted"] = "transfer.quoted"
    transfer_id: UUID = Field(description="Id to confirm or cancel.")
    destination: Counterparty = Field(description="The resolved destination.")
    amount_drops: PositiveInt = Field(description="Amount to deliver, in drops.")
    fee_drops: PositiveInt = Field(description="Network fee (Fee field) in drops; it is burnt.")
    balance_drops: NonNegativeInt = Field(description="Sender's balance now, in drops.")
    balance_after_drops: NonNegativeInt = Field(
        description="Sender's balance after the payment and fee, in drops."
    )
    reserve_drops: NonNegativeInt = Field(
        description="Sender's reserve in drops, which must stay in the account "
        "(https://xrpl.org/docs/concepts/accounts/reserves)."
    )
    destination_funded: bool = Field(
        description="False when this payment creates the destination account."
    )
    expires_at: AwareDatetime = Field(description="After this the quote cannot be confirmed.")
    fiat: FiatAmount | None = Field(
        default=None, description="The fiat amount and rate the request was converted at."
    )
    recipient_first_name: str | None = Field(
        default=None,
        description="For a send to @username: the recipient's Telegram first name, when known.",
    )
    username_seen_at: AwareDatetime | None = Field(
        default=None,
        description="For a send to @username: when the recipient was last seen with that "
        "username (UTC), when known.",
    )
    username_stale: bool = Field(
        default=False,
        description="True when that was longer ago than TRANSFER_USERNAME_STALE_DAYS (or is "
        "unknown): the username may belong to someone else now; the quote says so.",
    )


class TransferRefused(Reply):
    """A /send request, Confirm or Cancel that changed nothing, with a stable code."""

    kind: Literal["transfer.refused"] = "transfer.refused"
    code: ErrorCode = Field(description="Why; the gateway words it.")
    command: str = Field(description="Routing key of the refused command.")
    transfer_id: UUID | None = Field(default=None, description="The quote concerned, if any.")
    spendable_drops: NonNegativeInt | None = Field(
        default=None, description="For insufficient_funds: what could be sent, in drops."
    )
    minimum_drops: NonNegativeInt | None = Field(
        default=None, description="For destination_not_funded: the base reserve, in drops."
    )
    username: str | None = Field(
        default=None, description="For recipient_not_found: the @username asked for."
    )


class TransferCancelled(Reply):
    """The quote was cancelled; nothing was sent."""

    kind: Literal["transfer.cancelled"] = "transfer.cancelled"
    transfer_id: UUID = Field(description="The cancelled quote.")


class TransferSubmitted(Reply):
    """The signed payment was handed to the network; its outcome is pending (not final).

    Not terminal: TransferValidated or TransferFailed follows with the same correlation id.
    """

    kind: Literal["transfer.submitted"] = "transfer.submitted"
    transfer_id: UUID = Field(description="The transfer.")
    tx_hash: str = Field(description="Transaction hash (hex, 64 chars).")
    destination: Counterparty = Field(description="Where it goes.")
    amount_drops: PositiveInt = Field(description="Amount in drops.")


class TransferValidated(Reply):
    """The payment is in a validated ledger with tesSUCCESS: final, sent."""

    kind: Literal["transfer.validated"] = "transfer.validated"
    transfer_id: UUID = Field(description="The transfer.")
    tx_hash: str = Field(description="Transaction hash (hex).")
    destination: Counterparty = Field(description="Where it went.")
    delivered_drops: PositiveInt = Field(description="meta.delivered_amount in drops.")
    fee_drops: PositiveInt = Field(description="Fee paid, in drops.")
    ledger_index: PositiveInt = Field(description="The validated ledger that holds it.")


class TransferFailed(Reply):
    """Final: the payment did not deliver. `code` says whether anything was spent.

    transfer_expired and transfer_not_submitted: nothing left the account; safe to try again.
    transfer_rejected: included with a tec code (`result`); only the fee was spent.
    """

    kind: Literal["transfer.failed"] = "transfer.failed"
    transfer_id: UUID = Field(description="The transfer.")
    code: ErrorCode = Field(
        description="transfer_expired, transfer_rejected, transfer_not_submitted, or wallet's "
        "refusal: fee_too_high, daily_limit_exceeded, request_unauthenticated (nothing sent)."
    )
    result: str | None = Field(
        default=None, description="The engine result, e.g. tecUNFUNDED_PAYMENT, when known."
    )
    tx_hash: str | None = Field(default=None, description="Transaction hash, if it was signed.")
    destination: Counterparty = Field(description="Where it was going.")
    amount_drops: PositiveInt = Field(description="Amount that was to be sent, in drops.")
    fee_drops: NonNegativeInt = Field(default=0, description="Fee spent (tec only), in drops.")
    remaining_today_drops: NonNegativeInt | None = Field(
        default=None,
        description="With daily_limit_exceeded: how many drops the user may still send in the "
        "current 24 hours (wallet's count).",
    )


class PaymentReceived(Reply):
    """XRP arrived at the user's custodial account (validated, tesSUCCESS). Sent once per hash.

    Addressed to the recipient (`user`, `chat_id` = their private chat); it answers no command,
    so the gateway sends it as a new message. The amount is meta.delivered_amount, never Amount
    (https://xrpl.org/docs/concepts/payment-types/partial-payments).
    """

    kind: Literal["transfer.payment_received"] = "transfer.payment_received"
    tx_hash: str = Field(description="Transaction hash (hex).")
    delivered_drops: PositiveInt = Field(description="Delivered amount in drops.")
    source: Counterparty = Field(description="The sender (a bot user when known).")
    destination_tag: int | None = Field(default=None, description="Tag the payment carried.")
    ledger_index: PositiveInt = Field(description="The validated ledger that holds it.")


class HistoryStatus(StrEnum):
    """A history line's state."""

    SENT = "sent"
    RECEIVED = "received"
    PENDING = "pending"
    FAILED = "failed"
    EXPIRED = "expired"


class HistoryEntry(BaseModel):
    """One payment in /history."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    direction: Literal["out", "in"] = Field(description="out: sent by the user; in: received.")
    status: HistoryStatus = Field(description="Its state.")
    amount_drops: PositiveInt = Field(description="Delivered (in) or sent (out) amount, drops.")
    fee_drops: NonNegativeInt = Field(default=0, description="Fee the user paid (out), drops.")
    counterparty: Counterparty = Field(description="The other side.")
    at: AwareDatetime = Field(description="When it was confirmed (out) or validated (in).")
    tx_hash: str | None = Field(default=None, description="Transaction hash, once signed.")
    result: str | None = Field(default=None, description="Engine result when it failed.")


class HistoryReported(Reply):
    """One page of the user's payments, newest first."""

    kind: Literal["transfer.history_reported"] = "transfer.history_reported"
    page: NonNegativeInt = Field(description="0-based page number.")
    page_size: PositiveInt = Field(description="Entries per page.")
    total: NonNegativeInt = Field(description="Entries on all pages.")
    entries: tuple[HistoryEntry, ...] = Field(description="This page's entries.")


# ---------------------------------------------------------------- admin statistics

__all__ += ["GetStats", "StatsReported"]


class GetStats(Command):
    """An admin's /stats: ask transfer for today's counts. Published by gateway (admins only);
    consumed by transfer, which answers StatsReported. Carries no payload."""

    kind: Literal["transfer.get_stats"] = "transfer.get_stats"


class StatsReported(Reply):
    """Counts for /stats, from the transfer schema. Published by transfer; consumed by gateway.

    "Today" is the UTC day that contains `since`; the gateway adds its own numbers (users,
    queue depths) when it renders the answer.
    """

    kind: Literal["transfer.stats_reported"] = "transfer.stats_reported"
    since: AwareDatetime = Field(description="Start of the counted day (00:00 UTC).")
    wallets: NonNegativeInt = Field(
        description="Custodial accounts transfer knows (from wallet.opened events)."
    )
    wallets_today: NonNegativeInt = Field(description="Of those, opened since `since`.")
    payments_today: NonNegativeInt = Field(
        description="Sent payments validated (tesSUCCESS) since `since`."
    )
    volume_today_drops: NonNegativeInt = Field(
        description="XRP those payments delivered, in drops."
    )
    failed_today: NonNegativeInt = Field(
        description="Confirmed payments that ended failed or expired since `since`."
    )
    incoming_today: NonNegativeInt = Field(
        description="Incoming payments to custodial accounts recorded since `since`."
    )
    incoming_volume_today_drops: NonNegativeInt = Field(
        description="XRP those incoming payments delivered, in drops."
    )
