"""What the wallet agrees to sign. Pure: no I/O.

Custody isolation: transfer prepares the Payment, wallet signs it only when it is a plain XRP
Payment from the requesting user's own account, fully prepared for reliable submission
(https://xrpl.org/docs/concepts/transactions/reliable-transaction-submission): Fee, Sequence and
LastLedgerSequence set, no signature yet, no partial-payment flag, no paths.
"""

from __future__ import annotations

from typing import Any

__all__ = ["UnsignablePayment", "check_payment"]

_ALLOWED_FIELDS = frozenset(
    {
        "TransactionType",
        "Account",
        "Destination",
        "DestinationTag",
        "Amount",
        "Fee",
        "Sequence",
        "LastLedgerSequence",
        "Flags",
        "NetworkID",
    }
)
_MAX_DROPS = 100_000_000_000 * 1_000_000  # all XRP there is, in drops


class UnsignablePayment(ValueError):
    """The transaction is not one the wallet signs; the message says which rule it breaks."""


def _uint(tx: dict[str, Any], field: str) -> int:
    value = tx.get(field)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise UnsignablePayment(f"{field} must be a whole non-negative number")
    return value


def check_payment(tx_json: dict[str, Any], owner_address: str) -> None:
    """Accept `tx_json` for signing by `owner_address`, or raise.

    Args:
        tx_json: the unsigned transaction in XRPL JSON; Amount is XRP in drops, as a string.
        owner_address: the classic address of the user who asked.
    Raises:
        UnsignablePayment: not a Payment, not from the owner, an issued-currency amount, a
            missing Fee/Sequence/LastLedgerSequence, flags set, extra fields (Paths, SendMax,
            signatures, ...).
    """
    extra = set(tx_json) - _ALLOWED_FIELDS
    if extra:
        raise UnsignablePayment(f"unexpected fields: {', '.join(sorted(extra))}")
    if tx_json.get("TransactionType") != "Payment":
        raise UnsignablePayment("only Payment transactions are signed")
    if tx_json.get("Account") != owner_address:
        raise UnsignablePayment("Account is not the requesting user's address")
    amount = tx_json.get("Amount")
    if not isinstance(amount, str) or not amount.isdigit():
        raise UnsignablePayment("Amount must be XRP in drops (a string of digits)")
    if not 0 < int(amount) <= _MAX_DROPS:
        raise UnsignablePayment("Amount out of range")
    if _uint(tx_json, "Fee") == 0:
        raise UnsignablePayment("Fee must be set")
    _uint(tx_json, "Sequence")
    _uint(tx_json, "LastLedgerSequence")
    if tx_json.get("Flags", 0) not in (0, "0"):
        raise UnsignablePayment("no flags may be set (tfPartialPayment is refused)")
    if tx_json.get("Destination") == owner_address:
        raise UnsignablePayment("Destination is the account itself")
