"""Pure in-memory XRP Ledger engine: the sandbox's stand-alone rippled, without I/O.

The engine behaves like ``rippled -a --start`` (stand-alone mode with a new genesis ledger) as
xrpl.org and rippled's source describe it. Every amount is an ``int`` of drops
(1 XRP = 1,000,000 drops); times are whole seconds since the Ripple Epoch (2000-01-01 UTC).

Rules and where they come from:

- Genesis: ``rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh`` (secret ``snoPBrXtMeMyMHUVTgbuqAfg1SUTb``,
  "masterpassphrase") holds all 100,000,000,000 XRP; reserves are 1 XRP base and 0.2 XRP per
  owned object; the reference fee is 10 drops
  (https://xrpl.org/docs/infrastructure/testing-and-auditing/start-a-new-genesis-ledger-in-stand-alone-mode).
  Ledger 1 is the genesis ledger, ledger 2 is the first closed one and ledger 3 is open
  (rippled ``Application::startGenesisLedger``).
- Closed and validated are the same thing in stand-alone mode; ledgers close only when asked
  (https://xrpl.org/docs/infrastructure/testing-and-auditing/advance-the-ledger-in-stand-alone-mode).
- Transaction processing follows rippled's transactor pipeline: preflight, preclaim
  (sequence, LastLedgerSequence, fee, signature, type checks) and doApply, with ``tec`` codes
  claiming the fee and consuming the sequence
  (https://xrpl.org/docs/references/protocol/transactions/transaction-results).
- Payment: https://xrpl.org/docs/references/protocol/transactions/types/payment (rippled
  ``Payment.cpp``); AccountSet: https://xrpl.org/docs/references/protocol/transactions/types/accountset
  (``SetAccount.cpp``); SetRegularKey: https://xrpl.org/docs/references/protocol/transactions/types/setregularkey.
- A new account's ``Sequence`` is the index of the ledger that created it (DeletableAccounts;
  https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot).
- ``asfDisallowXRP`` is advisory and is *not* enforced on payments
  (https://xrpl.org/docs/references/protocol/transactions/types/accountset#accountset-flags).
- Locally submitted transactions are kept and re-applied to each new open ledger until they
  are in a ledger, their sequence has passed, or ``min(submitted + 5, LastLedgerSequence + 1)``
  has passed (rippled ``LocalTxs.cpp``); ledger closes replay the open ledger's transactions in
  canonical order with retry passes (rippled ``BuildLedger.cpp``).

What is deliberately *not* modelled: trust lines, offers, tickets, signer lists, escrows and
every other ledger object (transaction types that would need them answer ``temDISABLED``, as
a server with those amendments disabled would), the transaction queue and open-ledger fee
escalation, and real SHAMap root hashes (``account_hash``/``transaction_hash`` are stand-in
digests; ledger hashes are computed from them exactly as rippled hashes a ledger header).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Final

from xrpl.core import keypairs
from xrpl.core.addresscodec import decode_classic_address, is_valid_classic_address
from xrpl.core.binarycodec import decode, encode
from xrpl.core.binarycodec.binary_wrappers import BinaryParser
from xrpl.core.binarycodec.definitions import get_transaction_result_code

__all__ = [
    "DEFAULT_BASE_FEE_DROPS",
    "DEFAULT_RESERVE_BASE_DROPS",
    "DEFAULT_RESERVE_INC_DROPS",
    "GENESIS_ADDRESS",
    "GENESIS_SEED",
    "INITIAL_XRP_DROPS",
    "RIPPLE_EPOCH_UNIX",
    "AccountRoot",
    "ClosedLedger",
    "LedgerEngine",
    "LedgerState",
    "LedgerTransaction",
    "OpenLedger",
    "PendingTransaction",
    "RpcError",
    "SubmitResult",
    "account_root_index",
    "decode_ctid",
    "encode_ctid",
    "ripple_time_to_human",
    "ripple_time_to_iso",
    "transaction_hash",
    "transaction_result_message",
]

JsonDict = dict[str, Any]

# --- constants --------------------------------------------------------------------------------

#: Unix time of the Ripple Epoch, 2000-01-01T00:00:00Z
#: (https://xrpl.org/docs/references/protocol/data-types/basic-data-types#specifying-time).
RIPPLE_EPOCH_UNIX: Final = 946_684_800
#: The stand-alone genesis account and its well-known secret ("masterpassphrase").
GENESIS_ADDRESS: Final = "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh"
GENESIS_SEED: Final = "snoPBrXtMeMyMHUVTgbuqAfg1SUTb"
#: 100 billion XRP, in drops: everything the genesis account holds.
INITIAL_XRP_DROPS: Final = 100_000_000_000 * 1_000_000
#: Reference transaction cost and reserves of a new genesis ledger, in drops.
DEFAULT_BASE_FEE_DROPS: Final = 10
DEFAULT_RESERVE_BASE_DROPS: Final = 1_000_000
DEFAULT_RESERVE_INC_DROPS: Final = 200_000

_ZERO_HASH: Final = "0" * 64
_MAX_NATIVE_DROPS: Final = INITIAL_XRP_DROPS  # STAmount::cMaxNativeN
_CLOSE_TIME_RESOLUTION: Final = 10  # ledgerGenesisTimeResolution; stays at 10 s when closes agree
_HOLD_LEDGERS: Final = 5  # LocalTxs::holdLedgers
_LEDGER_TOTAL_PASSES: Final = 3  # BuildLedger.cpp
_LEDGER_RETRY_PASSES: Final = 1
_HASH_ROUTER_HOLD_SECONDS: Final = 300.0  # HashRouter's default hold time
_MAX_DOMAIN_LENGTH: Final = 256
_MEMO_MAX_BYTES: Final = 1024

# Ledger-specific AccountRoot flags (https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot#accountroot-flags).
LSF_PASSWORD_SPENT: Final = 0x00010000
LSF_REQUIRE_DEST_TAG: Final = 0x00020000
LSF_REQUIRE_AUTH: Final = 0x00040000
LSF_DISALLOW_XRP: Final = 0x00080000
LSF_DISABLE_MASTER: Final = 0x00100000
LSF_NO_FREEZE: Final = 0x00200000
LSF_GLOBAL_FREEZE: Final = 0x00400000
LSF_DEFAULT_RIPPLE: Final = 0x00800000
LSF_DEPOSIT_AUTH: Final = 0x01000000
LSF_DISALLOW_INCOMING_NFTOKEN_OFFER: Final = 0x04000000
LSF_DISALLOW_INCOMING_CHECK: Final = 0x08000000
LSF_DISALLOW_INCOMING_PAYCHAN: Final = 0x10000000
LSF_DISALLOW_INCOMING_TRUSTLINE: Final = 0x20000000
LSF_ALLOW_TRUSTLINE_LOCKING: Final = 0x40000000
LSF_ALLOW_TRUSTLINE_CLAWBACK: Final = 0x80000000

# AccountSet flags (asf*) and transaction flags (tf*), from the AccountSet and Payment pages.
ASF_REQUIRE_DEST: Final = 1
ASF_REQUIRE_AUTH: Final = 2
ASF_DISALLOW_XRP: Final = 3
ASF_DISABLE_MASTER: Final = 4
ASF_ACCOUNT_TXN_ID: Final = 5
ASF_NO_FREEZE: Final = 6
ASF_GLOBAL_FREEZE: Final = 7
ASF_DEFAULT_RIPPLE: Final = 8
ASF_DEPOSIT_AUTH: Final = 9
ASF_AUTHORIZED_NFTOKEN_MINTER: Final = 10
ASF_ALLOW_TRUSTLINE_CLAWBACK: Final = 16
_ASF_DISALLOW_INCOMING: Final = {
    12: LSF_DISALLOW_INCOMING_NFTOKEN_OFFER,
    13: LSF_DISALLOW_INCOMING_CHECK,
    14: LSF_DISALLOW_INCOMING_PAYCHAN,
    15: LSF_DISALLOW_INCOMING_TRUSTLINE,
}
_TF_UNIVERSAL: Final = 0x80000000 | 0x40000000  # tfFullyCanonicalSig | tfInnerBatchTxn
TF_REQUIRE_DEST_TAG: Final = 0x00010000
TF_OPTIONAL_DEST_TAG: Final = 0x00020000
TF_REQUIRE_AUTH: Final = 0x00040000
TF_OPTIONAL_AUTH: Final = 0x00080000
TF_DISALLOW_XRP: Final = 0x00100000
TF_ALLOW_XRP: Final = 0x00200000
_TF_ACCOUNT_SET_MASK: Final = ~(
    _TF_UNIVERSAL
    | TF_REQUIRE_DEST_TAG
    | TF_OPTIONAL_DEST_TAG
    | TF_REQUIRE_AUTH
    | TF_OPTIONAL_AUTH
    | TF_DISALLOW_XRP
    | TF_ALLOW_XRP
)
TF_NO_RIPPLE_DIRECT: Final = 0x00010000
TF_PARTIAL_PAYMENT: Final = 0x00020000
TF_LIMIT_QUALITY: Final = 0x00040000
_TF_PAYMENT_MASK: Final = ~(
    _TF_UNIVERSAL | TF_NO_RIPPLE_DIRECT | TF_PARTIAL_PAYMENT | TF_LIMIT_QUALITY
)
_TF_UNIVERSAL_MASK: Final = ~_TF_UNIVERSAL

_PSEUDO_TRANSACTION_TYPES: Final = frozenset({"EnableAmendment", "SetFee", "UNLModify"})
_SUPPORTED_TRANSACTION_TYPES: Final = frozenset({"Payment", "AccountSet", "SetRegularKey"})
# Fields of AccountRoot that are optional and kept in AccountRoot.optional_fields.
_ACCOUNT_OPTIONAL_FIELDS: Final = (
    "AccountTxnID",
    "Domain",
    "EmailHash",
    "MessageKey",
    "NFTokenMinter",
    "RegularKey",
    "TickSize",
    "TransferRate",
    "WalletLocator",
)
# AccountRoot fields whose type is STAccount (getAffectedAccounts collects these).
_ACCOUNT_ID_FIELDS: Final = ("Account", "NFTokenMinter", "RegularKey")

#: Human text of every result code the engine produces (rippled ``TER.cpp``).
_RESULT_MESSAGES: Final[dict[str, str]] = {
    "tesSUCCESS": "The transaction was applied. Only final in a validated ledger.",
    "tecDST_TAG_NEEDED": "A destination tag is required.",
    "tecINSUFF_FEE": "Insufficient balance to pay fee.",
    "tecNEED_MASTER_KEY": "The operation requires the use of the Master Key.",
    "tecNO_ALTERNATIVE_KEY": "The operation would remove the ability to sign transactions with the account.",
    "tecNO_DST": "Destination does not exist. Send XRP to create it.",
    "tecNO_DST_INSUF_XRP": "Destination does not exist. Too little XRP sent to create it.",
    "tecNO_PERMISSION": "No permission to perform requested operation.",
    "tecOWNERS": "Non-zero owner count.",
    "tecPATH_DRY": "Path could not send partial amount.",
    "tecUNFUNDED_PAYMENT": "Insufficient XRP balance to send.",
    "tefALREADY": "The exact transaction was already in this ledger.",
    "tefBAD_AUTH": "Transaction's public key is not authorized.",
    "tefINTERNAL": "Internal error.",
    "tefMASTER_DISABLED": "Master key is disabled.",
    "tefMAX_LEDGER": "Ledger sequence too high.",
    "tefNOT_MULTI_SIGNING": "Account has no appropriate list of multi-signers.",
    "tefNO_TICKET": "Ticket is not in ledger.",
    "tefPAST_SEQ": "This sequence number has already passed.",
    "tefWRONG_PRIOR": "This previous transaction does not match.",
    "telBAD_DOMAIN": "Domain too long.",
    "telBAD_PUBLIC_KEY": "Public key is not valid.",
    "telINSUF_FEE_P": "Fee insufficient.",
    "telNETWORK_ID_MAKES_TX_NON_CANONICAL": "Transactions submitted to this node/network must NOT include a NetworkID field.",
    "telNO_DST_PARTIAL": "Partial payment to create account not allowed.",
    "telREQUIRES_NETWORK_ID": "Transactions submitted to this node/network must include a correct NetworkID field.",
    "telWRONG_NETWORK": "Transaction specifies a Network ID that differs from that of the local node.",
    "temBAD_AMOUNT": "Malformed: Bad amount.",
    "temBAD_CURRENCY": "Malformed: Bad currency.",
    "temBAD_FEE": "Invalid fee, negative or not XRP.",
    "temBAD_REGKEY": "Malformed: Regular key cannot be same as master key.",
    "temBAD_SEND_XRP_LIMIT": "Malformed: Limit quality is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_MAX": "Malformed: Send max is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_NO_DIRECT": "Malformed: No Ripple direct is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_PARTIAL": "Malformed: Partial payment is not allowed for XRP to XRP.",
    "temBAD_SEND_XRP_PATHS": "Malformed: Paths are not allowed for XRP to XRP.",
    "temBAD_SIGNATURE": "Malformed: Bad signature.",
    "temBAD_SRC_ACCOUNT": "Malformed: Bad source account.",
    "temBAD_TICK_SIZE": "Malformed: Tick size out of range.",
    "temBAD_TRANSFER_RATE": "Malformed: Transfer rate must be >= 1.0 and <= 2.0",
    "temDISABLED": "The transaction requires logic that is currently disabled.",
    "temDST_NEEDED": "Destination not specified.",
    "temINVALID": "The transaction is ill-formed.",
    "temINVALID_FLAG": "The transaction has an invalid flag.",
    "temMALFORMED": "Malformed transaction.",
    "temREDUNDANT": "The transaction is redundant.",
    "temSEQ_AND_TICKET": "Transaction contains a TicketSequence and a non-zero Sequence.",
    "terINSUF_FEE_B": "Account balance can't pay fee.",
    "terNO_ACCOUNT": "The source account does not exist.",
    "terOWNERS": "Non-zero owner count.",
    "terPRE_SEQ": "Missing/inapplicable prior transaction.",
    "terPRE_TICKET": "Ticket is not yet in ledger.",
}

#: rippled RPC errors: token -> (error_code, default error_message) (rippled ``ErrorCodes.cpp``).
_RPC_ERRORS: Final[dict[str, tuple[int, str]]] = {
    "actMalformed": (35, "Account malformed."),
    "actNotFound": (19, "Account not found."),
    "excessiveLgrRange": (78, "Ledger range exceeds 1000."),
    "internal": (73, "Internal error."),
    "invalidLgrRange": (79, "Ledger range is invalid."),
    "invalidParams": (31, "Invalid parameters."),
    "lgrIdxMalformed": (58, "Ledger index malformed."),
    "lgrIdxsInvalid": (57, "Ledger indexes invalid."),
    "lgrNotFound": (21, "Ledger not found."),
    "lgrNotValidated": (22, "Ledger not validated."),
    "notImpl": (74, "Not implemented."),
    "notSupported": (75, "Operation not supported."),
    "txnNotFound": (29, "Transaction not found."),
    "unknownCmd": (32, "Unknown method."),
    "wrongNetwork": (4, "Wrong network."),
}


def transaction_result_message(code: str) -> str:
    """Return rippled's human-readable text for a transaction result code such as ``tefPAST_SEQ``.

    Source: rippled ``TER.cpp``, listed on https://xrpl.org/docs/references/protocol/transactions/transaction-results.
    """
    return _RESULT_MESSAGES.get(code, "-")


class RpcError(Exception):
    """A rippled API error: ``payload`` is the error part of a JSON-RPC ``result`` object.

    ``RpcError("actNotFound")`` gives ``{"error": "actNotFound", "error_code": 19,
    "error_message": "Account not found."}`` (https://xrpl.org/docs/references/http-websocket-apis/api-conventions/error-formatting).
    """

    def __init__(self, token: str, message: str | None = None, **extra: Any) -> None:
        code, default_message = _RPC_ERRORS[token]
        self.payload: JsonDict = {
            "error": token,
            "error_code": code,
            "error_message": message if message is not None else default_message,
            **extra,
        }
        super().__init__(f"{token}: {self.payload['error_message']}")

    @classmethod
    def bare(cls, token: str, **extra: Any) -> RpcError:
        """An error rippled reports without ``error_code``/``error_message`` (e.g. ``invalidTransaction``)."""
        error = cls.__new__(cls)
        error.payload = {"error": token, **extra}
        Exception.__init__(error, token)
        return error


# --- small helpers ------------------------------------------------------------------------------


def _sha512_half(data: bytes) -> bytes:
    return hashlib.sha512(data).digest()[:32]


def _account_id(address: str) -> bytes:
    return bytes(decode_classic_address(address))


@lru_cache(maxsize=1 << 16)
def account_root_index(address: str) -> str:
    """The ledger index (key) of an account's AccountRoot: SHA-512Half(0x0061 || AccountID).

    Source: https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot#accountroot-id-format
    """
    return _sha512_half(b"\x00a" + _account_id(address)).hex().upper()


def transaction_hash(blob: bytes) -> str:
    """The identifying hash of a signed transaction: SHA-512Half("TXN\\0" || blob).

    Source: https://xrpl.org/docs/references/protocol/data-types/basic-data-types#hashes
    """
    return _sha512_half(b"TXN\x00" + blob).hex().upper()


def ripple_time_to_human(ripple_seconds: int) -> str:
    """Format seconds since the Ripple Epoch like rippled: ``2025-Dec-19 03:16:00.000000000 UTC``."""
    moment = datetime.fromtimestamp(ripple_seconds + RIPPLE_EPOCH_UNIX, tz=UTC)
    return moment.strftime("%Y-%b-%d %H:%M:%S") + ".000000000 UTC"


def ripple_time_to_iso(ripple_seconds: int) -> str:
    """Format seconds since the Ripple Epoch as ISO 8601, like rippled's ``close_time_iso``."""
    moment = datetime.fromtimestamp(ripple_seconds + RIPPLE_EPOCH_UNIX, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_ctid(ledger_index: int, transaction_index: int, network_id: int) -> str | None:
    """Compact transaction identifier, or None when a part does not fit.

    Source: https://xrpl.org/docs/references/http-websocket-apis/api-conventions/ctid
    """
    if ledger_index >= 0x0FFF_FFFF or transaction_index > 0xFFFF or network_id > 0xFFFF:
        return None
    value = ((0xC000_0000 + ledger_index) << 32) + (transaction_index << 16) + network_id
    return f"{value:016X}"


def decode_ctid(ctid: str) -> tuple[int, int, int] | None:
    """Split a CTID into (ledger_index, transaction_index, network_id), or None if malformed."""
    if len(ctid) != 16 or not ctid.startswith("C"):
        return None
    try:
        value = int(ctid, 16)
    except ValueError:
        return None
    return (value >> 32) & 0x0FFF_FFFF, (value >> 16) & 0xFFFF, value & 0xFFFF


_SINGLE_SIGN_PREFIX: Final = b"STX\x00"  # HashPrefix::txSign
_MULTI_SIGN_PREFIX: Final = b"SMT\x00"  # HashPrefix::txMultiSign


def _signing_fields(blob_hex: str) -> bytes:
    """The serialized signing fields of a transaction blob, in the blob's (canonical) order.

    Source: https://xrpl.org/docs/references/protocol/binary-format#signing-field
    """
    raw = bytes.fromhex(blob_hex)
    parser = BinaryParser(blob_hex)
    kept = bytearray()
    while not parser.is_end():
        start = len(raw) - len(parser)
        field_instance = parser.read_field()
        parser.read_field_value(field_instance)
        if field_instance.is_signing:
            kept += raw[start : len(raw) - len(parser)]
    return bytes(kept)


def _entry_digest(root: AccountRoot) -> int:
    body = repr(sorted(root.to_json().items())).encode()
    return int.from_bytes(_sha512_half(bytes.fromhex(root.index) + body), "big")


def _is_public_key(hex_key: str) -> bool:
    try:
        raw = bytes.fromhex(hex_key)
    except ValueError:
        return False
    return len(raw) == 33 and raw[0] in (0x02, 0x03, 0xED)


def _is_hex(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def _is_native(amount: Any) -> bool:
    return isinstance(amount, str)


def _amount_sign(amount: Any) -> int:
    """-1, 0 or 1 for an XRP (drops string) or issued-currency amount."""
    try:
        if isinstance(amount, str):
            value = Decimal(int(amount))
        elif isinstance(amount, dict):
            value = Decimal(str(amount.get("value", "0")))
        else:
            return 0
    except (InvalidOperation, ValueError):
        return 0
    return (value > 0) - (value < 0)


def _is_legal_amount(amount: Any) -> bool:
    """rippled ``isLegalNet``: XRP amounts must not exceed 100 billion XRP in magnitude."""
    if isinstance(amount, str):
        try:
            return abs(int(amount)) <= _MAX_NATIVE_DROPS
        except ValueError:
            return False
    return isinstance(amount, dict)


def _asset_of(amount: Any) -> tuple[str, str | None]:
    if isinstance(amount, dict):
        if "mpt_issuance_id" in amount:
            return ("MPT:" + str(amount["mpt_issuance_id"]), None)
        return (str(amount.get("currency")), str(amount.get("issuer")))
    return ("XRP", None)


def _eff_close_time(now_ripple: int, resolution: int, parent_close_time: int) -> int:
    """rippled ``effCloseTime``: round to the resolution, and keep it after the parent's."""
    rounded = now_ripple + resolution // 2
    rounded -= rounded % resolution
    return max(rounded, parent_close_time + 1)


# --- ledger objects -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountRoot:
    """An AccountRoot ledger entry; ``balance_drops`` is the XRP balance in drops.

    Fields: https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot
    """

    account: str
    balance_drops: int
    sequence: int
    flags: int = 0
    owner_count: int = 0
    previous_txn_id: str = _ZERO_HASH
    previous_txn_lgr_seq: int = 0
    optional_fields: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def index(self) -> str:
        """This entry's ledger index (key), hex."""
        return account_root_index(self.account)

    @property
    def regular_key(self) -> str | None:
        """The account's regular key address, if one is set."""
        value = self.optional_fields.get("RegularKey")
        return str(value) if value is not None else None

    def content_json(self) -> JsonDict:
        """The entry's fields without threading fields, as metadata ``FinalFields`` shows them."""
        body: JsonDict = {
            "Account": self.account,
            "Balance": str(self.balance_drops),
            "Flags": self.flags,
            "OwnerCount": self.owner_count,
            "Sequence": self.sequence,
        }
        body.update(self.optional_fields)
        return body

    def to_json(self) -> JsonDict:
        """The entry as rippled serializes it (``account_info``'s ``account_data``)."""
        body = self.content_json()
        body["LedgerEntryType"] = "AccountRoot"
        body["PreviousTxnID"] = self.previous_txn_id
        body["PreviousTxnLgrSeq"] = self.previous_txn_lgr_seq
        body["index"] = self.index
        return body

    def with_field(self, name: str, value: Any | None) -> AccountRoot:
        """A copy with an optional field set (or removed when ``value`` is None)."""
        fields = dict(self.optional_fields)
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
        return replace(self, optional_fields=fields)


@dataclass(frozen=True, slots=True)
class LedgerTransaction:
    """A transaction included in a ledger (open or closed) with its metadata.

    ``meta`` holds ``AffectedNodes``, ``TransactionIndex`` and ``TransactionResult`` exactly as
    stored; ``delivered_amount`` is added by the API layer, as rippled does
    (https://xrpl.org/docs/references/protocol/transactions/metadata).
    """

    hash: str
    blob: str
    tx_json: Mapping[str, Any]
    meta: Mapping[str, Any]
    ledger_index: int
    affected_accounts: frozenset[str]

    @property
    def result(self) -> str:
        """The transaction's result code, e.g. ``tesSUCCESS``."""
        return str(self.meta["TransactionResult"])

    @property
    def transaction_index(self) -> int:
        """Position of the transaction in its ledger."""
        return int(self.meta["TransactionIndex"])

    @property
    def transaction_type(self) -> str:
        """``TransactionType`` of the transaction."""
        return str(self.tx_json["TransactionType"])


@dataclass(frozen=True, slots=True)
class ClosedLedger:
    """A closed (and, in stand-alone mode, validated) ledger version.

    Header fields: https://xrpl.org/docs/references/protocol/ledger-data/ledger-header;
    ``total_coins_drops`` is in drops, times are seconds since the Ripple Epoch.
    """

    index: int
    hash: str
    parent_hash: str
    account_hash: str
    transaction_hash: str
    total_coins_drops: int
    close_time: int
    parent_close_time: int
    close_time_resolution: int
    close_flags: int
    accounts: Mapping[str, AccountRoot] = field(compare=False, hash=False)
    transactions: tuple[LedgerTransaction, ...] = field(compare=False, hash=False)

    @property
    def closed(self) -> bool:
        """Always True: this ledger version is closed."""
        return True


@dataclass(slots=True)
class OpenLedger:
    """The current open ledger: transactions applied provisionally on top of the last closed one."""

    index: int
    parent_hash: str
    parent_close_time: int
    total_coins_drops: int
    accounts: dict[str, AccountRoot]
    transactions: list[LedgerTransaction]
    transaction_ids: set[str] = field(default_factory=set)

    @property
    def closed(self) -> bool:
        """Always False: this ledger version is still open."""
        return False


@dataclass(frozen=True, slots=True)
class LedgerState:
    """What ``submit`` reports about the open ledger after processing (fees in drops)."""

    account_sequence_next: int
    account_sequence_available: int
    open_ledger_cost_drops: int
    validated_ledger_index: int


@dataclass(frozen=True, slots=True)
class SubmitResult:
    """The preliminary outcome of ``submit`` (https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/transaction-methods/submit)."""

    engine_result: str
    tx_json: JsonDict
    tx_blob: str
    applied: bool
    broadcast: bool
    queued: bool
    kept: bool
    ledger_state: LedgerState | None

    @property
    def accepted(self) -> bool:
        """True when the transaction was applied, queued, broadcast or kept for later."""
        return self.applied or self.broadcast or self.queued or self.kept

    @property
    def engine_result_code(self) -> int:
        """The numeric form of ``engine_result``."""
        return int(get_transaction_result_code(self.engine_result))

    @property
    def engine_result_message(self) -> str:
        """rippled's text for ``engine_result``."""
        return transaction_result_message(self.engine_result)


@dataclass(frozen=True, slots=True)
class PendingTransaction:
    """A transaction this server has seen but that is not in a validated ledger (yet)."""

    hash: str
    blob: str
    tx_json: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _ParsedTx:
    hash: str
    blob: str  # upper-case hex
    tx_json: Mapping[str, Any]  # binary-codec JSON, without "hash"
    account: str
    account_id: bytes
    transaction_type: str
    sequence: int
    ticket_sequence: int | None
    signing_pub_key: str

    @property
    def is_ticket(self) -> bool:
        return self.sequence == 0 and self.ticket_sequence is not None

    @property
    def seq_value(self) -> int:
        if self.is_ticket and self.ticket_sequence is not None:
            return self.ticket_sequence
        return self.sequence

    @property
    def last_ledger_sequence(self) -> int | None:
        value = self.tx_json.get("LastLedgerSequence")
        return int(value) if value is not None else None

    @property
    def fee_drops(self) -> int:
        return int(self.tx_json["Fee"])

    @property
    def signer_count(self) -> int:
        signers = self.tx_json.get("Signers")
        return len(signers) if isinstance(signers, list) else 0


@dataclass(slots=True)
class _LocalTx:
    tx: _ParsedTx
    expire: int


@dataclass(slots=True)
class _RouterEntry:
    seen_at: float
    sig_good: bool = False
    sig_bad: bool = False
    local_good: bool = False
    local_bad: bool = False
    bad: bool = False


class _View:
    """A writable overlay over a ledger's account map (rippled's ApplyView) for one transaction."""

    def __init__(self, base: Mapping[str, AccountRoot], *, seq: int, is_open: bool) -> None:
        self.base = base
        self.seq = seq
        self.is_open = is_open
        self.changes: dict[str, AccountRoot] = {}

    def read(self, address: str) -> AccountRoot | None:
        root = self.changes.get(address)
        return root if root is not None else self.base.get(address)

    def write(self, root: AccountRoot) -> None:
        self.changes[root.account] = root


@dataclass(slots=True)
class _Builder:
    """A ledger being built: the open ledger, or the next closed one during a close."""

    seq: int
    is_open: bool
    state: dict[str, AccountRoot]
    transactions: list[LedgerTransaction]
    tx_ids: set[str]
    total_coins_drops: int
    changed: set[str] = field(default_factory=set)


# --- the engine ---------------------------------------------------------------------------------


class LedgerEngine:
    """An in-memory stand-alone rippled: open ledger, closed/validated history and local tx store.

    Construct with ``LedgerEngine()``. Not thread-safe and with no awaits inside: use it from one
    asyncio loop. All amounts are drops; ``clock`` returns Unix seconds (``time.time`` by default).
    ``tx_cache_seconds`` is how long a submitted transaction that is not validated stays
    visible to ``tx`` as "not validated" (rippled's TransactionMaster cache keeps transactions
    for 30 minutes); set it to 0 to get ``txnNotFound`` at once.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        network_id: int | None = None,
        base_fee_drops: int = DEFAULT_BASE_FEE_DROPS,
        reserve_base_drops: int = DEFAULT_RESERVE_BASE_DROPS,
        reserve_inc_drops: int = DEFAULT_RESERVE_INC_DROPS,
        tx_cache_seconds: float = 1800.0,
        build_version: str = "2.5.0",
    ) -> None:
        self._clock = clock
        self.network_id = network_id
        self.base_fee_drops = base_fee_drops
        self.reserve_base_drops = reserve_base_drops
        self.reserve_inc_drops = reserve_inc_drops
        self.tx_cache_seconds = tx_cache_seconds
        self.build_version = build_version
        self.started_at = clock()

        self._ledgers: list[ClosedLedger] = []
        self._ledger_by_hash: dict[str, ClosedLedger] = {}
        self._tx_locations: dict[str, tuple[int, int]] = {}
        self._account_txs: dict[str, list[tuple[int, int]]] = {}
        self._parsed: dict[str, _ParsedTx] = {}
        self._seen: dict[str, tuple[float, _ParsedTx]] = {}
        self._router: dict[str, _RouterEntry] = {}
        self._local: dict[str, _LocalTx] = {}
        self._entry_digests: dict[str, int] = {}
        self._state_sum = 0

        genesis_root = AccountRoot(GENESIS_ADDRESS, INITIAL_XRP_DROPS, sequence=1)
        genesis = self._make_closed(
            index=1,
            parent_hash=_ZERO_HASH,
            total_coins_drops=INITIAL_XRP_DROPS,
            close_time=0,
            parent_close_time=0,
            accounts={GENESIS_ADDRESS: genesis_root},
            transactions=(),
        )
        self._store_closed(genesis)
        second = self._make_closed(
            index=2,
            parent_hash=genesis.hash,
            total_coins_drops=INITIAL_XRP_DROPS,
            close_time=_eff_close_time(self.now_ripple(), _CLOSE_TIME_RESOLUTION, 0),
            parent_close_time=0,
            accounts=dict(genesis.accounts),
            transactions=(),
            changed=(),
        )
        self._store_closed(second)
        self._open = self._new_open_ledger(second)

    # -- clock ---------------------------------------------------------------------------------

    def now(self) -> float:
        """Current Unix time from the engine's clock."""
        return self._clock()

    def now_ripple(self) -> int:
        """Current time in whole seconds since the Ripple Epoch."""
        return int(self._clock()) - RIPPLE_EPOCH_UNIX

    # -- ledgers -------------------------------------------------------------------------------

    @property
    def open_ledger(self) -> OpenLedger:
        """The current open ledger (do not modify it)."""
        return self._open

    @property
    def validated_ledger(self) -> ClosedLedger:
        """The latest validated ledger; in stand-alone mode, the last closed one."""
        return self._ledgers[-1]

    @property
    def closed_ledger(self) -> ClosedLedger:
        """The last closed ledger."""
        return self._ledgers[-1]

    @property
    def first_ledger_index(self) -> int:
        """Lowest ledger index this server holds (``complete_ledgers`` starts here)."""
        return self._ledgers[0].index

    def ledger_by_index(self, index: int) -> ClosedLedger | OpenLedger | None:
        """The closed ledger with this index, the open ledger if it is current, else None."""
        first = self._ledgers[0].index
        if first <= index <= self._ledgers[-1].index:
            return self._ledgers[index - first]
        if index == self._open.index:
            return self._open
        return None

    def _closed_at(self, index: int) -> ClosedLedger:
        return self._ledgers[index - self._ledgers[0].index]

    def ledger_by_hash(self, ledger_hash: str) -> ClosedLedger | None:
        """The closed ledger with this hash (hex, any case), else None."""
        return self._ledger_by_hash.get(ledger_hash.upper())

    def close_time_of(self, index: int) -> int | None:
        """Close time (Ripple Epoch seconds) of a closed ledger, or None."""
        ledger = self.ledger_by_index(index)
        return ledger.close_time if isinstance(ledger, ClosedLedger) else None

    def reserve_drops(self, owner_count: int) -> int:
        """Account reserve for ``owner_count`` owned objects, in drops (https://xrpl.org/docs/concepts/accounts/reserves)."""
        return self.reserve_base_drops + owner_count * self.reserve_inc_drops

    # -- transactions: lookups -----------------------------------------------------------------

    def find_transaction(self, tx_hash: str) -> LedgerTransaction | None:
        """The validated transaction with this hash, or None."""
        location = self._tx_locations.get(tx_hash.upper())
        if location is None:
            return None
        return self._closed_at(location[0]).transactions[location[1]]

    def pending_transaction(self, tx_hash: str) -> PendingTransaction | None:
        """A transaction this server saw within ``tx_cache_seconds`` and has not validated.

        rippled answers ``tx`` for such transactions from its TransactionMaster cache with
        ``validated: false`` and no metadata (rippled ``TransactionMaster::fetch``).
        """
        entry = self._seen.get(tx_hash.upper())
        if entry is None or self.now() - entry[0] > self.tx_cache_seconds:
            return None
        parsed = entry[1]
        return PendingTransaction(parsed.hash, parsed.blob, parsed.tx_json)

    def account_transactions(
        self,
        address: str,
        *,
        ledger_min: int,
        ledger_max: int,
        forward: bool,
        limit: int,
        marker: tuple[int, int] | None,
    ) -> tuple[list[LedgerTransaction], tuple[int, int] | None]:
        """One page of validated transactions that affected ``address``, as ``account_tx`` pages.

        Newest first unless ``forward``. ``marker`` is (ledger_index, transaction_index) of the
        first transaction to return; the returned marker is the next one not returned (rippled
        ``SQLiteDatabase`` account-transaction paging).
        """
        rows = [
            row for row in self._account_txs.get(address, []) if ledger_min <= row[0] <= ledger_max
        ]
        if not forward:
            rows.reverse()
        page: list[LedgerTransaction] = []
        looking_for_marker = marker is not None
        next_marker: tuple[int, int] | None = None
        for row in rows:
            if looking_for_marker:
                if row != marker:
                    continue
                looking_for_marker = False
            if len(page) == limit:
                next_marker = row
                break
            page.append(self._closed_at(row[0]).transactions[row[1]])
        return page, next_marker

    # -- transactions: submit ------------------------------------------------------------------

    def submit(self, tx_blob: str, *, fail_hard: bool = False) -> SubmitResult:
        """Process a signed transaction blob as rippled's ``submit`` (submit-only mode) does.

        Raises ``RpcError`` for what rippled reports as an RPC error: ``invalidParams`` for a
        blob that is not hex, ``invalidTransaction`` (with ``error_exception``) for a blob that
        does not deserialize, fails its signature check (``fails local checks: Invalid
        signature.``) or fails local checks. Otherwise returns the preliminary result; the
        transaction is applied to the open ledger when ``applied`` is True.

        Submitting the same blob again is harmless: once the transaction is in the open or a
        validated ledger, its Sequence has been consumed, and rippled's TxQ answers
        ``tefPAST_SEQ`` (TxQ.cpp) before the ``tefALREADY`` check is reached; ``tefALREADY``
        only arises for Ticket-based transactions, which are not modelled. A blob that got a
        ``tem`` result answers ``temBAD_SIGNATURE`` afterwards (HashRouter "cached bad").
        Verifying a secp256k1 or Ed25519 signature with xrpl-py costs a few milliseconds;
        a blob is verified once (the result is cached by hash).
        Sources: rippled ``Submit.cpp``, ``NetworkOPs.cpp`` (``processTransaction``/``apply``) and
        https://xrpl.org/docs/references/http-websocket-apis/public-api-methods/transaction-methods/submit
        """
        try:
            raw = bytes.fromhex(tx_blob)
        except (TypeError, ValueError):
            raise RpcError("invalidParams") from None
        if not raw:
            raise RpcError("invalidParams")
        parsed = self._parse(raw)
        self._check_validity(parsed)

        entry = self._router_entry(parsed.hash)
        if entry.bad:
            # rippled NetworkOPs::preProcessTransaction: "cached bad" answers temBAD_SIGNATURE
            # for any transaction that earlier got a tem result (xrpl-dev-portal issue #1680).
            return SubmitResult(
                "temBAD_SIGNATURE", self._submit_json(parsed), parsed.blob,
                applied=False, broadcast=False, queued=False, kept=False, ledger_state=None,
            )  # fmt: skip
        self._seen.setdefault(parsed.hash, (self.now(), parsed))

        result, applied = self._apply_open(parsed, fail_hard=fail_hard)
        if result.startswith("tem"):
            entry.bad = True
        enforce_fail_hard = fail_hard and result != "tesSUCCESS"
        kept = not enforce_fail_hard
        if kept and parsed.hash not in self._local:
            expire = self._open.index + _HOLD_LEDGERS
            if parsed.last_ledger_sequence is not None:
                expire = min(expire, parsed.last_ledger_sequence + 1)
            self._local[parsed.hash] = _LocalTx(parsed, expire)
        if applied:
            self._retry_account(parsed.account)
        return SubmitResult(
            result,
            self._submit_json(parsed),
            parsed.blob,
            applied=applied,
            broadcast=applied and not enforce_fail_hard,
            queued=False,
            kept=kept,
            ledger_state=self._ledger_state(parsed.account),
        )

    def close_ledger(self) -> ClosedLedger:
        """Close the open ledger (``ledger_accept``); it is validated at once (stand-alone mode).

        The open ledger's transactions are replayed on the last closed state in canonical order
        with retry passes; transactions still retriable move to the next open ledger, then local
        transactions that are neither included, past their sequence, nor expired are re-applied.
        Sources: rippled ``BuildLedger.cpp``, ``OpenLedger::accept``, ``LocalTxs.cpp``.
        """
        parent = self._ledgers[-1]
        candidates = [self._parsed[tx.hash] for tx in self._open.transactions]
        ordered = self._canonical_order(candidates)
        builder = _Builder(
            seq=self._open.index,
            is_open=False,
            state=dict(parent.accounts),
            transactions=[],
            tx_ids=set(),
            total_coins_drops=parent.total_coins_drops,
        )
        pending = ordered
        certain_retry = True
        for pass_number in range(_LEDGER_TOTAL_PASSES):
            changes = 0
            remaining: list[_ParsedTx] = []
            for parsed in pending:
                if pass_number == 0 and parsed.hash in builder.tx_ids:
                    continue
                result, applied = self._apply(builder, parsed, retry=certain_retry)
                if applied:
                    changes += 1
                elif not result.startswith(("tef", "tem", "tel")):
                    remaining.append(parsed)
            pending = remaining
            if not changes and not certain_retry:
                break
            if not changes or pass_number >= _LEDGER_RETRY_PASSES:
                certain_retry = False

        closed = self._make_closed(
            index=builder.seq,
            parent_hash=parent.hash,
            total_coins_drops=builder.total_coins_drops,
            close_time=_eff_close_time(
                self.now_ripple(), _CLOSE_TIME_RESOLUTION, parent.close_time
            ),
            parent_close_time=parent.close_time,
            accounts=builder.state,
            transactions=tuple(builder.transactions),
            changed=builder.changed,
        )
        self._store_closed(closed)
        self._open = self._new_open_ledger(closed)
        self._parsed = {}
        for parsed in pending:
            self._apply_open(parsed, fail_hard=False)
        self._sweep_local(closed)
        self._reapply_local()
        self._expire_caches()
        return closed

    # -- internals: ledger bookkeeping ---------------------------------------------------------

    def _new_open_ledger(self, parent: ClosedLedger) -> OpenLedger:
        return OpenLedger(
            index=parent.index + 1,
            parent_hash=parent.hash,
            parent_close_time=parent.close_time,
            total_coins_drops=parent.total_coins_drops,
            accounts=dict(parent.accounts),
            transactions=[],
        )

    def _make_closed(
        self,
        *,
        index: int,
        parent_hash: str,
        total_coins_drops: int,
        close_time: int,
        parent_close_time: int,
        accounts: Mapping[str, AccountRoot],
        transactions: tuple[LedgerTransaction, ...],
        changed: Iterable[str] | None = None,
    ) -> ClosedLedger:
        account_hash = self._digest_accounts(accounts, changed)
        tx_hash = self._digest_transactions(transactions)
        header = (
            b"LWR\x00"
            + index.to_bytes(4, "big")
            + total_coins_drops.to_bytes(8, "big")
            + bytes.fromhex(parent_hash)
            + bytes.fromhex(tx_hash)
            + bytes.fromhex(account_hash)
            + parent_close_time.to_bytes(4, "big")
            + close_time.to_bytes(4, "big")
            + _CLOSE_TIME_RESOLUTION.to_bytes(1, "big")
            + b"\x00"
        )
        # Same layout as rippled's calculateLedgerHash (https://xrpl.org/docs/references/protocol/ledger-data/ledger-header).
        return ClosedLedger(
            index=index,
            hash=_sha512_half(header).hex().upper(),
            parent_hash=parent_hash,
            account_hash=account_hash,
            transaction_hash=tx_hash,
            total_coins_drops=total_coins_drops,
            close_time=close_time,
            parent_close_time=parent_close_time,
            close_time_resolution=_CLOSE_TIME_RESOLUTION,
            close_flags=0,
            accounts=accounts,
            transactions=transactions,
        )

    def _digest_accounts(
        self, accounts: Mapping[str, AccountRoot], changed: Iterable[str] | None
    ) -> str:
        """Stand-in for the state SHAMap root: a digest of the sum of every entry's digest.

        Kept incrementally (only entries a close changed are rehashed), so a close costs
        O(changes), not O(accounts).
        """
        if changed is None:
            self._entry_digests = {a: _entry_digest(r) for a, r in accounts.items()}
            self._state_sum = sum(self._entry_digests.values()) % (1 << 256)
        else:
            total = self._state_sum
            for address in changed:
                total -= self._entry_digests.pop(address, 0)
                root = accounts.get(address)
                if root is not None:
                    digest = _entry_digest(root)
                    self._entry_digests[address] = digest
                    total += digest
            self._state_sum = total % (1 << 256)
        return _sha512_half(b"MLN\x00" + self._state_sum.to_bytes(32, "big")).hex().upper()

    @staticmethod
    def _digest_transactions(transactions: Iterable[LedgerTransaction]) -> str:
        # Stand-in for the transaction SHAMap root; an empty map hashes to zero, as in rippled.
        items = sorted(transactions, key=lambda tx: tx.hash)
        if not items:
            return _ZERO_HASH
        digest = hashlib.sha512(b"SND\x00")
        for tx in items:
            digest.update(bytes.fromhex(tx.hash))
            digest.update(repr(sorted(tx.meta.items())).encode())
        return digest.digest()[:32].hex().upper()

    def _store_closed(self, ledger: ClosedLedger) -> None:
        self._ledgers.append(ledger)
        self._ledger_by_hash[ledger.hash] = ledger
        for tx in ledger.transactions:
            self._tx_locations[tx.hash] = (ledger.index, tx.transaction_index)
            for account in tx.affected_accounts:
                self._account_txs.setdefault(account, []).append(
                    (ledger.index, tx.transaction_index)
                )

    def _canonical_order(self, txs: list[_ParsedTx]) -> list[_ParsedTx]:
        # rippled CanonicalTXSet: (AccountID XOR salt, SeqProxy, txid), salted by the set's hash.
        salt = _sha512_half(b"".join(sorted(bytes.fromhex(tx.hash) for tx in txs)))
        salt_int = int.from_bytes(salt, "big")

        def key(tx: _ParsedTx) -> tuple[int, int, int, str]:
            account_key = int.from_bytes(tx.account_id + bytes(12), "big") ^ salt_int
            return (account_key, 1 if tx.is_ticket else 0, tx.seq_value, tx.hash)

        return sorted(txs, key=key)

    def _ledger_state(self, account: str) -> LedgerState:
        root = self._open.accounts.get(account)
        sequence = root.sequence if root is not None else 0
        return LedgerState(
            account_sequence_next=sequence,
            account_sequence_available=sequence,
            open_ledger_cost_drops=self.base_fee_drops,
            validated_ledger_index=self.validated_ledger.index,
        )

    def _submit_json(self, parsed: _ParsedTx) -> JsonDict:
        body = dict(parsed.tx_json)
        body["hash"] = parsed.hash
        return body

    # -- internals: local transactions, caches -------------------------------------------------

    def _retry_account(self, account: str) -> None:
        """After a transaction applies, try the account's kept transactions that now fit (popAcctTransaction)."""
        progress = True
        while progress:
            progress = False
            root = self._open.accounts.get(account)
            if root is None:
                return
            for local in list(self._local.values()):
                tx = local.tx
                if tx.account != account or tx.hash in self._open.transaction_ids:
                    continue
                if not tx.is_ticket and tx.sequence == root.sequence:
                    _, applied = self._apply_open(tx, fail_hard=False)
                    if applied:
                        progress = True
                        break

    def _sweep_local(self, closed: ClosedLedger) -> None:
        for tx_hash, local in list(self._local.items()):
            root = closed.accounts.get(local.tx.account)
            past_sequence = (
                root is not None and not local.tx.is_ticket and root.sequence > local.tx.sequence
            )
            if closed.index > local.expire or tx_hash in self._tx_locations or past_sequence:
                del self._local[tx_hash]

    def _reapply_local(self) -> None:
        remaining = sorted(self._local.values(), key=lambda lt: (lt.tx.account, lt.tx.seq_value))
        progress = True
        while progress and remaining:
            progress = False
            still: list[_LocalTx] = []
            for local in remaining:
                if local.tx.hash in self._open.transaction_ids:
                    continue
                _, applied = self._apply_open(local.tx, fail_hard=False)
                if applied:
                    progress = True
                else:
                    still.append(local)
            remaining = still

    def _expire_caches(self) -> None:
        now = self.now()
        for tx_hash, (seen_at, _) in list(self._seen.items()):
            if now - seen_at > self.tx_cache_seconds and tx_hash not in self._local:
                del self._seen[tx_hash]
        for tx_hash, entry in list(self._router.items()):
            if now - entry.seen_at > _HASH_ROUTER_HOLD_SECONDS:
                del self._router[tx_hash]

    def _router_entry(self, tx_hash: str) -> _RouterEntry:
        entry = self._router.get(tx_hash)
        if entry is None:
            entry = _RouterEntry(seen_at=self.now())
            self._router[tx_hash] = entry
        return entry

    # -- internals: parsing and local checks ---------------------------------------------------

    def _parse(self, raw: bytes) -> _ParsedTx:
        blob = raw.hex().upper()
        try:
            tx_json = decode(blob)
        except Exception as exc:  # the binary codec raises several exception types
            raise RpcError.bare("invalidTransaction", error_exception=str(exc)) from None
        missing = [
            name
            for name in ("TransactionType", "Account", "Sequence", "Fee", "SigningPubKey")
            if name not in tx_json
        ]
        transaction_type = tx_json.get("TransactionType")
        if transaction_type == "Payment":
            missing += [name for name in ("Amount", "Destination") if name not in tx_json]
        if missing:
            raise RpcError.bare(
                "invalidTransaction",
                error_exception=f"Field '{missing[0]}' is required but missing.",
            )
        account = str(tx_json["Account"])
        ticket = tx_json.get("TicketSequence")
        return _ParsedTx(
            hash=transaction_hash(raw),
            blob=blob,
            tx_json=tx_json,
            account=account,
            account_id=_account_id(account),
            transaction_type=str(transaction_type),
            sequence=int(tx_json["Sequence"]),
            ticket_sequence=int(ticket) if ticket is not None else None,
            signing_pub_key=str(tx_json.get("SigningPubKey", "")),
        )

    def _check_validity(self, parsed: _ParsedTx) -> None:
        """rippled ``checkValidity``: signature, then local checks, with HashRouter caching."""
        entry = self._router_entry(parsed.hash)
        if entry.sig_bad:
            raise RpcError.bare(
                "invalidTransaction",
                error_exception="fails local checks: Transaction has bad signature.",
            )
        if not entry.sig_good:
            reason = self._check_signature(parsed)
            if reason is not None:
                entry.sig_bad = True
                raise RpcError.bare(
                    "invalidTransaction", error_exception=f"fails local checks: {reason}"
                )
            entry.sig_good = True
        if entry.local_bad:
            raise RpcError.bare(
                "invalidTransaction", error_exception="fails local checks: Local checks failed."
            )
        if not entry.local_good:
            reason = self._local_check_failure(parsed)
            if reason is not None:
                entry.local_bad = True
                raise RpcError.bare(
                    "invalidTransaction", error_exception=f"fails local checks: {reason}"
                )
            entry.local_good = True

    @staticmethod
    def _check_signature(parsed: _ParsedTx) -> str | None:
        """rippled ``STTx::checkSign``: returns the failure reason, or None when the signature is good.

        The signed data is taken from the blob's own bytes (its signing fields), as rippled
        serializes them, so values xrpl-py would refuse to encode are still verified exactly.
        """
        tx_json = parsed.tx_json
        spk = parsed.signing_pub_key
        signers = tx_json.get("Signers")
        if spk:
            if signers is not None:
                return "Cannot both single- and multi-sign."
            signature = tx_json.get("TxnSignature")
            try:
                valid = (
                    _is_public_key(spk)
                    and isinstance(signature, str)
                    and keypairs.is_valid_message(
                        _SINGLE_SIGN_PREFIX + _signing_fields(parsed.blob),
                        bytes.fromhex(signature),
                        spk,
                    )
                )
            except Exception:  # a malformed key or signature is simply an invalid signature
                valid = False
            return None if valid else "Invalid signature."
        if not isinstance(signers, list) or not signers:
            return "Empty SigningPubKey." if signers is None else "Invalid Signers array size."
        if "TxnSignature" in tx_json:
            return "Cannot both single- and multi-sign."
        if len(signers) > 32:
            return "Invalid Signers array size."
        last = b""
        signed_fields = _signing_fields(parsed.blob)
        for wrapper in signers:
            signer = wrapper.get("Signer", {}) if isinstance(wrapper, dict) else {}
            address = str(signer.get("Account", ""))
            if not is_valid_classic_address(address):
                return "Invalid signature."
            signer_id = _account_id(address)
            if address == parsed.account:
                return "Invalid multisigner."
            if signer_id == last:
                return "Duplicate Signers not allowed."
            if signer_id < last:
                return "Unsorted Signers array."
            last = signer_id
            try:
                valid = _is_public_key(str(signer.get("SigningPubKey", ""))) and (
                    keypairs.is_valid_message(
                        _MULTI_SIGN_PREFIX + signed_fields + signer_id,
                        bytes.fromhex(str(signer.get("TxnSignature", ""))),
                        str(signer["SigningPubKey"]),
                    )
                )
            except Exception:  # a malformed key or signature is simply an invalid signature
                valid = False
            if not valid:
                return f"Invalid signature on account {address}."
        return None

    @staticmethod
    def _local_check_failure(parsed: _ParsedTx) -> str | None:
        """rippled ``passesLocalChecks``: memo rules and no pseudo-transactions."""
        memos = parsed.tx_json.get("Memos")
        if memos is not None:
            try:
                size = len(bytes.fromhex(encode({"Memos": memos}))) - 2
            except Exception:  # a memo array the codec cannot serialize is not a Memo array
                return "A memo array may contain only Memo objects."
            if size > _MEMO_MAX_BYTES:
                return "The memo exceeds the maximum allowed size."
            for wrapper in memos:
                if not isinstance(wrapper, dict) or set(wrapper) != {"Memo"}:
                    return "A memo array may contain only Memo objects."
                for name, value in wrapper["Memo"].items():
                    if name not in ("MemoType", "MemoData", "MemoFormat"):
                        return "A memo may contain only MemoType, MemoData or MemoFormat fields."
                    if not _is_hex(value):
                        return (
                            "The MemoType, MemoData and MemoFormat fields may only contain "
                            "hex-encoded data."
                        )
                    if name != "MemoData" and not all(
                        chr(b).isalnum() or chr(b) in "-._~:/?#[]@!$&'()*+,;=%"
                        for b in bytes.fromhex(value)
                    ):
                        return (
                            "The MemoType and MemoFormat fields may only contain characters that "
                            "are allowed in URLs under RFC 3986."
                        )
        if parsed.transaction_type in _PSEUDO_TRANSACTION_TYPES:
            return "Cannot submit pseudo transactions."
        return None

    # -- internals: applying transactions ------------------------------------------------------

    def _open_builder(self) -> _Builder:
        return _Builder(
            seq=self._open.index,
            is_open=True,
            state=self._open.accounts,
            transactions=self._open.transactions,
            tx_ids=self._open.transaction_ids,
            total_coins_drops=self._open.total_coins_drops,
        )

    def _apply_open(self, parsed: _ParsedTx, *, fail_hard: bool) -> tuple[str, bool]:
        """Apply to the open ledger the way rippled's TxQ::apply does when nothing is queued."""
        preflight = self._preflight(parsed)
        if preflight != "tesSUCCESS":
            return preflight, False
        root = self._open.accounts.get(parsed.account)
        if root is not None and (parsed.is_ticket or parsed.sequence == root.sequence):
            builder = self._open_builder()
            result, applied = self._apply(builder, parsed, retry=False, fail_hard=fail_hard)
            self._open.total_coins_drops = builder.total_coins_drops
            return result, applied
        if root is None:
            return "terNO_ACCOUNT", False
        if parsed.sequence < root.sequence:
            return "tefPAST_SEQ", False
        return "terPRE_SEQ", False

    def _apply(
        self, builder: _Builder, parsed: _ParsedTx, *, retry: bool, fail_hard: bool = False
    ) -> tuple[str, bool]:
        """preflight + preclaim + doApply of one transaction into ``builder`` (rippled ``apply``)."""
        result = self._preflight(parsed)
        if result != "tesSUCCESS":
            return result, False
        view = _View(builder.state, seq=builder.seq, is_open=builder.is_open)
        result = self._preclaim(view, parsed, builder.tx_ids, retry=retry)
        if result != "tesSUCCESS" and not result.startswith("tec"):
            return result, False
        fee_paid = 0
        if result == "tesSUCCESS":
            result, fee_paid = self._transactor_apply(view, parsed)
        if result.startswith("tec"):
            if retry or fail_hard:
                return result, False
            view = _View(builder.state, seq=builder.seq, is_open=builder.is_open)
            fee_paid = self._claim_fee(view, parsed)
        elif result != "tesSUCCESS":
            return result, False
        self._commit(builder, view, parsed, result, fee_paid)
        return result, True

    def _preflight(self, parsed: _ParsedTx) -> str:
        tx = parsed.tx_json
        if parsed.transaction_type not in _SUPPORTED_TRANSACTION_TYPES:
            # Documented choice: other ledger objects are not modelled, so their transaction types
            # answer as on a server whose amendments for them are disabled (Transactor preflight).
            return "temDISABLED"
        node_network = self.network_id or 0
        tx_network = tx.get("NetworkID")
        if node_network <= 1024:
            if tx_network is not None:
                return "telNETWORK_ID_MAKES_TX_NON_CANONICAL"
        elif tx_network is None:
            return "telREQUIRES_NETWORK_ID"
        elif int(tx_network) != node_network:
            return "telWRONG_NETWORK"
        if parsed.account_id == bytes(20):
            return "temBAD_SRC_ACCOUNT"
        fee = tx.get("Fee")
        if not _is_native(fee) or not _is_legal_amount(fee) or int(str(fee)) < 0:
            return "temBAD_FEE"
        if parsed.signing_pub_key and not _is_public_key(parsed.signing_pub_key):
            return "temBAD_SIGNATURE"
        if parsed.is_ticket and "AccountTxnID" in tx:
            return "temINVALID"
        if parsed.transaction_type == "Payment":
            return self._preflight_payment(parsed)
        if parsed.transaction_type == "AccountSet":
            return self._preflight_account_set(parsed)
        return self._preflight_set_regular_key(parsed)

    def _preclaim(self, view: _View, parsed: _ParsedTx, tx_ids: set[str], *, retry: bool) -> str:
        tx = parsed.tx_json
        root = view.read(parsed.account)
        # checkSeqProxy
        if root is None:
            return "terNO_ACCOUNT"
        if parsed.sequence != 0:
            if parsed.ticket_sequence is not None:
                return "temSEQ_AND_TICKET"
            if parsed.sequence > root.sequence:
                return "terPRE_SEQ"
            if parsed.sequence < root.sequence:
                return "tefPAST_SEQ"
        elif parsed.ticket_sequence is not None:
            # Tickets are not modelled: none is ever in the ledger.
            return "terPRE_TICKET" if root.sequence <= parsed.ticket_sequence else "tefNO_TICKET"
        else:
            return "tefPAST_SEQ"
        # checkPriorTxAndLastLedger
        prior = tx.get("AccountTxnID")
        if prior is not None and root.optional_fields.get("AccountTxnID") != prior:
            return "tefWRONG_PRIOR"
        last_ledger = parsed.last_ledger_sequence
        if last_ledger is not None and view.seq > last_ledger:
            return "tefMAX_LEDGER"
        if parsed.hash in tx_ids:
            return "tefALREADY"
        # checkFee
        fee = parsed.fee_drops
        if view.is_open and fee < self._fee_due(parsed, root):
            return "telINSUF_FEE_P"
        if fee > 0 and root.balance_drops < fee:
            if root.balance_drops > 0 and not view.is_open:
                return "tecINSUFF_FEE"
            return "terINSUF_FEE_B"
        # checkSign
        result = self._check_authorization(parsed, root)
        if result != "tesSUCCESS":
            return result
        if parsed.transaction_type == "Payment":
            return self._preclaim_payment(view, parsed)
        if parsed.transaction_type == "AccountSet":
            return self._preclaim_account_set(parsed, root, retry=retry)
        return "tesSUCCESS"

    def _fee_due(self, parsed: _ParsedTx, root: AccountRoot) -> int:
        """Minimum fee in drops: the reference fee per signature (https://xrpl.org/docs/concepts/transactions/transaction-cost)."""
        if (
            parsed.transaction_type == "SetRegularKey"
            and parsed.signing_pub_key
            and self._signer_address(parsed) == parsed.account
            and not root.flags & LSF_PASSWORD_SPENT
        ):
            return 0  # the one free SetRegularKey ("key reset transaction")
        return self.base_fee_drops * (1 + parsed.signer_count)

    @staticmethod
    def _signer_address(parsed: _ParsedTx) -> str | None:
        if not _is_public_key(parsed.signing_pub_key):
            return None
        return str(keypairs.derive_classic_address(parsed.signing_pub_key))

    def _check_authorization(self, parsed: _ParsedTx, root: AccountRoot) -> str:
        """rippled ``Transactor::checkSign`` (with fixMasterKeyAsRegularKey)."""
        if not parsed.signing_pub_key:
            return "tefNOT_MULTI_SIGNING"  # signer lists are not modelled: no account has one
        signer = self._signer_address(parsed)
        if signer is None:
            return "tefBAD_AUTH"
        if root.regular_key == signer:
            return "tesSUCCESS"
        if signer == parsed.account:
            return "tefMASTER_DISABLED" if root.flags & LSF_DISABLE_MASTER else "tesSUCCESS"
        return "tefBAD_AUTH"

    def _transactor_apply(self, view: _View, parsed: _ParsedTx) -> tuple[str, int]:
        """Transactor::apply: consume the sequence, pay the fee, then the type's doApply."""
        root = view.read(parsed.account)
        if root is None:
            return "tefINTERNAL", 0
        prior_balance = root.balance_drops
        fee = parsed.fee_drops
        root = replace(root, sequence=parsed.sequence + 1, balance_drops=prior_balance - fee)
        if "AccountTxnID" in root.optional_fields:
            root = root.with_field("AccountTxnID", parsed.hash)
        view.write(root)
        if parsed.transaction_type == "Payment":
            return self._apply_payment(view, parsed, prior_balance), fee
        if parsed.transaction_type == "AccountSet":
            return self._apply_account_set(view, parsed), fee
        return self._apply_set_regular_key(view, parsed), fee

    def _claim_fee(self, view: _View, parsed: _ParsedTx) -> int:
        """Transactor::reset: discard the transaction's effects, charge the fee, consume the sequence."""
        root = view.read(parsed.account)
        if root is None:
            return 0
        fee = min(parsed.fee_drops, root.balance_drops)
        view.write(
            replace(root, balance_drops=root.balance_drops - fee, sequence=parsed.sequence + 1)
        )
        return fee

    def _commit(
        self, builder: _Builder, view: _View, parsed: _ParsedTx, result: str, fee_paid: int
    ) -> None:
        nodes: list[tuple[str, JsonDict]] = []
        affected: set[str] = set()
        for address, new in view.changes.items():
            old = view.base.get(address)
            if old is not None and old == new and old.optional_fields == new.optional_fields:
                continue
            threaded = replace(new, previous_txn_id=parsed.hash, previous_txn_lgr_seq=builder.seq)
            builder.state[address] = threaded
            builder.changed.add(address)
            if old is None:
                new_fields = {
                    k: v
                    for k, v in new.content_json().items()
                    if k not in ("Flags", "OwnerCount") or v != 0
                }
                node = {
                    "CreatedNode": {
                        "LedgerEntryType": "AccountRoot",
                        "LedgerIndex": new.index,
                        "NewFields": new_fields,
                    }
                }
                fields = new_fields
            else:
                final = new.content_json()
                before = old.content_json()
                previous = {k: v for k, v in before.items() if final.get(k) != v}
                node_body: JsonDict = {
                    "FinalFields": final,
                    "LedgerEntryType": "AccountRoot",
                    "LedgerIndex": new.index,
                    "PreviousTxnID": old.previous_txn_id,
                    "PreviousTxnLgrSeq": old.previous_txn_lgr_seq,
                }
                if previous:
                    node_body["PreviousFields"] = previous
                node = {"ModifiedNode": node_body}
                fields = final
            nodes.append((new.index, node))
            affected.update(str(fields[k]) for k in _ACCOUNT_ID_FIELDS if k in fields)
        nodes.sort(key=lambda item: item[0])
        meta = {
            "AffectedNodes": [node for _, node in nodes],
            "TransactionIndex": len(builder.transactions),
            "TransactionResult": result,
        }
        builder.transactions.append(
            LedgerTransaction(
                hash=parsed.hash,
                blob=parsed.blob,
                tx_json=parsed.tx_json,
                meta=meta,
                ledger_index=builder.seq,
                affected_accounts=frozenset(affected),
            )
        )
        builder.tx_ids.add(parsed.hash)
        builder.total_coins_drops -= fee_paid
        if builder.is_open:
            self._parsed[parsed.hash] = parsed

    # -- Payment (rippled Payment.cpp) ---------------------------------------------------------

    @staticmethod
    def _preflight_payment(parsed: _ParsedTx) -> str:
        tx = parsed.tx_json
        flags = int(tx.get("Flags", 0))
        amount = tx["Amount"]
        send_max = tx.get("SendMax")
        deliver_min = tx.get("DeliverMin")
        if isinstance(amount, dict) and "mpt_issuance_id" in amount:
            return "temDISABLED"  # MPTokens are not modelled
        if flags & _TF_PAYMENT_MASK:
            return "temINVALID_FLAG"
        max_amount = send_max if send_max is not None else amount
        if not _is_legal_amount(amount) or not _is_legal_amount(max_amount):
            return "temBAD_AMOUNT"
        if send_max is not None and _amount_sign(max_amount) <= 0:
            return "temBAD_AMOUNT"
        if _amount_sign(amount) <= 0:
            return "temBAD_AMOUNT"
        src_asset, _ = _asset_of(max_amount)
        dst_asset, _ = _asset_of(amount)
        if (isinstance(amount, dict) and dst_asset == "XRP") or (
            isinstance(max_amount, dict) and src_asset == "XRP"
        ):
            return "temBAD_CURRENCY"
        has_paths = "Paths" in tx
        if tx["Destination"] == parsed.account and src_asset == dst_asset and not has_paths:
            return "temREDUNDANT"
        xrp_direct = _is_native(max_amount) and _is_native(amount)
        if xrp_direct and send_max is not None:
            return "temBAD_SEND_XRP_MAX"
        if xrp_direct and has_paths:
            return "temBAD_SEND_XRP_PATHS"
        if xrp_direct and flags & TF_PARTIAL_PAYMENT:
            return "temBAD_SEND_XRP_PARTIAL"
        if xrp_direct and flags & TF_LIMIT_QUALITY:
            return "temBAD_SEND_XRP_LIMIT"
        if xrp_direct and flags & TF_NO_RIPPLE_DIRECT:
            return "temBAD_SEND_XRP_NO_DIRECT"
        if deliver_min is not None:
            if not flags & TF_PARTIAL_PAYMENT:
                return "temBAD_AMOUNT"
            if not _is_legal_amount(deliver_min) or _amount_sign(deliver_min) <= 0:
                return "temBAD_AMOUNT"
            if _asset_of(deliver_min) != _asset_of(amount):
                return "temBAD_AMOUNT"
            if _is_native(amount) and int(deliver_min) > int(amount):
                return "temBAD_AMOUNT"
        return "tesSUCCESS"

    def _preclaim_payment(self, view: _View, parsed: _ParsedTx) -> str:
        tx = parsed.tx_json
        amount = tx["Amount"]
        destination = view.read(str(tx["Destination"]))
        if destination is None:
            if not _is_native(amount):
                return "tecNO_DST"
            if view.is_open and int(tx.get("Flags", 0)) & TF_PARTIAL_PAYMENT:
                return "telNO_DST_PARTIAL"
            if int(amount) < self.reserve_base_drops:
                return "tecNO_DST_INSUF_XRP"
        elif destination.flags & LSF_REQUIRE_DEST_TAG and "DestinationTag" not in tx:
            return "tecDST_TAG_NEEDED"
        return "tesSUCCESS"

    def _apply_payment(self, view: _View, parsed: _ParsedTx, prior_balance: int) -> str:
        tx = parsed.tx_json
        amount = tx["Amount"]
        destination_address = str(tx["Destination"])
        destination = view.read(destination_address)
        if destination is None:
            # A new account's Sequence is the current ledger index (DeletableAccounts).
            destination = AccountRoot(destination_address, 0, sequence=view.seq)
        if not _is_native(amount) or "SendMax" in tx:
            # Issued currencies ripple through trust lines, and there are none: the only outcome
            # RippleCalc can reach is a dry path (DepositAuth refuses it first).
            if destination.flags & LSF_DEPOSIT_AUTH:
                return "tecNO_PERMISSION"
            return "tecPATH_DRY"
        drops = int(amount)
        source = view.read(parsed.account)
        if source is None:
            return "tefINTERNAL"
        reserve = self.reserve_drops(source.owner_count)
        if prior_balance < drops + max(reserve, parsed.fee_drops):
            return "tecUNFUNDED_PAYMENT"
        if destination.flags & LSF_DEPOSIT_AUTH and (
            drops > self.reserve_base_drops or destination.balance_drops > self.reserve_base_drops
        ):
            return "tecNO_PERMISSION"  # DepositPreauth objects are not modelled
        view.write(replace(source, balance_drops=source.balance_drops - drops))
        view.write(
            replace(
                destination,
                balance_drops=destination.balance_drops + drops,
                flags=destination.flags & ~LSF_PASSWORD_SPENT,
            )
        )
        return "tesSUCCESS"

    # -- AccountSet (rippled SetAccount.cpp) ---------------------------------------------------

    @staticmethod
    def _preflight_account_set(parsed: _ParsedTx) -> str:
        tx = parsed.tx_json
        flags = int(tx.get("Flags", 0))
        if flags & _TF_ACCOUNT_SET_MASK:
            return "temINVALID_FLAG"
        set_flag = int(tx.get("SetFlag", 0))
        clear_flag = int(tx.get("ClearFlag", 0))
        if set_flag and set_flag == clear_flag:
            return "temINVALID_FLAG"
        for tf_set, tf_clear, asf in (
            (TF_REQUIRE_AUTH, TF_OPTIONAL_AUTH, ASF_REQUIRE_AUTH),
            (TF_REQUIRE_DEST_TAG, TF_OPTIONAL_DEST_TAG, ASF_REQUIRE_DEST),
            (TF_DISALLOW_XRP, TF_ALLOW_XRP, ASF_DISALLOW_XRP),
        ):
            if (flags & tf_set or set_flag == asf) and (flags & tf_clear or clear_flag == asf):
                return "temINVALID_FLAG"
        rate = tx.get("TransferRate")
        if rate is not None and ((rate and rate < 1_000_000_000) or rate > 2_000_000_000):
            return "temBAD_TRANSFER_RATE"
        tick = tx.get("TickSize")
        if tick is not None and tick and not 3 <= tick <= 15:
            return "temBAD_TICK_SIZE"
        message_key = tx.get("MessageKey")
        if message_key and not _is_public_key(str(message_key)):
            return "telBAD_PUBLIC_KEY"
        domain = tx.get("Domain")
        if domain is not None and len(str(domain)) // 2 > _MAX_DOMAIN_LENGTH:
            return "telBAD_DOMAIN"
        if set_flag == ASF_AUTHORIZED_NFTOKEN_MINTER and "NFTokenMinter" not in tx:
            return "temMALFORMED"
        if clear_flag == ASF_AUTHORIZED_NFTOKEN_MINTER and "NFTokenMinter" in tx:
            return "temMALFORMED"
        return "tesSUCCESS"

    @staticmethod
    def _preclaim_account_set(parsed: _ParsedTx, root: AccountRoot, *, retry: bool) -> str:
        tx = parsed.tx_json
        flags = int(tx.get("Flags", 0))
        set_flag = int(tx.get("SetFlag", 0))
        owns_objects = root.owner_count > 0
        if (
            (flags & TF_REQUIRE_AUTH or set_flag == ASF_REQUIRE_AUTH)
            and not root.flags & LSF_REQUIRE_AUTH
            and owns_objects
        ):
            return "terOWNERS" if retry else "tecOWNERS"
        if set_flag == ASF_ALLOW_TRUSTLINE_CLAWBACK:
            if root.flags & LSF_NO_FREEZE:
                return "tecNO_PERMISSION"
            if owns_objects:
                return "tecOWNERS"
        elif set_flag == ASF_NO_FREEZE and root.flags & LSF_ALLOW_TRUSTLINE_CLAWBACK:
            return "tecNO_PERMISSION"
        return "tesSUCCESS"

    def _apply_account_set(self, view: _View, parsed: _ParsedTx) -> str:
        tx = parsed.tx_json
        root = view.read(parsed.account)
        if root is None:
            return "tefINTERNAL"
        flags_in = root.flags
        flags_out = flags_in
        tx_flags = int(tx.get("Flags", 0))
        set_flag = int(tx.get("SetFlag", 0))
        clear_flag = int(tx.get("ClearFlag", 0))
        signed_with_master = self._signer_address(parsed) == parsed.account

        for tf_set, tf_clear, asf, lsf in (
            (TF_REQUIRE_AUTH, TF_OPTIONAL_AUTH, ASF_REQUIRE_AUTH, LSF_REQUIRE_AUTH),
            (TF_REQUIRE_DEST_TAG, TF_OPTIONAL_DEST_TAG, ASF_REQUIRE_DEST, LSF_REQUIRE_DEST_TAG),
            (TF_DISALLOW_XRP, TF_ALLOW_XRP, ASF_DISALLOW_XRP, LSF_DISALLOW_XRP),
        ):
            if tx_flags & tf_set or set_flag == asf:
                flags_out |= lsf
            if tx_flags & tf_clear or clear_flag == asf:
                flags_out &= ~lsf
        if set_flag == ASF_DISABLE_MASTER and not flags_in & LSF_DISABLE_MASTER:
            if not signed_with_master:
                return "tecNEED_MASTER_KEY"
            if root.regular_key is None:
                return "tecNO_ALTERNATIVE_KEY"  # no regular key, and signer lists are not modelled
            flags_out |= LSF_DISABLE_MASTER
        if clear_flag == ASF_DISABLE_MASTER:
            flags_out &= ~LSF_DISABLE_MASTER
        if set_flag == ASF_DEFAULT_RIPPLE:
            flags_out |= LSF_DEFAULT_RIPPLE
        elif clear_flag == ASF_DEFAULT_RIPPLE:
            flags_out &= ~LSF_DEFAULT_RIPPLE
        if set_flag == ASF_NO_FREEZE:
            if not signed_with_master and not flags_in & LSF_DISABLE_MASTER:
                return "tecNEED_MASTER_KEY"
            flags_out |= LSF_NO_FREEZE
        if set_flag == ASF_GLOBAL_FREEZE:
            flags_out |= LSF_GLOBAL_FREEZE
        if (
            set_flag != ASF_GLOBAL_FREEZE
            and clear_flag == ASF_GLOBAL_FREEZE
            and not flags_out & LSF_NO_FREEZE
        ):
            flags_out &= ~LSF_GLOBAL_FREEZE
        if set_flag == ASF_ACCOUNT_TXN_ID and "AccountTxnID" not in root.optional_fields:
            root = root.with_field("AccountTxnID", _ZERO_HASH)
        if clear_flag == ASF_ACCOUNT_TXN_ID:
            root = root.with_field("AccountTxnID", None)
        if set_flag == ASF_DEPOSIT_AUTH:
            flags_out |= LSF_DEPOSIT_AUTH
        elif clear_flag == ASF_DEPOSIT_AUTH:
            flags_out &= ~LSF_DEPOSIT_AUTH
        for name in ("EmailHash", "WalletLocator"):
            if name in tx:
                value = str(tx[name])
                root = root.with_field(name, None if value.strip("0") == "" else value)
        for name in ("MessageKey", "Domain"):
            if name in tx:
                root = root.with_field(name, str(tx[name]) or None)
        if "TransferRate" in tx:
            rate = int(tx["TransferRate"])
            root = root.with_field("TransferRate", None if rate in (0, 1_000_000_000) else rate)
        if "TickSize" in tx:
            tick = int(tx["TickSize"])
            root = root.with_field("TickSize", None if tick in (0, 15) else tick)
        if set_flag == ASF_AUTHORIZED_NFTOKEN_MINTER:
            root = root.with_field("NFTokenMinter", str(tx["NFTokenMinter"]))
        if clear_flag == ASF_AUTHORIZED_NFTOKEN_MINTER:
            root = root.with_field("NFTokenMinter", None)
        for asf, lsf in _ASF_DISALLOW_INCOMING.items():
            if set_flag == asf:
                flags_out |= lsf
            elif clear_flag == asf:
                flags_out &= ~lsf
        if set_flag == ASF_ALLOW_TRUSTLINE_CLAWBACK:
            flags_out |= LSF_ALLOW_TRUSTLINE_CLAWBACK
        view.write(replace(root, flags=flags_out))
        return "tesSUCCESS"

    # -- SetRegularKey (rippled SetRegularKey.cpp) ---------------------------------------------

    @staticmethod
    def _preflight_set_regular_key(parsed: _ParsedTx) -> str:
        tx = parsed.tx_json
        if int(tx.get("Flags", 0)) & _TF_UNIVERSAL_MASK:
            return "temINVALID_FLAG"
        if tx.get("RegularKey") == parsed.account:
            return "temBAD_REGKEY"
        return "tesSUCCESS"

    def _apply_set_regular_key(self, view: _View, parsed: _ParsedTx) -> str:
        root = view.read(parsed.account)
        if root is None:
            return "tefINTERNAL"
        if self._fee_due(parsed, root) == 0:
            root = replace(root, flags=root.flags | LSF_PASSWORD_SPENT)
        regular_key = parsed.tx_json.get("RegularKey")
        if regular_key is not None:
            root = root.with_field("RegularKey", str(regular_key))
        else:
            if root.flags & LSF_DISABLE_MASTER:
                return "tecNO_ALTERNATIVE_KEY"
            root = root.with_field("RegularKey", None)
        view.write(root)
        return "tesSUCCESS"
