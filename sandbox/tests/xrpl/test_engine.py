"""Tests of the in-memory ledger engine: transaction rules, result codes, ledger lifecycle.

Every transaction here is really signed (xrpl-py) and goes through ``LedgerEngine.submit`` as a
blob, the way ``submit`` receives it.
"""

from __future__ import annotations

from typing import Any

import pytest
from xrpl.core import keypairs
from xrpl.core.binarycodec import encode, encode_for_signing
from xrpl.models.amounts import IssuedCurrencyAmount
from xrpl.models.transactions import (
    AccountSet,
    AccountSetAsfFlag,
    Payment,
    SetRegularKey,
    TrustSet,
)
from xrpl.models.transactions.transaction import Transaction
from xrpl.transaction import multisign, sign
from xrpl.wallet import Wallet

from xrpbot.sandbox.xrpl.codec import account_root_index, decode_ctid, encode_ctid
from xrpbot.sandbox.xrpl.constants import (
    DEFAULT_RESERVE_BASE_DROPS,
    GENESIS_ADDRESS,
    INITIAL_XRP_DROPS,
)
from xrpbot.sandbox.xrpl.engine import LedgerEngine
from xrpbot.sandbox.xrpl.errors import RpcError
from xrpbot.sandbox.xrpl.objects import ClosedLedger, SubmitResult

XRP = 1_000_000  # drops
FEE = 10


def blob_of(tx: Transaction, wallet: Wallet) -> str:
    return encode(sign(tx, wallet).to_xrpl())


def raw_blob(
    fields: dict[str, Any], wallet: Wallet, *, patch: tuple[str, str] | None = None
) -> str:
    """Sign a raw transaction dict; ``patch`` rewrites serialized bytes before signing (for
    values xrpl-py refuses to encode, such as negative amounts), so the signature stays valid."""
    tx = {**fields, "SigningPubKey": wallet.public_key}
    signing = encode_for_signing(tx)
    if patch is not None:
        assert signing.count(patch[0]) == 1
        signing = signing.replace(*patch)
    signature = keypairs.sign(bytes.fromhex(signing), wallet.private_key)
    blob = encode({**tx, "TxnSignature": signature})
    return blob.replace(*patch) if patch is not None else blob


def pay(
    engine: LedgerEngine,
    sender: Wallet,
    destination: str,
    drops: int,
    *,
    sequence: int | None = None,
    fee: int = FEE,
    **extra: Any,
) -> SubmitResult:
    root = engine.open_ledger.accounts.get(sender.address)
    seq = sequence if sequence is not None else (root.sequence if root else 1)
    tx = Payment(
        account=sender.address,
        destination=destination,
        amount=str(drops),
        sequence=seq,
        fee=str(fee),
        **extra,
    )
    return engine.submit(blob_of(tx, sender))


def funded(engine: LedgerEngine, genesis: Wallet, drops: int = 100 * XRP) -> Wallet:
    wallet = Wallet.create()
    assert pay(engine, genesis, wallet.address, drops).engine_result == "tesSUCCESS"
    engine.close_ledger()
    return wallet


def balance(engine: LedgerEngine, address: str) -> int:
    return engine.validated_ledger.accounts[address].balance_drops


# --- genesis ------------------------------------------------------------------------------------


def test_starts_like_a_new_genesis_ledger(engine: LedgerEngine) -> None:
    assert engine.first_ledger_index == 1
    assert engine.validated_ledger.index == 2
    assert engine.open_ledger.index == 3
    root = engine.validated_ledger.accounts[GENESIS_ADDRESS]
    assert root.balance_drops == INITIAL_XRP_DROPS == 100_000_000_000 * XRP
    assert root.sequence == 1
    assert engine.reserve_drops(0) == 1 * XRP
    assert engine.reserve_drops(1) == 1 * XRP + 200_000
    assert engine.base_fee_drops == 10
    assert engine.validated_ledger.total_coins_drops == INITIAL_XRP_DROPS


def test_genesis_address_comes_from_masterpassphrase(genesis: Wallet) -> None:
    assert genesis.address == GENESIS_ADDRESS


