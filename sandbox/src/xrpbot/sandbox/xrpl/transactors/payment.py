"""The Payment transactor for XRP (rippled ``Payment.cpp``; https://xrpl.org/docs/references/protocol/transactions/types/payment)."""

from __future__ import annotations

from dataclasses import replace

from ..codec import amount_sign, asset_of, is_legal_amount, is_native
from ..constants import (
    LSF_DEPOSIT_AUTH,
    LSF_PASSWORD_SPENT,
    LSF_REQUIRE_DEST_TAG,
    TF_LIMIT_QUALITY,
    TF_NO_RIPPLE_DIRECT,
    TF_PARTIAL_PAYMENT,
    TF_PAYMENT_MASK,
)
from ..objects import AccountRoot, ApplyView, ParsedTx
from .common import LedgerRules


def preflight(parsed: ParsedTx) -> str:
    """Payment's preflight: amounts, currencies, flags and paths for XRP-to-XRP."""
    tx = parsed.tx_json
    flags = int(tx.get("Flags", 0))
    amount = tx["Amount"]
    send_max = tx.get("SendMax")
    deliver_min = tx.get("DeliverMin")
    if isinstance(amount, dict) and "mpt_issuance_id" in amount:
        return "temDISABLED"  # MPTokens are not modelled
    if flags & TF_PAYMENT_MASK:
        return "temINVALID_FLAG"
    max_amount = send_max if send_max is not None else amount
    if not is_legal_amount(amount) or not is_legal_amount(max_amount):
        return "temBAD_AMOUNT"
    if send_max is not None and amount_sign(max_amount) <= 0:
        return "temBAD_AMOUNT"
    if amount_sign(amount) <= 0:
        return "temBAD_AMOUNT"
    src_asset, _ = asset_of(max_amount)
    dst_asset, _ = asset_of(amount)
    if (isinstance(amount, dict) and dst_asset == "XRP") or (
        isinstance(max_amount, dict) and src_asset == "XRP"
    ):
        return "temBAD_CURRENCY"
    has_paths = "Paths" in tx
    if tx["Destination"] == parsed.account and src_asset == dst_asset and not has_paths:
        return "temREDUNDANT"
    xrp_direct = is_native(max_amount) and is_native(amount)
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
        if not is_legal_amount(deliver_min) or amount_sign(deliver_min) <= 0:
            return "temBAD_AMOUNT"
        if asset_of(deliver_min) != asset_of(amount):
            return "temBAD_AMOUNT"
        if is_native(amount) and int(deliver_min) > int(amount):
            return "temBAD_AMOUNT"
    return "tesSUCCESS"


def preclaim(rules: LedgerRules, view: ApplyView, parsed: ParsedTx) -> str:
    """Payment's preclaim: the destination exists or the amount can create it; destination tag."""
    tx = parsed.tx_json
    amount = tx["Amount"]
    destination = view.read(str(tx["Destination"]))
    if destination is None:
        if not is_native(amount):
            return "tecNO_DST"
        if view.is_open and int(tx.get("Flags", 0)) & TF_PARTIAL_PAYMENT:
            return "telNO_DST_PARTIAL"
        if int(amount) < rules.reserve_base_drops:
            return "tecNO_DST_INSUF_XRP"
    elif destination.flags & LSF_REQUIRE_DEST_TAG and "DestinationTag" not in tx:
        return "tecDST_TAG_NEEDED"
    return "tesSUCCESS"


def apply(rules: LedgerRules, view: ApplyView, parsed: ParsedTx, prior_balance: int) -> str:
    """Payment's doApply for XRP: move `Amount` drops if the sender keeps its reserve; the result code."""
    tx = parsed.tx_json
    amount = tx["Amount"]
    destination_address = str(tx["Destination"])
    destination = view.read(destination_address)
    if destination is None:
        # A new account's Sequence is the current ledger index (DeletableAccounts).
        destination = AccountRoot(destination_address, 0, sequence=view.seq)
    if not is_native(amount) or "SendMax" in tx:
        # Issued currencies ripple through trust lines, and there are none: the only outcome
        # RippleCalc can reach is a dry path (DepositAuth refuses it first).
        if destination.flags & LSF_DEPOSIT_AUTH:
            return "tecNO_PERMISSION"
        return "tecPATH_DRY"
    drops = int(amount)
    source = view.read(parsed.account)
    if source is None:
        return "tefINTERNAL"
    reserve = rules.reserve_drops(source.owner_count)
    if prior_balance < drops + max(reserve, parsed.fee_drops):
        return "tecUNFUNDED_PAYMENT"
    if destination.flags & LSF_DEPOSIT_AUTH and (
        drops > rules.reserve_base_drops or destination.balance_drops > rules.reserve_base_drops
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
