"""Tests of the XRPL stand-in over HTTP: rippled JSON-RPC, the faucet, and the ledger closer.

xrpl-py's own async client drives most of them; answers are compared, key by key and type by
type, with real responses recorded from xrpl.org and the Testnet (tests/fixtures/xrpl).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from xrpl.asyncio.clients import AsyncJsonRpcClient
from xrpl.asyncio.transaction import autofill_and_sign, submit, submit_and_wait
from xrpl.asyncio.wallet import generate_faucet_wallet
from xrpl.core.addresscodec import classic_address_to_xaddress
from xrpl.core.binarycodec import encode
from xrpl.models import AccountInfo, AccountTx, GenericRequest, Ledger, ServerInfo, Tx
from xrpl.models.transactions import Payment
from xrpl.transaction import sign
from xrpl.wallet import Wallet

from xrpbot.sandbox.xrpl.closer import ledger_closer
from xrpbot.sandbox.xrpl.constants import GENESIS_ADDRESS, GENESIS_SEED
from xrpbot.sandbox.xrpl.engine import LedgerEngine
from xrpbot.sandbox.xrpl.rpc.app import SUPPORTED_METHODS, create_rpc_app, handle_rpc

FIXTURES = Path(__file__).parents[1] / "fixtures" / "xrpl"
XRP = 1_000_000


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def assert_shape(
    ours: Any,
    real: Any,
    path: str = "result",
    *,
    skip: frozenset[str] = frozenset(),
    opaque: frozenset[str] = frozenset(),
) -> None:
    """Every key of the recorded answer is in ours, with the same JSON type, recursively.

    ``skip`` lists paths our stand-in legitimately lacks; ``opaque`` lists paths whose type is
    checked but whose contents depend on the transaction type of the recorded example.
    """
    assert json_type(ours) == json_type(real), f"{path}: {json_type(ours)} != {json_type(real)}"
    if path in opaque:
        return
    if isinstance(real, dict):
        for key, value in real.items():
            child = f"{path}.{key}"
            if child in skip:
                continue
            assert key in ours, f"{child} is missing"
            assert_shape(ours[key], value, child, skip=skip, opaque=opaque)
    elif isinstance(real, list) and real and ours:
        assert_shape(ours[0], real[0], f"{path}[]", skip=skip, opaque=opaque)


def assert_common_keys(ours: dict[str, Any], real: dict[str, Any], keys: list[str]) -> None:
    for key in keys:
        assert key in ours, key
        assert key in real, key
        assert json_type(ours[key]) == json_type(real[key]), key


# --- servers and helpers ------------------------------------------------------------------------


@pytest.fixture
def client(rpc_url: str) -> AsyncJsonRpcClient:
    return AsyncJsonRpcClient(rpc_url)


async def post(url: str, body: Any) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body if isinstance(body, bytes) else json.dumps(body)) as response,
    ):
        text = await response.text()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text


async def rpc(url: str, method: str, api_version: int | None = 2, **params: Any) -> Any:
    if api_version is not None:
        params["api_version"] = api_version
    status, body = await post(url, {"method": method, "params": [params]})
    assert status == 200
    return body["result"]


async def fund(client: AsyncJsonRpcClient, genesis: Wallet, drops: int) -> tuple[Wallet, str]:
    wallet = Wallet.create()
    tx = Payment(account=genesis.address, destination=wallet.address, amount=str(drops))
    signed = await autofill_and_sign(tx, client, genesis)
    response = await submit(signed, client)
    assert response.result["engine_result"] == "tesSUCCESS"
    await client.request(GenericRequest(method="ledger_accept"))
    return wallet, signed.get_hash()


# --- xrpl-py end to end ---------------------------------------------------------------------------


async def test_xrpl_py_autofill_sign_submit_accept_and_tx(
    client: AsyncJsonRpcClient, genesis: Wallet
) -> None:
    wallet = Wallet.create()
    signed = await autofill_and_sign(
        Payment(account=genesis.address, destination=wallet.address, amount=str(25 * XRP)),
        client,
        genesis,
    )
    assert signed.sequence == 1
    assert signed.last_ledger_sequence == 2 + 20  # validated ledger + 20
    prelim = await submit(signed, client)
    assert prelim.result["engine_result"] == "tesSUCCESS"
    assert prelim.result["tx_json"]["hash"] == signed.get_hash()

    before = await client.request(Tx(transaction=signed.get_hash()))
    assert before.is_successful()
    assert before.result["validated"] is False
    assert "meta" not in before.result

    accepted = await client.request(GenericRequest(method="ledger_accept"))
    assert accepted.result["ledger_current_index"] == 4

    after = await client.request(Tx(transaction=signed.get_hash()))
    assert after.result["validated"] is True
    assert after.result["ledger_index"] == 3
    assert after.result["meta"]["TransactionResult"] == "tesSUCCESS"
    assert after.result["meta"]["delivered_amount"] == str(25 * XRP)
    assert after.result["tx_json"]["DeliverMax"] == str(25 * XRP)
    assert "Amount" not in after.result["tx_json"]  # API v2

    info = await client.request(AccountInfo(account=wallet.address, ledger_index="validated"))
    assert info.result["account_data"]["Balance"] == str(25 * XRP)
    assert info.result["account_data"]["Sequence"] == 3


async def test_submit_and_wait_with_ledger_closer(
    engine: LedgerEngine, client: AsyncJsonRpcClient, genesis: Wallet
) -> None:
    closer = asyncio.create_task(ledger_closer(engine, 0.1))
    try:
        tx = Payment(
            account=genesis.address, destination=Wallet.create().address, amount="2000000"
        )
        response = await submit_and_wait(tx, client, genesis)
    finally:
        closer.cancel()
    assert response.result["validated"] is True
    assert response.result["meta"]["TransactionResult"] == "tesSUCCESS"


async def test_generate_faucet_wallet_against_the_sandbox(
    engine: LedgerEngine, client: AsyncJsonRpcClient, faucet: str
) -> None:
    closer = asyncio.create_task(ledger_closer(engine, 0.1))
    try:
        wallet = await generate_faucet_wallet(client, faucet_host=faucet)
    finally:
        closer.cancel()
    assert engine.validated_ledger.accounts[wallet.address].balance_drops == 100 * XRP


# --- shapes against recorded answers ----------------------------------------------------------------


async def test_account_info_matches_recorded_shape(
    rpc_url: str, client: AsyncJsonRpcClient, genesis: Wallet
) -> None:
    wallet, _ = await fund(client, genesis, 100 * XRP)
    validated = await rpc(
        rpc_url, "account_info", account=wallet.address, ledger_index="validated"
    )
    current = await rpc(rpc_url, "account_info", account=wallet.address, ledger_index="current")

    # The recorded account had a regular key; ours has none.
    assert_shape(
        validated,
        recorded("account_info.json")["result"],
        skip=frozenset({"result.account_data.RegularKey"}),
    )
    assert_shape(current, recorded("account_info_current.json")["result"])
    assert current["validated"] is False
    assert "ledger_index" not in current


async def test_tx_matches_recorded_shape(
    rpc_url: str, client: AsyncJsonRpcClient, genesis: Wallet
) -> None:
    _, tx_hash = await fund(client, genesis, 30 * XRP)
    ours = await rpc(rpc_url, "tx", transaction=tx_hash)
    real = recorded("tx.json")["result"]

    # The recorded transaction is an OfferCreate: its fields and nodes differ from a Payment's.
    assert_shape(ours, real, opaque=frozenset({"result.tx_json", "result.meta.AffectedNodes"}))
    assert_common_keys(
        ours["tx_json"],
        real["tx_json"],
        [
            "Account",
            "Fee",
            "LastLedgerSequence",
            "Sequence",
            "SigningPubKey",
            "TransactionType",
            "TxnSignature",
            "ctid",
            "date",
            "ledger_index",
        ],
    )
    ours_modified = next(n for n in ours["meta"]["AffectedNodes"] if "ModifiedNode" in n)
    assert_shape(
        ours_modified["ModifiedNode"],
        real["meta"]["AffectedNodes"][1]["ModifiedNode"],
        "AccountRoot ModifiedNode",
    )


async def test_submit_matches_recorded_shape(rpc_url: str, genesis: Wallet) -> None:
    blob = encode(
        sign(
            Payment(
                account=genesis.address,
                destination=Wallet.create().address,
                amount=str(20 * XRP),
                sequence=1,
                fee="10",
            ),
            genesis,
        ).to_xrpl()
    )
    ours = await rpc(rpc_url, "submit", tx_blob=blob)

    # The xrpl.org example was signed by the server (DeliverMax in tx_json); ours and the
    # Testnet recording are submit-only: tx_json shows the blob's fields, Amount, and hash.
    assert_shape(ours, recorded("submit.json")["result"], opaque=frozenset({"result.tx_json"}))
    testnet = recorded("submit_testnet.json")["result"]
    assert_shape(ours, testnet, opaque=frozenset({"result.tx_json"}))
    assert_common_keys(
        ours["tx_json"],
        testnet["tx_json"],
        [
            "Account",
            "Amount",
            "Destination",
            "Fee",
            "Sequence",
            "SigningPubKey",
            "TransactionType",
            "TxnSignature",
            "hash",
        ],
    )
    assert "DeliverMax" not in ours["tx_json"]
    assert ours["tx_blob"] == blob.upper()


async def test_server_info_fee_and_ledger_shapes(rpc_url: str) -> None:
    info = await rpc(rpc_url, "server_info")
    # A stand-alone rippled with no [network_id] in its config does not report one.
    assert_shape(
        info, recorded("server_info.json")["result"], skip=frozenset({"result.info.network_id"})
    )
    assert info["info"]["validated_ledger"]["reserve_base_xrp"] == 1
    assert info["info"]["validated_ledger"]["reserve_inc_xrp"] == 0.2
    assert info["info"]["validated_ledger"]["base_fee_xrp"] == 0.00001
    assert info["info"]["complete_ledgers"] == "1-2"

    fee = await rpc(rpc_url, "fee")
    assert_shape(fee, recorded("fee.json")["result"])
    assert fee["drops"]["open_ledger_fee"] == "10"

    ledger = await rpc(rpc_url, "ledger", ledger_index="validated")
    assert_shape(ledger, recorded("ledger.json")["result"])
    assert ledger["ledger"]["ledger_index"] == 2

    closed = await rpc(rpc_url, "ledger_closed")
    assert_shape(closed, recorded("ledger_closed.json")["result"])
    current = await rpc(rpc_url, "ledger_current")
    assert_shape(current, recorded("ledger_current.json")["result"])
    assert current["ledger_current_index"] == 3


async def test_account_tx_and_account_lines_shapes(
    rpc_url: str, client: AsyncJsonRpcClient, genesis: Wallet
) -> None:
    wallet, tx_hash = await fund(client, genesis, 30 * XRP)
    ours = await rpc(
        rpc_url, "account_tx", account=wallet.address, ledger_index_min=-1, ledger_index_max=-1
    )
    real = recorded("account_tx.json")["result"]

    # The recording pages (marker); our single transaction fits one page.
    assert_shape(
        ours,
        real,
        skip=frozenset({"result.marker"}),
        opaque=frozenset(
            {"result.transactions[].tx_json", "result.transactions[].meta.AffectedNodes"}
        ),
    )
    assert ours["transactions"][0]["hash"] == tx_hash
    assert ours["transactions"][0]["meta"]["delivered_amount"] == str(30 * XRP)
    assert_common_keys(
        ours["transactions"][0]["tx_json"],
        real["transactions"][0]["tx_json"],
        ["Account", "Fee", "Sequence", "TransactionType", "ctid", "date", "ledger_index"],
    )

    lines = await rpc(rpc_url, "account_lines", account=wallet.address)
    assert_shape(lines, recorded("account_lines.json")["result"])
    assert lines["lines"] == []


async def test_error_and_not_found_shapes(rpc_url: str) -> None:
    # The same request as the recorded one.
    malformed = await rpc(
        rpc_url,
        "account_info",
        api_version=None,
        account="r9cZA1mLK5R5Am25ArfXFmqgNwjZgnfk59",
        ledger_index="-",
        strict=True,
    )
    assert_shape(malformed, recorded("error.json")["result"])
    assert malformed["error"] == "invalidParams"
    assert malformed["request"] == recorded("error.json")["result"]["request"]

    unknown = "E08D6E9754025BA2534A78707605E0601F03ACE063687A0CA1BDDACFCD1698C7"
    not_found = await rpc(
        rpc_url,
        "tx",
        api_version=None,
        transaction=unknown,
        binary=False,
        min_ledger=1,
        max_ledger=2,
    )
    assert_shape(not_found, recorded("tx_not_found.json")["result"])
    assert not_found["searched_all"] is True


async def test_faucet_answer_matches_recorded_testnet_answer(
    engine: LedgerEngine, faucet: str
) -> None:
    status, answer = await post(faucet, b"")
    real = recorded("faucet_accounts.json")

    assert status == 200
    assert_shape(answer, real, "faucet")
    assert list(answer) == list(real)
    assert list(answer["account"]) == list(real["account"])
    assert answer["amount"] == 100
    assert answer["account"]["xAddress"].startswith("X")
    seed_wallet = Wallet.from_seed(answer["seed"])
    assert seed_wallet.address == answer["account"]["classicAddress"]

    closed = engine.close_ledger()
    assert closed.accounts[seed_wallet.address].balance_drops == 100 * XRP
    assert closed.accounts[seed_wallet.address].sequence == closed.index
    assert closed.transactions[0].hash == answer["transactionHash"]


# --- API details --------------------------------------------------------------------------------------


async def test_api_v1_transaction_shapes(
    rpc_url: str, client: AsyncJsonRpcClient, genesis: Wallet
) -> None:
    wallet, tx_hash = await fund(client, genesis, 30 * XRP)
    v1 = await rpc(rpc_url, "tx", api_version=None, transaction=tx_hash)
    assert v1["hash"] == tx_hash
    assert v1["inLedger"] == v1["ledger_index"] == 3
    assert v1["Amount"] == v1["DeliverMax"] == str(30 * XRP)
    assert v1["meta"]["delivered_amount"] == str(30 * XRP)
    assert v1["validated"] is True
    assert "tx_json" not in v1

    history = await rpc(rpc_url, "account_tx", api_version=1, account=wallet.address)
    entry = history["transactions"][0]
    assert set(entry) == {"meta", "tx", "validated"}
    assert entry["tx"]["hash"] == tx_hash

    ledger = await rpc(
        rpc_url, "ledger", api_version=1, ledger_index=3, transactions=True, expand=True
    )
    assert ledger["ledger"]["ledger_index"] == "3"
    assert ledger["ledger"]["transactions"][0]["metaData"]["TransactionResult"] == "tesSUCCESS"


async def test_ledger_index_selection(rpc_url: str, engine: LedgerEngine) -> None:
    engine.close_ledger()
    for spec, key, value in (
        ("validated", "ledger_index", 3),
        ("closed", "ledger_index", 3),
        ("current", "ledger_current_index", 4),
        (2, "ledger_index", 2),
        ("2", "ledger_index", 2),
        (4, "ledger_current_index", 4),
    ):
        result = await rpc(rpc_url, "ledger", ledger_index=spec)
        assert result[key] == value, spec
        assert result["validated"] is (key == "ledger_index")
    by_hash = await rpc(rpc_url, "ledger", ledger_hash=engine.validated_ledger.hash)
    assert by_hash["ledger_index"] == 3

    future = await rpc(rpc_url, "ledger", ledger_index=99)
    assert (future["error"], future["error_code"], future["error_message"]) == (
        "lgrNotFound",
        21,
        "ledgerNotFound",
    )
    open_ledger = await rpc(rpc_url, "ledger", ledger_index="current")
    assert open_ledger["ledger"] == {
        "closed": False,
        "ledger_index": 4,
        "parent_hash": engine.validated_ledger.hash,
    }


async def test_account_info_errors(rpc_url: str) -> None:
    missing = await rpc(rpc_url, "account_info", account=Wallet.create().address)
    assert (missing["error"], missing["error_code"], missing["error_message"]) == (
        "actNotFound",
        19,
        "Account not found.",
    )
    assert missing["status"] == "error"
    assert missing["ledger_current_index"] == 3
    malformed = await rpc(rpc_url, "account_info", account="not-an-address")
    assert malformed["error"] == "actMalformed"
    no_account = await rpc(rpc_url, "account_info")
    assert no_account["error_message"] == "Missing field 'account'."


async def test_tx_lookup_errors(rpc_url: str, engine: LedgerEngine) -> None:
    unknown = "AB" * 32
    assert (await rpc(rpc_url, "tx", transaction=unknown))["error"] == "txnNotFound"
    assert "searched_all" not in await rpc(rpc_url, "tx", transaction=unknown)
    beyond = await rpc(rpc_url, "tx", transaction=unknown, min_ledger=1, max_ledger=50)
    assert beyond["searched_all"] is False
    assert (await rpc(rpc_url, "tx", transaction="XYZ"))["error"] == "notImpl"
    too_wide = await rpc(rpc_url, "tx", transaction=unknown, min_ledger=1, max_ledger=2000)
    assert too_wide["error"] == "excessiveLgrRange"


async def test_expired_transaction_is_not_found_once_out_of_cache(
    genesis: Wallet,
) -> None:
    engine = LedgerEngine(tx_cache_seconds=0)
    async with TestServer(create_rpc_app(engine)) as server:
        url = str(server.make_url("/"))
        blob = encode(
            sign(
                Payment(
                    account=genesis.address,
                    destination=Wallet.create().address,
                    amount=str(20 * XRP),
                    sequence=2,  # a gap that is never filled
                    fee="10",
                    last_ledger_sequence=4,
                ),
                genesis,
            ).to_xrpl()
        )
        result = await rpc(url, "submit", tx_blob=blob)
        assert result["engine_result"] == "terPRE_SEQ"
        for _ in range(3):
            await rpc(url, "ledger_accept")
        found = await rpc(
            url, "tx", transaction=result["tx_json"]["hash"], min_ledger=3, max_ledger=5
        )

    assert found["error"] == "txnNotFound"
    assert found["searched_all"] is True


async def test_submit_errors(rpc_url: str, genesis: Wallet) -> None:
    signing = await rpc(
        rpc_url,
        "submit",
        secret=GENESIS_SEED,
        tx_json={"TransactionType": "Payment", "Account": genesis.address},
    )
    assert signing["error"] == "notSupported"
    assert signing["error_message"] == "Signing is not supported by this server."
    assert signing["request"]["secret"] == "<masked>"

    blob = encode(
        sign(
            Payment(
                account=genesis.address,
                destination=Wallet.create().address,
                amount=str(20 * XRP),
                sequence=1,
                fee="10",
            ),
            genesis,
        ).to_xrpl()
    )
    forged = blob.replace("614000000001312D00", "61400000000BEBC200")
    invalid = await rpc(rpc_url, "submit", tx_blob=forged)
    assert invalid["error"] == "invalidTransaction"
    assert invalid["error_exception"] == "fails local checks: Invalid signature."
    assert invalid["status"] == "error"

    not_hex = await rpc(rpc_url, "submit", tx_blob="zz")
    assert not_hex["error"] == "invalidParams"


async def test_http_level_errors(rpc_url: str) -> None:
    status, text = await post(rpc_url, b"{not json")
    assert status == 400
    assert str(text).startswith("Unable to parse request")
    assert await post(rpc_url, {"params": [{}]}) == (400, "Null method")
    assert await post(rpc_url, {"method": 7}) == (400, "method is not string")
    assert await post(rpc_url, {"method": "fee", "params": {}}) == (400, "params unparsable")
    assert await post(rpc_url, {"method": "fee", "params": [{"api_version": 9}]}) == (
        400,
        "invalid_API_version",
    )
    status, body = await post(rpc_url, {"method": "wallet_propose", "params": [{}]})
    assert status == 200
    assert body["result"]["error"] == "unknownCmd"
    assert body["result"]["request"] == {"command": "wallet_propose"}
    status, body = await post(rpc_url, {"method": "fee", "params": [{"id": 7}]})
    assert (status, body["id"], body["result"]["status"]) == (200, 7, "success")


async def test_faucet_with_destination_and_amount(
    engine: LedgerEngine, faucet: str, genesis: Wallet
) -> None:
    wallet = Wallet.create()
    status, answer = await post(faucet, {"destination": wallet.address, "xrpAmount": "25"})
    assert status == 200
    assert "seed" not in answer
    assert answer["amount"] == 25
    assert answer["account"]["classicAddress"] == wallet.address
    assert answer["account"]["xAddress"].startswith("T")

    tagged = classic_address_to_xaddress(wallet.address, 42, True)
    status, answer = await post(faucet, {"destination": tagged})
    assert status == 200
    assert answer["account"]["tag"] == 42
    closed = engine.close_ledger()
    assert closed.accounts[wallet.address].balance_drops == 125 * XRP
    assert any(tx.tx_json.get("DestinationTag") == 42 for tx in closed.transactions)


async def test_faucet_rejects_bad_requests(faucet: str) -> None:
    assert await post(faucet, {"destination": "rNotAnAddress"}) == (
        400,
        {"error": "Invalid destination"},
    )
    assert await post(faucet, {"xrpAmount": "1.5"}) == (
        400,
        {"error": "Invalid amount", "detail": "Must be an integer"},
    )
    assert await post(faucet, {"xrpAmount": "2000000"}) == (
        400,
        {"error": "Invalid amount"},
    )


def test_handle_rpc_is_usable_without_http(engine: LedgerEngine) -> None:
    assert {"submit", "tx", "account_tx", "ledger_accept"} <= SUPPORTED_METHODS
    result = handle_rpc(engine, "ledger_accept", {})
    assert result == {"ledger_current_index": 4, "status": "success"}
    info = handle_rpc(engine, "server_info", {}, api_version=2)
    assert info["info"]["server_state"] == "full"


async def test_xrpl_py_reads_ledger_and_server_info(client: AsyncJsonRpcClient) -> None:
    ledger = await client.request(Ledger(ledger_index="validated"))
    assert ledger.result["ledger_index"] == 2
    info = await client.request(ServerInfo())
    assert info.result["info"]["validated_ledger"]["seq"] == 2
    history = await client.request(AccountTx(account=GENESIS_ADDRESS))
    assert history.result["transactions"] == []
