"""The SetRegularKey transactor (rippled ``SetRegularKey.cpp``; https://xrpl.org/docs/references/protocol/transactions/types/setregularkey)."""

from __future__ import annotations

from dataclasses import replace

from ..constants import LSF_DISABLE_MASTER, LSF_PASSWORD_SPENT, TF_UNIVERSAL_MASK
from ..objects import ApplyView, ParsedTx
from .common import LedgerRules, fee_due


def preflight(parsed: ParsedTx) -> str:
    """SetRegularKey's preflight: no flags but universal ones, and not the master key itself."""
    tx = parsed.tx_json
    if int(tx.get("Flags", 0)) & TF_UNIVERSAL_MASK:
        return "temINVALID_FLAG"
    if tx.get("RegularKey") == parsed.account:
        return "temBAD_REGKEY"
    return "tesSUCCESS"


def apply(rules: LedgerRules, view: ApplyView, parsed: ParsedTx) -> str:
    """SetRegularKey's doApply: set or remove the regular key (the free key reset spends the password)."""
    root = view.read(parsed.account)
    if root is None:
        return "tefINTERNAL"
    if fee_due(rules, parsed, root) == 0:
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
