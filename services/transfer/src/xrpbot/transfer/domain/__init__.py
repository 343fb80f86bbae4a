"""Transfer domain. Pure: no I/O. Rules of a /send, the payment's state machine, incoming
payments. Amounts are integer drops (1 XRP = 1,000,000 drops)."""

from .accounts import CustodialAccount
from .incoming import IncomingPayment, incoming_payments
from .quote import AccountSnapshot, Quote, check_quote, fee_for
from .refusal import Refusal
from .requests import AddressDestination, UsernameDestination, parse_amount, parse_destination
from .transfer import LedgerTx, Outcome, OutcomeKind, Transfer, TransferState, decide_outcome

__all__ = [
    "AccountSnapshot",
    "AddressDestination",
    "CustodialAccount",
    "IncomingPayment",
    "LedgerTx",
    "Outcome",
    "OutcomeKind",
    "Quote",
    "Refusal",
    "Transfer",
    "TransferState",
    "UsernameDestination",
    "check_quote",
    "decide_outcome",
    "fee_for",
    "incoming_payments",
    "parse_amount",
    "parse_destination",
]
