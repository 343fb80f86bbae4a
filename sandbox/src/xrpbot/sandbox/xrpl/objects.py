"""Ledger objects and versions, submit results, and the working structures a ledger is built with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from xrpl.core.binarycodec.definitions import get_transaction_result_code

from .codec import account_root_index
from .constants import ZERO_HASH, JsonDict
from .errors import transaction_result_message


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
    previous_txn_id: str = ZERO_HASH
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
class ParsedTx:
    """A submitted transaction decoded from its blob, with the fields the engine reads."""

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
        """True when it uses a Ticket instead of a Sequence."""
        return self.sequence == 0 and self.ticket_sequence is not None

    @property
    def seq_value(self) -> int:
        """Its Sequence, or its TicketSequence when it uses a Ticket (SeqProxy)."""
        if self.is_ticket and self.ticket_sequence is not None:
            return self.ticket_sequence
        return self.sequence

    @property
    def last_ledger_sequence(self) -> int | None:
        """Its LastLedgerSequence, if set."""
        value = self.tx_json.get("LastLedgerSequence")
        return int(value) if value is not None else None

    @property
    def fee_drops(self) -> int:
        """Its Fee, in drops."""
        return int(self.tx_json["Fee"])

    @property
    def signer_count(self) -> int:
        """How many multi-signatures it carries (0 when single-signed)."""
        signers = self.tx_json.get("Signers")
        return len(signers) if isinstance(signers, list) else 0


class ApplyView:
    """A writable overlay over a ledger's account map (rippled's ApplyView) for one transaction."""

    def __init__(self, base: Mapping[str, AccountRoot], *, seq: int, is_open: bool) -> None:
        self.base = base
        self.seq = seq
        self.is_open = is_open
        self.changes: dict[str, AccountRoot] = {}

    def read(self, address: str) -> AccountRoot | None:
        """The account's entry as this transaction sees it, or None."""
        root = self.changes.get(address)
        return root if root is not None else self.base.get(address)

    def write(self, root: AccountRoot) -> None:
        """Change an entry (kept in `changes` until committed)."""
        self.changes[root.account] = root


@dataclass(slots=True)
class LedgerBuilder:
    """A ledger being built: the open ledger, or the next closed one during a close."""

    seq: int
    is_open: bool
    state: dict[str, AccountRoot]
    transactions: list[LedgerTransaction]
    tx_ids: set[str]
    total_coins_drops: int
    changed: set[str] = field(default_factory=set)
