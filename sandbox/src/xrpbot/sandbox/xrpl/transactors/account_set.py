"""The AccountSet transactor (rippled ``SetAccount.cpp``; https://xrpl.org/docs/references/protocol/transactions/types/accountset)."""

from __future__ import annotations

from dataclasses import replace

from ..codec import is_public_key
from ..constants import (
    ASF_ACCOUNT_TXN_ID,
    ASF_ALLOW_TRUSTLINE_CLAWBACK,
    ASF_AUTHORIZED_NFTOKEN_MINTER,
    ASF_DEFAULT_RIPPLE,
    ASF_DEPOSIT_AUTH,
    ASF_DISABLE_MASTER,
    ASF_DISALLOW_INCOMING,
    ASF_DISALLOW_XRP,
    ASF_GLOBAL_FREEZE,
    ASF_NO_FREEZE,
    ASF_REQUIRE_AUTH,
    ASF_REQUIRE_DEST,
    LSF_ALLOW_TRUSTLINE_CLAWBACK,
    LSF_DEFAULT_RIPPLE,
    LSF_DEPOSIT_AUTH,
    LSF_DISABLE_MASTER,
    LSF_DISALLOW_XRP,
    LSF_GLOBAL_FREEZE,
    LSF_NO_FREEZE,
    LSF_REQUIRE_AUTH,
    LSF_REQUIRE_DEST_TAG,
    MAX_DOMAIN_LENGTH,
    TF_ACCOUNT_SET_MASK,
    TF_ALLOW_XRP,
    TF_DISALLOW_XRP,
    TF_OPTIONAL_AUTH,
    TF_OPTIONAL_DEST_TAG,
    TF_REQUIRE_AUTH,
    TF_REQUIRE_DEST_TAG,
    ZERO_HASH,
)
from ..objects import AccountRoot, ApplyView, ParsedTx
from .common import signer_address


def preflight(parsed: ParsedTx) -> str:
    """AccountSet's preflight: flag combinations, TransferRate, TickSize, MessageKey, Domain."""
    tx = parsed.tx_json
    flags = int(tx.get("Flags", 0))
    if flags & TF_ACCOUNT_SET_MASK:
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
    if message_key and not is_public_key(str(message_key)):
        return "telBAD_PUBLIC_KEY"
    domain = tx.get("Domain")
    if domain is not None and len(str(domain)) // 2 > MAX_DOMAIN_LENGTH:
        return "telBAD_DOMAIN"
    if set_flag == ASF_AUTHORIZED_NFTOKEN_MINTER and "NFTokenMinter" not in tx:
        return "temMALFORMED"
    if clear_flag == ASF_AUTHORIZED_NFTOKEN_MINTER and "NFTokenMinter" in tx:
        return "temMALFORMED"
    return "tesSUCCESS"


def preclaim(parsed: ParsedTx, root: AccountRoot, *, retry: bool) -> str:
    """AccountSet's preclaim: flags that need the account to own no objects, clawback vs NoFreeze."""
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


def apply(view: ApplyView, parsed: ParsedTx) -> str:
    """AccountSet's doApply: set and clear account flags and fields; the result code."""
    tx = parsed.tx_json
    root = view.read(parsed.account)
    if root is None:
        return "tefINTERNAL"
    flags_in = root.flags
    flags_out = flags_in
    tx_flags = int(tx.get("Flags", 0))
    set_flag = int(tx.get("SetFlag", 0))
    clear_flag = int(tx.get("ClearFlag", 0))
    signed_with_master = signer_address(parsed) == parsed.account

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
        root = root.with_field("AccountTxnID", ZERO_HASH)
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
    for asf, lsf in ASF_DISALLOW_INCOMING.items():
        if set_flag == asf:
            flags_out |= lsf
        elif clear_flag == asf:
            flags_out &= ~lsf
    if set_flag == ASF_ALLOW_TRUSTLINE_CLAWBACK:
        flags_out |= LSF_ALLOW_TRUSTLINE_CLAWBACK
    view.write(replace(root, flags=flags_out))
    return "tesSUCCESS"