def test_account_root_index_matches_xrpl_org_example() -> None:
    # https://xrpl.org/docs/references/protocol/ledger-data/ledger-entry-types/accountroot
    assert (
        account_root_index("rf1BiGeXwwQoi8Z2ueFYTEXSwuJYfV2Jpn")
        == "13F1A95D7AAB7108D5CE7EEAF504B2894B8C674E6D68499076441C4837282BF8"
    )


def test_ctid_round_trip_matches_xrpl_org_example() -> None:
    # tx.md: ledger 56865245, index 0, network 0 -> C363B1DD00000000
    assert encode_ctid(56865245, 0, 0) == "C363B1DD00000000"
    assert decode_ctid("C363B1DD00000000") == (56865245, 0, 0)
    assert decode_ctid("nonsense") is None


# --- payments and result codes --------------------------------------------------------------------


def test_payment_creates_account_with_ledger_index_as_sequence(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = Wallet.create()
    result = pay(engine, genesis, wallet.address, 25 * XRP)

    assert result.engine_result == "tesSUCCESS"
    assert result.engine_result_code == 0
    assert (result.applied, result.broadcast, result.kept, result.queued) == (
        True,
        True,
        True,
        False,
    )
    assert result.accepted
    assert result.ledger_state is not None
    assert result.ledger_state.account_sequence_next == 2
    assert result.ledger_state.validated_ledger_index == 2
    closed = engine.close_ledger()

    created = closed.accounts[wallet.address]
    assert created.sequence == closed.index == 3
    assert created.balance_drops == 25 * XRP
    assert balance(engine, GENESIS_ADDRESS) == INITIAL_XRP_DROPS - 25 * XRP - FEE
    assert closed.total_coins_drops == INITIAL_XRP_DROPS - FEE  # the fee is destroyed
    (tx,) = closed.transactions
    assert tx.hash == result.tx_json["hash"]
    nodes = tx.meta["AffectedNodes"]
    kinds = {next(iter(node)): node for node in nodes}
    assert kinds["CreatedNode"]["CreatedNode"]["NewFields"] == {
        "Account": wallet.address,
        "Balance": str(25 * XRP),
        "Sequence": 3,
    }
    modified = kinds["ModifiedNode"]["ModifiedNode"]
    assert modified["PreviousFields"] == {"Balance": str(INITIAL_XRP_DROPS), "Sequence": 1}
    assert modified["FinalFields"]["Sequence"] == 2
    assert [next(iter(n.values()))["LedgerIndex"] for n in nodes] == sorted(
        next(iter(n.values()))["LedgerIndex"] for n in nodes
    )
    assert tx.meta["TransactionIndex"] == 0
    assert tx.meta["TransactionResult"] == "tesSUCCESS"
    assert tx.affected_accounts == {GENESIS_ADDRESS, wallet.address}


def test_payment_to_existing_account_threads_previous_txn(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = funded(engine, genesis)
    first_txn = engine.validated_ledger.accounts[wallet.address].previous_txn_id
    result = pay(engine, genesis, wallet.address, 5 * XRP)
    closed = engine.close_ledger()

    assert result.engine_result == "tesSUCCESS"
    root = closed.accounts[wallet.address]
    assert root.balance_drops == 105 * XRP
    assert root.previous_txn_id == result.tx_json["hash"]
    assert root.previous_txn_lgr_seq == closed.index
    (tx,) = closed.transactions
    node = next(
        n["ModifiedNode"]
        for n in tx.meta["AffectedNodes"]
        if n["ModifiedNode"]["FinalFields"]["Account"] == wallet.address
    )
    assert node["PreviousTxnID"] == first_txn
    assert node["PreviousFields"] == {"Balance": str(100 * XRP)}


def test_unfunded_payment_claims_fee_and_consumes_sequence(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = funded(engine, genesis, 10 * XRP)
    # Payment.cpp: the balance before the fee must cover amount + max(reserve, fee).
    result = pay(engine, wallet, genesis.address, 9 * XRP + 1)
    closed = engine.close_ledger()

    assert result.engine_result == "tecUNFUNDED_PAYMENT"
    assert result.engine_result_code == 104
    assert result.engine_result_message == "Insufficient XRP balance to send."
    assert result.applied
    assert result.broadcast
    root = closed.accounts[wallet.address]
    assert root.balance_drops == 10 * XRP - FEE
    assert root.sequence == 4
    assert [tx.result for tx in closed.transactions] == ["tecUNFUNDED_PAYMENT"]


def test_payment_may_use_the_reserve_for_the_fee_only(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = funded(engine, genesis, 10 * XRP)
    result = pay(engine, wallet, genesis.address, 9 * XRP)

    assert result.engine_result == "tesSUCCESS"
    assert engine.open_ledger.accounts[wallet.address].balance_drops == 1 * XRP - FEE


def test_too_little_xrp_to_create_destination(engine: LedgerEngine, genesis: Wallet) -> None:
    result = pay(engine, genesis, Wallet.create().address, DEFAULT_RESERVE_BASE_DROPS - 1)

    assert result.engine_result == "tecNO_DST_INSUF_XRP"
    assert result.engine_result_code == 125
    assert engine.open_ledger.accounts[GENESIS_ADDRESS].sequence == 2  # consumed


def test_destination_tag_required_after_asf_require_dest(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = funded(engine, genesis)
    set_flag = AccountSet(
        account=wallet.address, set_flag=AccountSetAsfFlag.ASF_REQUIRE_DEST, sequence=3, fee="10"
    )
    assert engine.submit(blob_of(set_flag, wallet)).engine_result == "tesSUCCESS"
    engine.close_ledger()
    assert engine.validated_ledger.accounts[wallet.address].flags & 0x00020000

    without_tag = pay(engine, genesis, wallet.address, XRP)
    with_tag = pay(engine, genesis, wallet.address, XRP, destination_tag=7)

    assert without_tag.engine_result == "tecDST_TAG_NEEDED"
    assert with_tag.engine_result == "tesSUCCESS"


def test_disallow_xrp_is_advisory_and_not_enforced(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)
    set_flag = AccountSet(
        account=wallet.address, set_flag=AccountSetAsfFlag.ASF_DISALLOW_XRP, sequence=3, fee="10"
    )
    assert engine.submit(blob_of(set_flag, wallet)).engine_result == "tesSUCCESS"
    engine.close_ledger()
    assert engine.validated_ledger.accounts[wallet.address].flags & 0x00080000

    assert pay(engine, genesis, wallet.address, XRP).engine_result == "tesSUCCESS"


def test_clear_flag_removes_require_dest(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)
    flag = AccountSetAsfFlag.ASF_REQUIRE_DEST
    set_it = AccountSet(account=wallet.address, set_flag=flag, sequence=3, fee="10")
    clear_it = AccountSet(account=wallet.address, clear_flag=flag, sequence=4, fee="10")
    for tx in (set_it, clear_it):
        assert engine.submit(blob_of(tx, wallet)).engine_result == "tesSUCCESS"
    assert not engine.open_ledger.accounts[wallet.address].flags & 0x00020000


def test_set_and_clear_same_flag_is_malformed(engine: LedgerEngine, genesis: Wallet) -> None:
    fields = {
        "TransactionType": "AccountSet",
        "Account": genesis.address,
        "SetFlag": 1,
        "ClearFlag": 1,
        "Fee": "10",
        "Sequence": 1,
    }
    assert engine.submit(raw_blob(fields, genesis)).engine_result == "temINVALID_FLAG"


def test_past_sequence(engine: LedgerEngine, genesis: Wallet) -> None:
    pay(engine, genesis, Wallet.create().address, 20 * XRP)
    result = pay(engine, genesis, Wallet.create().address, 20 * XRP, sequence=1)

    assert result.engine_result == "tefPAST_SEQ"
    assert not result.applied
    assert len(engine.open_ledger.transactions) == 1


def test_future_sequence_is_held_then_applied_when_the_gap_fills(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    later = pay(engine, genesis, Wallet.create().address, 20 * XRP, sequence=2)
    assert later.engine_result == "terPRE_SEQ"
    assert (later.applied, later.kept, later.accepted) == (False, True, True)
    assert engine.open_ledger.transactions == []

    first = pay(engine, genesis, Wallet.create().address, 20 * XRP, sequence=1)
    closed = engine.close_ledger()

    assert first.engine_result == "tesSUCCESS"
    assert {tx.hash for tx in closed.transactions} == {
        first.tx_json["hash"],
        later.tx_json["hash"],
    }
    assert closed.accounts[GENESIS_ADDRESS].sequence == 3


def test_held_transaction_is_retried_at_each_close(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)  # its Sequence is 3
    held = pay(engine, wallet, genesis.address, XRP, sequence=4)
    assert held.engine_result == "terPRE_SEQ"
    engine.close_ledger()
    engine.close_ledger()
    assert engine.find_transaction(held.tx_json["hash"]) is None

    # The gap is filled by a transaction another server would have relayed: the held one
    # follows it into the same ledger.
    filler = pay(engine, wallet, genesis.address, XRP, sequence=3)
    closed = engine.close_ledger()

    assert filler.engine_result == "tesSUCCESS"
    assert engine.find_transaction(held.tx_json["hash"]) is not None
    assert closed.accounts[wallet.address].sequence == 5


def test_held_transaction_expires_at_last_ledger_sequence(genesis: Wallet) -> None:
    engine = LedgerEngine(tx_cache_seconds=0)
    last_ledger = engine.open_ledger.index + 1
    expiring = pay(
        engine,
        genesis,
        Wallet.create().address,
        20 * XRP,
        sequence=2,
        last_ledger_sequence=last_ledger,
    )
    assert expiring.engine_result == "terPRE_SEQ"
    engine.close_ledger()
    assert engine.close_ledger().index == last_ledger  # the gap is still open
    filler = pay(engine, genesis, Wallet.create().address, 20 * XRP, sequence=1)
    closed = engine.close_ledger()

    assert filler.engine_result == "tesSUCCESS"
    assert [tx.hash for tx in closed.transactions] == [filler.tx_json["hash"]]
    assert closed.accounts[GENESIS_ADDRESS].sequence == 2
    assert engine.find_transaction(expiring.tx_json["hash"]) is None
    assert engine.pending_transaction(expiring.tx_json["hash"]) is None


def test_unvalidated_transaction_stays_visible_from_the_cache(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    held = pay(engine, genesis, Wallet.create().address, 20 * XRP, sequence=5)
    engine.close_ledger()

    pending = engine.pending_transaction(held.tx_json["hash"])
    assert pending is not None
    assert pending.tx_json["Sequence"] == 5
    assert engine.find_transaction(held.tx_json["hash"]) is None


def test_last_ledger_sequence_already_passed(engine: LedgerEngine, genesis: Wallet) -> None:
    result = pay(
        engine,
        genesis,
        Wallet.create().address,
        20 * XRP,
        last_ledger_sequence=engine.open_ledger.index - 1,
    )
    assert result.engine_result == "tefMAX_LEDGER"
    assert not result.applied


def test_last_ledger_sequence_equal_to_current_is_fine(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    result = pay(
        engine,
        genesis,
        Wallet.create().address,
        20 * XRP,
        last_ledger_sequence=engine.open_ledger.index,
    )
    closed = engine.close_ledger()
    assert result.engine_result == "tesSUCCESS"
    assert [tx.hash for tx in closed.transactions] == [result.tx_json["hash"]]


def test_zero_amount_is_malformed(engine: LedgerEngine, genesis: Wallet) -> None:
    assert pay(engine, genesis, Wallet.create().address, 0).engine_result == "temBAD_AMOUNT"


def test_negative_amount_is_malformed(engine: LedgerEngine, genesis: Wallet) -> None:
    fields = {
        "TransactionType": "Payment",
        "Account": genesis.address,
        "Destination": Wallet.create().address,
        "Amount": "1000000",
        "Fee": "10",
        "Sequence": 1,
    }
    blob = raw_blob(fields, genesis, patch=("6140000000000F4240", "6100000000000F4240"))
    assert engine.submit(blob).engine_result == "temBAD_AMOUNT"


def test_negative_fee_is_bad_fee(engine: LedgerEngine, genesis: Wallet) -> None:
    fields = {
        "TransactionType": "Payment",
        "Account": genesis.address,
        "Destination": Wallet.create().address,
        "Amount": "20000000",
        "Fee": "10",
        "Sequence": 1,
    }
    blob = raw_blob(fields, genesis, patch=("68400000000000000A", "68000000000000000A"))
    assert engine.submit(blob).engine_result == "temBAD_FEE"


def self_payment(wallet: Wallet) -> str:
    fields = {
        "TransactionType": "Payment",
        "Account": wallet.address,
        "Destination": wallet.address,
        "Amount": "5",
        "Fee": "10",
        "Sequence": 1,
    }
    return raw_blob(fields, wallet)


def test_payment_to_self_is_redundant(engine: LedgerEngine, genesis: Wallet) -> None:
    assert engine.submit(self_payment(genesis)).engine_result == "temREDUNDANT"


def test_fee_below_reference_is_insufficient(engine: LedgerEngine, genesis: Wallet) -> None:
    result = pay(engine, genesis, Wallet.create().address, 20 * XRP, fee=9)
    assert result.engine_result == "telINSUF_FEE_P"
    assert result.engine_result_code == -394


def test_balance_below_fee(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis, 2 * XRP)
    result = pay(engine, wallet, genesis.address, 1, fee=3 * XRP)
    assert result.engine_result == "terINSUF_FEE_B"
    assert not result.applied


def test_unfunded_sender(engine: LedgerEngine) -> None:
    stranger = Wallet.create()
    result = pay(engine, stranger, GENESIS_ADDRESS, XRP, sequence=1)
    assert result.engine_result == "terNO_ACCOUNT"
    assert result.ledger_state is not None
    assert result.ledger_state.account_sequence_next == 0


def test_issued_currency_payments_have_no_path(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)
    usd = IssuedCurrencyAmount(currency="USD", issuer=genesis.address, value="10")
    to_missing = Payment(
        account=genesis.address,
        destination=Wallet.create().address,
        amount=usd,
        sequence=2,
        fee="10",
    )
    to_existing = Payment(
        account=genesis.address, destination=wallet.address, amount=usd, sequence=3, fee="10"
    )
    assert engine.submit(blob_of(to_missing, genesis)).engine_result == "tecNO_DST"
    assert engine.submit(blob_of(to_existing, genesis)).engine_result == "tecPATH_DRY"


def test_unmodelled_transaction_type_is_disabled(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)
    trust = TrustSet(
        account=wallet.address,
        limit_amount=IssuedCurrencyAmount(currency="USD", issuer=genesis.address, value="1"),
        sequence=3,
        fee="10",
    )
    assert engine.submit(blob_of(trust, wallet)).engine_result == "temDISABLED"


def test_partial_xrp_payment_is_malformed(engine: LedgerEngine, genesis: Wallet) -> None:
    result = pay(engine, genesis, Wallet.create().address, 20 * XRP, flags=0x00020000)
    assert result.engine_result == "temBAD_SEND_XRP_PARTIAL"


# --- signatures and keys ----------------------------------------------------------------------------


def test_forged_signature_is_an_invalid_transaction(engine: LedgerEngine, genesis: Wallet) -> None:
    thief = Wallet.create()
    good = blob_of(
        Payment(
            account=genesis.address,
            destination=thief.address,
            amount=str(20 * XRP),
            sequence=1,
            fee="10",
        ),
        genesis,
    )
    # Raise the amount after signing: the signature no longer matches.
    forged = good.replace("61400000000131", "61400000000F42", 1)
    assert forged != good

    with pytest.raises(RpcError) as first:
        engine.submit(forged)
    with pytest.raises(RpcError) as again:
        engine.submit(forged)

    assert first.value.payload == {
        "error": "invalidTransaction",
        "error_exception": "fails local checks: Invalid signature.",
    }
    assert again.value.payload["error_exception"] == (
        "fails local checks: Transaction has bad signature."
    )
    assert engine.open_ledger.transactions == []


def test_valid_signature_by_another_key_is_not_authorized(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    intruder = Wallet.create()
    fields = {
        "TransactionType": "Payment",
        "Account": genesis.address,
        "Destination": intruder.address,
        "Amount": str(20 * XRP),
        "Fee": "10",
        "Sequence": 1,
    }
    result = engine.submit(raw_blob(fields, intruder))
    assert result.engine_result == "tefBAD_AUTH"
    assert not result.applied


def test_regular_key_signs_and_master_can_be_disabled(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = funded(engine, genesis)
    regular = Wallet.create()
    set_key = SetRegularKey(
        account=wallet.address, regular_key=regular.address, sequence=3, fee="10"
    )
    assert engine.submit(blob_of(set_key, wallet)).engine_result == "tesSUCCESS"
    disable = AccountSet(
        account=wallet.address,
        set_flag=AccountSetAsfFlag.ASF_DISABLE_MASTER,
        sequence=4,
        fee="10",
    )
    assert engine.submit(blob_of(disable, wallet)).engine_result == "tesSUCCESS"

    with_regular = {
        "TransactionType": "Payment",
        "Account": wallet.address,
        "Destination": genesis.address,
        "Amount": str(XRP),
        "Fee": "10",
        "Sequence": 5,
    }
    assert engine.submit(raw_blob(with_regular, regular)).engine_result == "tesSUCCESS"
    with_master = pay(engine, wallet, genesis.address, XRP, sequence=6)
    assert with_master.engine_result == "tefMASTER_DISABLED"


def test_multisigned_transaction_needs_a_signer_list(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    cosigner = Wallet.create()
    tx = Payment(
        account=genesis.address,
        destination=Wallet.create().address,
        amount=str(20 * XRP),
        sequence=1,
        fee="20",
        signing_pub_key="",
    )
    signed = multisign(tx, [sign(tx, cosigner, multisign=True)])
    result = engine.submit(encode(signed.to_xrpl()))
    assert result.engine_result == "tefNOT_MULTI_SIGNING"


def test_disabling_master_without_alternative_key(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)
    disable = AccountSet(
        account=wallet.address,
        set_flag=AccountSetAsfFlag.ASF_DISABLE_MASTER,
        sequence=3,
        fee="10",
    )
    assert engine.submit(blob_of(disable, wallet)).engine_result == "tecNO_ALTERNATIVE_KEY"


# --- idempotency, caching, fail_hard ----------------------------------------------------------------


def test_identical_blob_never_applies_twice(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = Wallet.create()
    blob = blob_of(
        Payment(
            account=genesis.address,
            destination=wallet.address,
            amount=str(30 * XRP),
            sequence=1,
            fee="10",
        ),
        genesis,
    )
    first = engine.submit(blob)
    again_open = engine.submit(blob)  # still in the open ledger
    engine.close_ledger()
    again_validated = engine.submit(blob)  # already validated
    engine.close_ledger()

    assert first.engine_result == "tesSUCCESS"
    # rippled's TxQ answers tefPAST_SEQ: the account's Sequence has moved past the transaction's.
    assert again_open.engine_result == again_validated.engine_result == "tefPAST_SEQ"
    assert not again_open.applied
    assert not again_validated.applied
    assert first.tx_json["hash"] == again_open.tx_json["hash"]
    assert balance(engine, wallet.address) == 30 * XRP
    assert engine.validated_ledger.transactions == ()


def test_malformed_transaction_is_cached_as_bad(engine: LedgerEngine, genesis: Wallet) -> None:
    blob = self_payment(genesis)
    first = engine.submit(blob)
    again = engine.submit(blob)

    assert first.engine_result == "temREDUNDANT"
    assert first.kept
    assert first.ledger_state is not None
    # rippled marks tem transactions bad in its HashRouter and answers temBAD_SIGNATURE after.
    assert again.engine_result == "temBAD_SIGNATURE"
    assert (again.applied, again.kept, again.accepted, again.ledger_state) == (
        False,
        False,
        False,
        None,
    )


def test_fail_hard_does_not_apply_a_tec(engine: LedgerEngine, genesis: Wallet) -> None:
    blob = blob_of(
        Payment(
            account=genesis.address,
            destination=Wallet.create().address,
            amount="10",
            sequence=1,
            fee="10",
        ),
        genesis,
    )
    result = engine.submit(blob, fail_hard=True)

    assert result.engine_result == "tecNO_DST_INSUF_XRP"
    assert (result.applied, result.kept, result.broadcast, result.accepted) == (
        False,
        False,
        False,
        False,
    )
    assert engine.open_ledger.accounts[GENESIS_ADDRESS].sequence == 1


def test_blob_that_is_not_hex_is_invalid_params(engine: LedgerEngine) -> None:
    with pytest.raises(RpcError) as error:
        engine.submit("not hex")
    assert error.value.payload["error"] == "invalidParams"
    with pytest.raises(RpcError) as error:
        engine.submit("")
    assert error.value.payload["error_code"] == 31


def test_blob_that_does_not_deserialize(engine: LedgerEngine) -> None:
    with pytest.raises(RpcError) as error:
        engine.submit("120000")
    assert error.value.payload["error"] == "invalidTransaction"
    assert "error_exception" in error.value.payload


# --- ledger lifecycle --------------------------------------------------------------------------------


def test_close_replays_in_canonical_order_with_retries(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    middle = Wallet.create()
    final = Wallet.create()
    first = pay(engine, genesis, middle.address, 50 * XRP)
    second = pay(engine, middle, final.address, 20 * XRP, sequence=engine.open_ledger.index)
    assert (first.engine_result, second.engine_result) == ("tesSUCCESS", "tesSUCCESS")
    closed = engine.close_ledger()

    assert sorted(tx.result for tx in closed.transactions) == ["tesSUCCESS", "tesSUCCESS"]
    assert closed.accounts[final.address].balance_drops == 20 * XRP
    assert sorted(tx.transaction_index for tx in closed.transactions) == [0, 1]


def test_closed_ledgers_chain_and_are_validated(engine: LedgerEngine) -> None:
    before = engine.validated_ledger
    closed = engine.close_ledger()

    assert isinstance(closed, ClosedLedger)
    assert closed.index == before.index + 1
    assert closed.parent_hash == before.hash
    assert closed.close_time > before.close_time
    assert closed.parent_close_time == before.close_time
    assert closed.transaction_hash == "0" * 64  # an empty transaction tree hashes to zero
    assert engine.validated_ledger is closed
    assert engine.ledger_by_hash(closed.hash.lower()) is closed
    assert engine.ledger_by_index(closed.index) is closed
    assert engine.ledger_by_index(engine.open_ledger.index) is engine.open_ledger
    assert engine.ledger_by_index(engine.open_ledger.index + 1) is None


def test_account_transactions_page_newest_first(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)
    hashes = [pay(engine, genesis, wallet.address, XRP).tx_json["hash"] for _ in range(3)]
    engine.close_ledger()
    hashes.append(pay(engine, genesis, wallet.address, XRP).tx_json["hash"])
    engine.close_ledger()
    last = engine.validated_ledger.index

    page, marker = engine.account_transactions(
        wallet.address, ledger_min=1, ledger_max=last, forward=False, limit=2, marker=None
    )
    rest, end = engine.account_transactions(
        wallet.address, ledger_min=1, ledger_max=last, forward=False, limit=10, marker=marker
    )

    assert page[0].hash == hashes[-1]
    assert marker is not None
    assert len(page) + len(rest) == 5  # the funding payment plus four
    assert end is None
    assert len({tx.hash for tx in page + rest}) == 5
    keys = [(tx.ledger_index, tx.transaction_index) for tx in page + rest]
    assert keys == sorted(keys, reverse=True)
    forward, _ = engine.account_transactions(
        wallet.address, ledger_min=1, ledger_max=last, forward=True, limit=1, marker=None
    )
    assert forward[0].hash == (page + rest)[-1].hash
