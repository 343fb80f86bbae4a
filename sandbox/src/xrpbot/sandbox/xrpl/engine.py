"""The ledger engine: open ledger, closed/validated history, submission and local transactions.

Every amount is an ``int`` of drops; times are whole seconds since the Ripple Epoch. The rules
and their sources are listed in the package docstring (``xrpbot.sandbox.xrpl``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .codec import eff_close_time, sha512_half
from .constants import (
    CLOSE_TIME_RESOLUTION,
    DEFAULT_BASE_FEE_DROPS,
    DEFAULT_RESERVE_BASE_DROPS,
    DEFAULT_RESERVE_INC_DROPS,
    GENESIS_ADDRESS,
    HASH_ROUTER_HOLD_SECONDS,
    HOLD_LEDGERS,
    INITIAL_XRP_DROPS,
    LEDGER_RETRY_PASSES,
    LEDGER_TOTAL_PASSES,
    RIPPLE_EPOCH_UNIX,
    ZERO_HASH,
    JsonDict,
)
from .errors import RpcError
from .hashing import StateDigest, ledger_hash, transactions_digest
from .objects import (
    AccountRoot,
    ClosedLedger,
    LedgerBuilder,
    LedgerState,
    LedgerTransaction,
    OpenLedger,
    ParsedTx,
    PendingTransaction,
    SubmitResult,
)
from .transactors import pipeline
from .validity import check_signature, local_check_failure, parse_transaction


@dataclass(slots=True)
class _LocalTx:
    tx: ParsedTx
    expire: int


@dataclass(slots=True)
class _RouterEntry:
    seen_at: float
    sig_good: bool = False
    sig_bad: bool = False
    local_good: bool = False
    local_bad: bool = False
    bad: bool = False


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
        self._parsed: dict[str, ParsedTx] = {}
        self._seen: dict[str, tuple[float, ParsedTx]] = {}
        self._router: dict[str, _RouterEntry] = {}
        self._local: dict[str, _LocalTx] = {}
        self._state_digest = StateDigest()

        genesis_root = AccountRoot(GENESIS_ADDRESS, INITIAL_XRP_DROPS, sequence=1)
        genesis = self._make_closed(
            index=1,
            parent_hash=ZERO_HASH,
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
            close_time=eff_close_time(self.now_ripple(), CLOSE_TIME_RESOLUTION, 0),
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
        parsed = parse_transaction(raw)
        self._check_validity(parsed)

        entry = self._router_entry(parsed.hash)
        if entry.bad:
            # rippled NetworkOPs::preProcessTransaction: "cached bad" answers temBAD_SIGNATURE
            # for any transaction that earlier got a tem result (https://github.com/XRPLF/xrpl-dev-portal/issues/1680).
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
            expire = self._open.index + HOLD_LEDGERS
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
        builder = LedgerBuilder(
            seq=self._open.index,
            is_open=False,
            state=dict(parent.accounts),
            transactions=[],
            tx_ids=set(),
            total_coins_drops=parent.total_coins_drops,
        )
        pending = ordered
        certain_retry = True
        for pass_number in range(LEDGER_TOTAL_PASSES):
            changes = 0
            remaining: list[ParsedTx] = []
            for parsed in pending:
                if pass_number == 0 and parsed.hash in builder.tx_ids:
                    continue
                result, applied = pipeline.apply_transaction(
                    self, builder, parsed, retry=certain_retry
                )
                if applied:
                    changes += 1
                elif not result.startswith(("tef", "tem", "tel")):
                    remaining.append(parsed)
            pending = remaining
            if not changes and not certain_retry:
                break
            if not changes or pass_number >= LEDGER_RETRY_PASSES:
                certain_retry = False

        closed = self._make_closed(
            index=builder.seq,
            parent_hash=parent.hash,
            total_coins_drops=builder.total_coins_drops,
            close_time=eff_close_time(self.now_ripple(), CLOSE_TIME_RESOLUTION, parent.close_time),
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
        account_hash = self._state_digest.update(accounts, changed)
        tx_hash = transactions_digest(transactions)
        return ClosedLedger(
            index=index,
            hash=ledger_hash(
                index=index,
                total_coins_drops=total_coins_drops,
                parent_hash=parent_hash,
                transaction_hash=tx_hash,
                account_hash=account_hash,
                parent_close_time=parent_close_time,
                close_time=close_time,
            ),
            parent_hash=parent_hash,
            account_hash=account_hash,
            transaction_hash=tx_hash,
            total_coins_drops=total_coins_drops,
            close_time=close_time,
            parent_close_time=parent_close_time,
            close_time_resolution=CLOSE_TIME_RESOLUTION,
            close_flags=0,
            accounts=accounts,
            transactions=transactions,
        )

    def _store_closed(self, ledger: ClosedLedger) -> None:
        self._ledgers.append(ledger)
        self._ledger_by_hash[ledger.hash] = ledger
        for tx in ledger.transactions:
            self._tx_locations[tx.hash] = (ledger.index, tx.transaction_index)
            for account in tx.affected_accounts:
                self._account_txs.setdefault(account, []).append(
                    (ledger.index, tx.transaction_index)
                )

    def _canonical_order(self, txs: list[ParsedTx]) -> list[ParsedTx]:
        # rippled CanonicalTXSet: (AccountID XOR salt, SeqProxy, txid), salted by the set's hash.
        salt = sha512_half(b"".join(sorted(bytes.fromhex(tx.hash) for tx in txs)))
        salt_int = int.from_bytes(salt, "big")

        def key(tx: ParsedTx) -> tuple[int, int, int, str]:
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

    def _submit_json(self, parsed: ParsedTx) -> JsonDict:
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
            if now - entry.seen_at > HASH_ROUTER_HOLD_SECONDS:
                del self._router[tx_hash]

    def _router_entry(self, tx_hash: str) -> _RouterEntry:
        entry = self._router.get(tx_hash)
        if entry is None:
            entry = _RouterEntry(seen_at=self.now())
            self._router[tx_hash] = entry
        return entry

    # -- internals: parsing and local checks ---------------------------------------------------

    def _check_validity(self, parsed: ParsedTx) -> None:
        """rippled ``checkValidity``: signature, then local checks, with HashRouter caching."""
        entry = self._router_entry(parsed.hash)
        if entry.sig_bad:
            raise RpcError.bare(
                "invalidTransaction",
                error_exception="fails local checks: Transaction has bad signature.",
            )
        if not entry.sig_good:
            reason = check_signature(parsed)
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
            reason = local_check_failure(parsed)
            if reason is not None:
                entry.local_bad = True
                raise RpcError.bare(
                    "invalidTransaction", error_exception=f"fails local checks: {reason}"
                )
            entry.local_good = True

    # -- internals: applying transactions ------------------------------------------------------

    def _open_builder(self) -> LedgerBuilder:
        return LedgerBuilder(
            seq=self._open.index,
            is_open=True,
            state=self._open.accounts,
            transactions=self._open.transactions,
            tx_ids=self._open.transaction_ids,
            total_coins_drops=self._open.total_coins_drops,
        )

    def _apply_open(self, parsed: ParsedTx, *, fail_hard: bool) -> tuple[str, bool]:
        """Apply to the open ledger the way rippled's TxQ::apply does when nothing is queued."""
        preflight = pipeline.preflight(self, parsed)
        if preflight != "tesSUCCESS":
            return preflight, False
        root = self._open.accounts.get(parsed.account)
        if root is not None and (parsed.is_ticket or parsed.sequence == root.sequence):
            builder = self._open_builder()
            result, applied = pipeline.apply_transaction(
                self, builder, parsed, retry=False, fail_hard=fail_hard
            )
            self._open.total_coins_drops = builder.total_coins_drops
            if applied:  # close_ledger replays the open ledger's transactions from these
                self._parsed[parsed.hash] = parsed
            return result, applied
        if root is None:
            return "terNO_ACCOUNT", False
        if parsed.sequence < root.sequence:
            return "tefPAST_SEQ", False
        return "terPRE_SEQ", False
