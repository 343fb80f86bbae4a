"""The stand-alone ledger's constants: genesis, reserves, flags, limits (amounts in drops)."""

from __future__ import annotations

from typing import Any, Final

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

ZERO_HASH: Final = "0" * 64
MAX_NATIVE_DROPS: Final = INITIAL_XRP_DROPS  # STAmount::cMaxNativeN
CLOSE_TIME_RESOLUTION: Final = 10  # ledgerGenesisTimeResolution; stays at 10 s when closes agree
HOLD_LEDGERS: Final = 5  # LocalTxs::holdLedgers
LEDGER_TOTAL_PASSES: Final = 3  # BuildLedger.cpp
LEDGER_RETRY_PASSES: Final = 1
HASH_ROUTER_HOLD_SECONDS: Final = 300.0  # HashRouter's default hold time
MAX_DOMAIN_LENGTH: Final = 256
MEMO_MAX_BYTES: Final = 1024

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
ASF_DISALLOW_INCOMING: Final = {
    12: LSF_DISALLOW_INCOMING_NFTOKEN_OFFER,
    13: LSF_DISALLOW_INCOMING_CHECK,
    14: LSF_DISALLOW_INCOMING_PAYCHAN,
    15: LSF_DISALLOW_INCOMING_TRUSTLINE,
}
TF_UNIVERSAL: Final = 0x80000000 | 0x40000000  # tfFullyCanonicalSig | tfInnerBatchTxn
TF_REQUIRE_DEST_TAG: Final = 0x00010000
TF_OPTIONAL_DEST_TAG: Final = 0x00020000
TF_REQUIRE_AUTH: Final = 0x00040000
TF_OPTIONAL_AUTH: Final = 0x00080000
TF_DISALLOW_XRP: Final = 0x00100000
TF_ALLOW_XRP: Final = 0x00200000
TF_ACCOUNT_SET_MASK: Final = ~(
    TF_UNIVERSAL
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
TF_PAYMENT_MASK: Final = ~(
    TF_UNIVERSAL | TF_NO_RIPPLE_DIRECT | TF_PARTIAL_PAYMENT | TF_LIMIT_QUALITY
)
TF_UNIVERSAL_MASK: Final = ~TF_UNIVERSAL

PSEUDO_TRANSACTION_TYPES: Final = frozenset({"EnableAmendment", "SetFee", "UNLModify"})
SUPPORTED_TRANSACTION_TYPES: Final = frozenset({"Payment", "AccountSet", "SetRegularKey"})
# Fields of AccountRoot that are optional and kept in AccountRoot.optional_fields.
ACCOUNT_OPTIONAL_FIELDS: Final = (
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
ACCOUNT_ID_FIELDS: Final = ("Account", "NFTokenMinter", "RegularKey")
