"""The rules of a quote: what may be sent, to whom, and what stays behind. Pure.

The amount must fit in what is spendable (`AccountSnapshot.spendable_drops`: balance - reserve -
fee - what is already on its way). A payment to an account that does not exist yet must carry
at least the base reserve, or the ledger answers tecNO_DST_INSUF_XRP
(https://xrpl.org/docs/references/protocol/transactions/transaction-results/tec-codes).
A destination with DepositAuth accepts XRP only from senders it preauthorized, or at most the
base reserve while its balance is at most the base reserve; anything else the ledger refuses
with tecNO_PERMISSION and keeps the fee (https://xrpl.org/docs/concepts/accounts/depositauth),
so it is refused here, before Confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from xrpbot.schemas import ErrorCode

from .accounts import AccountSnapshot
from .refusal import Refusal

__all__ = [
    "LSF_DEPOSIT_AUTH",
    "LSF_DISALLOW_XRP",
    "LSF_REQUIRE_DEST_TAG",
    "Quote",
    "check_quote",
    "fee_for",
    "username_stale",
]

LSF_REQUIRE_DEST_TAG = 0x00020000
"""AccountRoot flag: incoming payments must carry a destination tag (enforced by the ledger)."""
LSF_DISALLOW_XRP = 0x00080000
"""AccountRoot flag: the owner asks not to be sent XRP (advisory; clients must honour it).
https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot#accountroot-flags"""
LSF_DEPOSIT_AUTH = 0x01000000
"""AccountRoot flag: only preauthorized senders may pay this account (enforced by the ledger)."""


@dataclass(frozen=True, slots=True)
class Quote:
    """What the user is asked to confirm, in drops."""

    amount_drops: int
    fee_drops: int
    balance_drops: int
    balance_after_drops: int
    reserve_drops: int
    destination_funded: bool


def fee_for(base_fee_drops: int, open_ledger_fee_drops: int, max_fee_drops: int) -> int:
    """The Fee to pay: the open ledger's current cost (at least the base fee), capped.

    Source: `fee` method, https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/server-info-methods/fee
    """
    return max(1, min(max(base_fee_drops, open_ledger_fee_drops), max_fee_drops))


def check_quote(
    *,
    sender_address: str,
    sender: AccountSnapshot,
    destination_address: str,
    destination: AccountSnapshot | None,
    destination_tag: int | None,
    amount_drops: int,
    fee_drops: int,
    reserve_base_drops: int,
    reserve_owner_drops: int,
    in_flight_drops: int = 0,
    deposit_authorized: bool = True,
) -> Quote:
    """Check a send against both accounts and the reserve rule; the quote to show, or why not.

    Args:
        destination: the destination as the validated ledger shows it; None if not funded.
        in_flight_drops: amounts plus fees of the sender's confirmed, not yet final payments.
        deposit_authorized: the destination preauthorized the sender (`deposit_authorized`
            method); matters only when the destination has LSF_DEPOSIT_AUTH.
    Raises:
        Refusal: send_to_self, destination_disallows_xrp, destination_deposit_auth,
            destination_tag_required,
            destination_not_funded (minimum_drops = base reserve), insufficient_funds
            (spendable_drops = what could be sent).
    """
    if destination_address == sender_address:
        raise Refusal(ErrorCode.SEND_TO_SELF)
    if destination is not None:
        if destination.flags & LSF_DISALLOW_XRP:
            raise Refusal(ErrorCode.DESTINATION_DISALLOWS_XRP)
        if (
            destination.flags & LSF_DEPOSIT_AUTH
            and not deposit_authorized
            and not _small_deposit(destination, amount_drops, reserve_base_drops)
        ):
            raise Refusal(ErrorCode.DESTINATION_DEPOSIT_AUTH)
        if destination.flags & LSF_REQUIRE_DEST_TAG and destination_tag is None:
            raise Refusal(ErrorCode.DESTINATION_TAG_REQUIRED)
    elif amount_drops < reserve_base_drops:
        raise Refusal(ErrorCode.DESTINATION_NOT_FUNDED, minimum_drops=reserve_base_drops)
    reserve = sender.reserve_drops(reserve_base_drops, reserve_owner_drops)
    spendable = sender.spendable_drops(
        reserve_base_drops=reserve_base_drops,
        reserve_owner_drops=reserve_owner_drops,
        fee_drops=fee_drops,
        in_flight_drops=in_flight_drops,
    )
    if amount_drops > spendable:
        raise Refusal(ErrorCode.INSUFFICIENT_FUNDS, spendable_drops=spendable)
    return Quote(
        amount_drops=amount_drops,
        fee_drops=fee_drops,
        balance_drops=sender.balance_drops,
        balance_after_drops=sender.balance_drops - in_flight_drops - amount_drops - fee_drops,
        reserve_drops=reserve,
        destination_funded=destination is not None,
    )


def _small_deposit(
    destination: AccountSnapshot, amount_drops: int, reserve_base_drops: int
) -> bool:
    """DepositAuth's one exception: at most the base reserve to an account holding at most the
    base reserve (so it can always get enough XRP to pay a fee)."""
    return amount_drops <= reserve_base_drops and destination.balance_drops <= reserve_base_drops


def username_stale(seen_at: datetime | None, now: datetime, stale_after: timedelta) -> bool:
    """True when a @username's holder was last seen with it longer than `stale_after` ago.

    Telegram lets anyone take a username its holder gave up, and the bot learns of it only
    when someone writes to it with the name; a name not seen for long may belong to someone
    else now, so the quote says so. An unknown time (None) is not called stale: there is no
    age to tell.
    """
    return seen_at is not None and now - seen_at > stale_after
