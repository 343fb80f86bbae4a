"""rippled's transactor pipeline for one transaction: preflight, preclaim, doApply, metadata."""

from __future__ import annotations

from dataclasses import replace

from ..codec import is_legal_amount, is_native, is_public_key
from ..constants import (
    ACCOUNT_ID_FIELDS,
    LSF_DISABLE_MASTER,
    SUPPORTED_TRANSACTION_TYPES,
    JsonDict,
)
from ..objects import AccountRoot, ApplyView, LedgerBuilder, LedgerTransaction, ParsedTx
from . import account_set, payment, set_regular_key
from .common import LedgerRules, fee_due, signer_address


def apply_transaction(
    rules: LedgerRules,
    builder: LedgerBuilder,
    parsed: ParsedTx,
    *,
    retry: bool,
    fail_hard: bool = False,
) -> tuple[str, bool]:
    """preflight + preclaim + doApply of one transaction into ``builder`` (rippled ``apply``)."""
    result = preflight(rules, parsed)
    if result != "tesSUCCESS":
        return result, False
    view = ApplyView(builder.state, seq=builder.seq, is_open=builder.is_open)
    result = preclaim(rules, view, parsed, builder.tx_ids, retry=retry)
    if result != "tesSUCCESS" and not result.startswith("tec"):
        return result, False
    fee_paid = 0
    if result == "tesSUCCESS":
        result, fee_paid = transactor_apply(rules, view, parsed)
    if result.startswith("tec"):
        if retry or fail_hard:
            return result, False
        view = ApplyView(builder.state, seq=builder.seq, is_open=builder.is_open)
        fee_paid = claim_fee(view, parsed)
    elif result != "tesSUCCESS":
        return result, False
    commit(builder, view, parsed, result, fee_paid)
    return result, True


def preflight(rules: LedgerRules, parsed: ParsedTx) -> str:
    """Checks that need no ledger (Transactor::preflight), then the type's; the result code."""
    tx = parsed.tx_json
    if parsed.transaction_type not in SUPPORTED_TRANSACTION_TYPES:
        # Documented choice: other ledger objects are not modelled, so their transaction types
        # answer as on a server whose amendments for them are disabled (Transactor preflight).
        return "temDISABLED"
    node_network = rules.network_id or 0
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
    if not is_native(fee) or not is_legal_amount(fee) or int(str(fee)) < 0:
        return "temBAD_FEE"
    if parsed.signing_pub_key and not is_public_key(parsed.signing_pub_key):
        return "temBAD_SIGNATURE"
    if parsed.is_ticket and "AccountTxnID" in tx:
        return "temINVALID"
    if parsed.transaction_type == "Payment":
        return payment.preflight(parsed)
    if parsed.transaction_type == "AccountSet":
        return account_set.preflight(parsed)
    return set_regular_key.preflight(parsed)


def preclaim(
    rules: LedgerRules, view: ApplyView, parsed: ParsedTx, tx_ids: set[str], *, retry: bool
) -> str:
    """Checks against the ledger: sequence, prior transaction, LastLedgerSequence, fee, signature, then the type's."""
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
    if view.is_open and fee < fee_due(rules, parsed, root):
        return "telINSUF_FEE_P"
    if fee > 0 and root.balance_drops < fee:
        if root.balance_drops > 0 and not view.is_open:
            return "tecINSUFF_FEE"
        return "terINSUF_FEE_B"
    # checkSign
    result = check_authorization(parsed, root)
    if result != "tesSUCCESS":
        return result
    if parsed.transaction_type == "Payment":
        return payment.preclaim(rules, view, parsed)
    if parsed.transaction_type == "AccountSet":
        return account_set.preclaim(parsed, root, retry=retry)
    return "tesSUCCESS"


def check_authorization(parsed: ParsedTx, root: AccountRoot) -> str:
    """rippled ``Transactor::checkSign`` (with fixMasterKeyAsRegularKey)."""
    if not parsed.signing_pub_key:
        return "tefNOT_MULTI_SIGNING"  # signer lists are not modelled: no account has one
    signer = signer_address(parsed)
    if signer is None:
        return "tefBAD_AUTH"
    if root.regular_key == signer:
        return "tesSUCCESS"
    if signer == parsed.account:
        return "tefMASTER_DISABLED" if root.flags & LSF_DISABLE_MASTER else "tesSUCCESS"
    return "tefBAD_AUTH"


def transactor_apply(rules: LedgerRules, view: ApplyView, parsed: ParsedTx) -> tuple[str, int]:
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
        return payment.apply(rules, view, parsed, prior_balance), fee
    if parsed.transaction_type == "AccountSet":
        return account_set.apply(view, parsed), fee
    return set_regular_key.apply(rules, view, parsed), fee


def claim_fee(view: ApplyView, parsed: ParsedTx) -> int:
    """Transactor::reset: discard the transaction's effects, charge the fee, consume the sequence."""
    root = view.read(parsed.account)
    if root is None:
        return 0
    fee = min(parsed.fee_drops, root.balance_drops)
    view.write(replace(root, balance_drops=root.balance_drops - fee, sequence=parsed.sequence + 1))
    return fee


def commit(
    builder: LedgerBuilder, view: ApplyView, parsed: ParsedTx, result: str, fee_paid: int
) -> None:
    """Record an applied transaction in `builder`: thread the entries, build its metadata, burn the fee."""
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
        affected.update(str(fields[k]) for k in ACCOUNT_ID_FIELDS if k in fields)
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
