"""Stable machine codes for typed error replies; the gateway turns each into words."""

from enum import StrEnum

__all__ = ["ErrorCode"]


class ErrorCode(StrEnum):
    """Why a command could not be done. Codes are part of the contract: never rename one."""

    WALLET_NOT_FOUND = "wallet_not_found"
    """The user has no wallet yet (they should send /wallet)."""
    LEDGER_UNAVAILABLE = "ledger_unavailable"
    """The XRPL server could not be reached or did not answer in time."""
    FAUCET_UNAVAILABLE = "faucet_unavailable"
    """The faucet could not fund the new account (yet); the account is kept and retried."""
    ACCOUNT_NOT_FOUND = "account_not_found"
    """The wallet's account is not (yet) in a validated ledger: it is not funded."""
    PRICES_UNAVAILABLE = "prices_unavailable"
    """The market-data source failed and nothing usable is cached."""
    # /send refusals (transfer.refused); each is worded by the gateway.
    INVALID_AMOUNT = "invalid_amount"
    """The amount is not a number of XRP ("10", "0.5", "10 XRP")."""
    AMOUNT_NOT_POSITIVE = "amount_not_positive"
    """The amount is zero or negative."""
    TOO_MANY_DECIMALS = "too_many_decimals"
    """More than 6 decimals: XRP's smallest unit is one drop, 0.000001 XRP."""
    UNSUPPORTED_CURRENCY = "unsupported_currency"
    """The amount names a currency other than XRP."""
    AMOUNT_TOO_LARGE = "amount_too_large"
    """More than all the XRP there is (100,000,000,000 XRP), or a fiat amount that is."""
    AMOUNT_HAS_EXPONENT = "amount_has_exponent"
    """The amount is written with an exponent ("1e3"): amounts are written in full."""
    AMOUNT_HAS_COMMA = "amount_has_comma"
    """The amount has a comma ("1,000", "0,5"): a thousands separator or a decimal comma could
    each be meant, so neither is guessed."""
    DIGITS_NOT_ASCII = "digits_not_ascii"
    """An amount or destination tag has a digit other than ASCII 0-9 (Arabic-Indic, full-width,
    a superscript...)."""
    FIAT_TOO_MANY_DECIMALS = "fiat_too_many_decimals"
    """A fiat amount with more than 2 decimals."""
    INSUFFICIENT_FUNDS = "insufficient_funds"
    """More than spendable: balance - reserve - fee (https://xrpl.org/docs/concepts/accounts/reserves)."""
    RECIPIENT_NOT_FOUND = "recipient_not_found"
    """No wallet for that @username: unknown, or a bot user who has not opened a wallet yet."""
    INVALID_ADDRESS = "invalid_address"
    """Not a classic address or X-address, or its checksum is wrong."""
    INVALID_DESTINATION_TAG = "invalid_destination_tag"
    """The destination tag is not a whole number from 0 to 4294967295 (UInt32), or conflicts with
    the X-address's own tag."""
    SEND_TO_SELF = "send_to_self"
    """The destination is the sender's own account."""
    DESTINATION_TAG_REQUIRED = "destination_tag_required"
    """The destination has RequireDest set (lsfRequireDestTag) and no tag was given."""
    DESTINATION_NOT_FUNDED = "destination_not_funded"
    """The destination account does not exist and the amount is below the base reserve."""
    DESTINATION_DISALLOWS_XRP = "destination_disallows_xrp"
    """The destination has lsfDisallowXRP set: it asks not to be sent XRP."""
    DESTINATION_DEPOSIT_AUTH = "destination_deposit_auth"
    """The destination has DepositAuth (lsfDepositAuth) and has not preauthorized the sender:
    the ledger would refuse the payment with tecNO_PERMISSION and keep the fee
    (https://xrpl.org/docs/concepts/accounts/depositauth)."""
    DESTINATION_BLACK_HOLE = "destination_black_hole"
    """The destination is a special address nobody holds the key to (ACCOUNT_ZERO, ACCOUNT_ONE,
    the name-reservation and NaN black holes): XRP sent there is gone for good
    (https://xrpl.org/docs/concepts/accounts/addresses#special-addresses)."""
    ADDRESS_WRONG_NETWORK = "address_wrong_network"
    """An X-address made for the other kind of network (a Mainnet X… address while the service
    runs on a test network, or a test T… address on Mainnet)."""
    QUOTE_EXPIRED = "quote_expired"
    """The quote is older than its 2 minutes; nothing was sent."""
    QUOTE_ALREADY_CONFIRMED = "quote_already_confirmed"
    """Confirm was pressed again; the first press is the one being sent."""
    QUOTE_CANCELLED = "quote_cancelled"
    """The quote was cancelled; nothing was sent."""
    QUOTE_NOT_FOUND = "quote_not_found"
    """No such quote for this user (someone else's, or unknown)."""
    # transfer outcomes (transfer.failed)
    TRANSFER_EXPIRED = "transfer_expired"
    """Not included by its LastLedgerSequence: nothing was sent; safe to try again."""
    TRANSFER_REJECTED = "transfer_rejected"
    """A validated ledger holds the transaction with a tec code: only the fee was spent."""
    TRANSFER_NOT_SUBMITTED = "transfer_not_submitted"
    """The ledger refused the transaction for good before it could be included; nothing sent."""
    SIGNING_UNAVAILABLE = "signing_unavailable"
    """The wallet service did not answer the signing request in time (internal, retried)."""
    SIGNING_TIMED_OUT = "signing_timed_out"
    """A confirmed payment could not be signed within TRANSFER_SIGN_DEADLINE_SECONDS of its
    Confirm (wallet or the ledger away): it was given up and nothing was sent."""
    # custody refusals (wallet.payment_signed): wallet bounds what it signs, whoever asks
    REQUEST_UNAUTHENTICATED = "request_unauthenticated"
    """The signing request's HMAC is missing, wrong, stale or replayed: nothing was signed."""
    FEE_TOO_HIGH = "fee_too_high"
    """The transaction's Fee is above wallet's cap (WALLET_MAX_FEE_DROPS): nothing was signed."""
    DAILY_LIMIT_EXCEEDED = "daily_limit_exceeded"
    """The payment would take the user's outgoing total over their 24-hour limit."""
    LIMIT_ABOVE_DEFAULT = "limit_above_default"
    """SetDailyLimit asked for more than wallet's default limit: a user may only lower theirs."""
    INTERNAL = "internal"
    """Something unexpected; the details are in the service's logs, never in the reply."""
