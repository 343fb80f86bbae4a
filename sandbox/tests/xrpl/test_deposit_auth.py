"""Tests of Deposit Authorization in the XRPL stand-in: asfDepositAuth, payments refused with
tecNO_PERMISSION, the small-payment exception, and the ``deposit_authorized`` method.

Rules: https://xrpl.org/docs/concepts/accounts/depositauth (rippled ``Payment.cpp``,
``DepositAuthorized.cpp``). Every transaction is really signed and submitted as a blob.
"""

from __future__ import annotations

from xrpl.core.binarycodec import encode
from xrpl.models.transactions import AccountSet, AccountSetAsfFlag, Payment
from xrpl.transaction import sign
from xrpl.wallet import Wallet

from xrpbot.sandbox.xrpl.constants import DEFAULT_RESERVE_BASE_DROPS, LSF_DEPOSIT_AUTH
from xrpbot.sandbox.xrpl.engine import LedgerEngine
from xrpbot.sandbox.xrpl.rpc.app import handle_rpc

XRP = 1_000_000  # drops
FEE = 10


def submit(engine: LedgerEngine, wallet: Wallet, tx: Payment | AccountSet) -> str:
    """Sign `tx` (its Sequence taken from the open ledger) and submit it; the engine result."""
    sequence = engine.open_ledger.accounts[wallet.address].sequence
    signed = sign(tx.__class__.from_dict({**tx.to_dict(), "sequence": sequence}), wallet)
    return engine.submit(encode(signed.to_xrpl())).engine_result


def pay(engine: LedgerEngine, sender: Wallet, destination: str, drops: int) -> str:
    tx = Payment(account=sender.address, destination=destination, amount=str(drops), fee="10")
    return submit(engine, sender, tx)


def funded(engine: LedgerEngine, genesis: Wallet, drops: int = 100 * XRP) -> Wallet:
    wallet = Wallet.create()
    assert pay(engine, genesis, wallet.address, drops) == "tesSUCCESS"
    engine.close_ledger()
    return wallet


def set_deposit_auth(engine: LedgerEngine, wallet: Wallet, *, on: bool = True) -> None:
    flag = AccountSetAsfFlag.ASF_DEPOSIT_AUTH
    tx = (
        AccountSet(account=wallet.address, set_flag=flag, fee="10")
        if on
        else AccountSet(account=wallet.address, clear_flag=flag, fee="10")
    )
    assert submit(engine, wallet, tx) == "tesSUCCESS"
    engine.close_ledger()


def balance(engine: LedgerEngine, address: str) -> int:
    return engine.validated_ledger.accounts[address].balance_drops


def test_asf_deposit_auth_sets_the_flag_and_account_info_shows_it(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = funded(engine, genesis)

    set_deposit_auth(engine, wallet)

    assert engine.validated_ledger.accounts[wallet.address].flags & LSF_DEPOSIT_AUTH
    info = handle_rpc(
        engine, "account_info", {"account": wallet.address, "ledger_index": "validated"}
    )
    assert info["account_flags"]["depositAuth"] is True
    assert info["account_data"]["Flags"] & 0x01000000


def test_payment_to_a_deposit_auth_account_is_refused_and_burns_the_fee(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    destination = funded(engine, genesis)
    sender = funded(engine, genesis)
    set_deposit_auth(engine, destination)
    before = balance(engine, destination.address)
    sender_before = engine.validated_ledger.accounts[sender.address]

    assert pay(engine, sender, destination.address, 5 * XRP) == "tecNO_PERMISSION"
    engine.close_ledger()

    assert balance(engine, destination.address) == before
    after = engine.validated_ledger.accounts[sender.address]
    assert after.balance_drops == sender_before.balance_drops - FEE  # only the fee is spent
    assert after.sequence == sender_before.sequence + 1  # and the sequence is consumed


def test_deposit_auth_account_can_still_send(engine: LedgerEngine, genesis: Wallet) -> None:
    wallet = funded(engine, genesis)
    set_deposit_auth(engine, wallet)
    other = funded(engine, genesis)

    assert pay(engine, wallet, other.address, 5 * XRP) == "tesSUCCESS"


def test_small_payment_to_an_account_at_the_reserve_is_allowed(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    # An account at or below the base reserve may receive up to the base reserve, so it can
    # never be stuck unable to pay a fee (https://xrpl.org/docs/concepts/accounts/depositauth).
    wallet = funded(engine, genesis, DEFAULT_RESERVE_BASE_DROPS + FEE)
    set_deposit_auth(engine, wallet)
    assert balance(engine, wallet.address) == DEFAULT_RESERVE_BASE_DROPS

    assert pay(engine, genesis, wallet.address, DEFAULT_RESERVE_BASE_DROPS + 1) == (
        "tecNO_PERMISSION"
    )
    assert pay(engine, genesis, wallet.address, DEFAULT_RESERVE_BASE_DROPS) == "tesSUCCESS"
    engine.close_ledger()
    assert pay(engine, genesis, wallet.address, 1) == "tecNO_PERMISSION"  # now above it


def test_clearing_deposit_auth_lets_payments_in_again(
    engine: LedgerEngine, genesis: Wallet
) -> None:
    wallet = funded(engine, genesis)
    set_deposit_auth(engine, wallet)
    set_deposit_auth(engine, wallet, on=False)

    assert not engine.validated_ledger.accounts[wallet.address].flags & LSF_DEPOSIT_AUTH
    assert pay(engine, genesis, wallet.address, 5 * XRP) == "tesSUCCESS"


def test_deposit_authorized_answers_from_the_flag(engine: LedgerEngine, genesis: Wallet) -> None:
    guarded = funded(engine, genesis)
    open_account = funded(engine, genesis)
    set_deposit_auth(engine, guarded)

    def ask(source: str, destination: str) -> dict[str, object]:
        params = {
            "source_account": source,
            "destination_account": destination,
            "ledger_index": "validated",
        }
        return handle_rpc(engine, "deposit_authorized", params, api_version=2)

    refused = ask(genesis.address, guarded.address)
    allowed = ask(genesis.address, open_account.address)
    to_itself = ask(guarded.address, guarded.address)

    assert refused["deposit_authorized"] is False
    assert refused["status"] == "success"
    assert refused["validated"] is True
    assert refused["ledger_index"] == engine.validated_ledger.index
    assert refused["source_account"] == genesis.address
    assert refused["destination_account"] == guarded.address
    assert allowed["deposit_authorized"] is True
    assert to_itself["deposit_authorized"] is True


def test_deposit_authorized_errors(engine: LedgerEngine, genesis: Wallet) -> None:
    unknown = Wallet.create().address

    def ask(**params: object) -> dict[str, object]:
        return handle_rpc(engine, "deposit_authorized", params, api_version=2)

    no_source = ask(source_account=unknown, destination_account=genesis.address)
    no_destination = ask(source_account=genesis.address, destination_account=unknown)
    malformed = ask(source_account="not-an-address", destination_account=genesis.address)
    missing = ask(source_account=genesis.address)
    not_a_string = ask(source_account=genesis.address, destination_account=7)

    assert (no_source["error"], no_source["error_code"]) == ("srcActNotFound", 67)
    assert (no_destination["error"], no_destination["error_code"]) == ("dstActNotFound", 50)
    assert "ledger_current_index" in no_destination  # the ledger fields stay, as in rippled
    assert malformed["error"] == "actMalformed"
    assert missing["error"] == "invalidParams"
    assert missing["error_message"] == "Missing field 'destination_account'."
    assert not_a_string["error_message"] == "Invalid field 'destination_account', not a string."
