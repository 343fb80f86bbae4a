"""A Testnet-style faucet: ``POST /accounts`` funds an account with a real signed Payment from genesis."""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any, Final

from aiohttp import web
from xrpl.core.addresscodec import (
    classic_address_to_xaddress,
    is_valid_classic_address,
    is_valid_xaddress,
    xaddress_to_classic_address,
)
from xrpl.core.binarycodec import encode
from xrpl.models.transactions import Payment
from xrpl.transaction import sign
from xrpl.wallet import Wallet

from .constants import GENESIS_ADDRESS, GENESIS_SEED, JsonDict
from .engine import LedgerEngine
from .errors import RpcError

log = logging.getLogger(__name__)


#: XRP the faucet sends when the request names no ``xrpAmount``. The Testnet faucet answers
#: ``"amount": 100`` today (a recorded answer is in tests/fixtures/xrpl/faucet_accounts.json).
DEFAULT_FAUCET_XRP: Final = 100
_FAUCET_MAX_XRP: Final = 1_000_000  # MAX_AMOUNT of the Testnet faucet
_LEDGER_OFFSET: Final = 20  # the faucet lets xrpl.js autofill LastLedgerSequence = validated + 20


def create_faucet_app(
    engine: LedgerEngine, *, default_xrp_amount: int = DEFAULT_FAUCET_XRP
) -> web.Application:
    """An aiohttp app answering ``POST /accounts`` like the XRPL Testnet faucet.

    Body (JSON, optional): ``destination`` (classic address or X-address; without it a new
    wallet is generated and its ``seed`` returned) and ``xrpAmount`` (whole XRP as a string,
    at most 1,000,000). The faucet signs a Payment from the genesis account with xrpl-py and
    submits it through ``engine.submit`` like any client, so the new balance shows in the next
    validated ledger. Answer: ``{"account": {"xAddress", "classicAddress", "address"},
    "amount": <XRP>, "transactionHash": ..., "seed"?}``; a bad destination is HTTP 400
    ``{"error": "Invalid destination"}``. Source: the faucet's ``src/routes/accounts.ts``
    (xpring-eng/testnet-faucet) and https://xrpl.org/resources/dev-tools/xrp-faucets.
    """
    app = web.Application()
    genesis = Wallet.from_seed(GENESIS_SEED)
    dumps = partial(json.dumps, separators=(",", ":"))

    async def accounts(request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return web.json_response({"error": "Invalid JSON"}, status=400, dumps=dumps)
        if not isinstance(body, dict):
            body = {}
        seed: str | None = None
        tag: int | None = None
        destination = body.get("destination")
        if destination:
            account, tag = _faucet_destination(destination)
            if account is None:
                return web.json_response({"error": "Invalid destination"}, status=400, dumps=dumps)
        else:
            wallet = Wallet.create()
            seed = wallet.seed
            account = {
                "xAddress": classic_address_to_xaddress(wallet.address, None, False),
                "address": wallet.address,
                "classicAddress": wallet.address,
            }
        amount_xrp = default_xrp_amount
        requested = body.get("xrpAmount")
        if requested:
            text = str(requested)
            if not text.isdigit():
                return web.json_response(
                    {"error": "Invalid amount", "detail": "Must be an integer"},
                    status=400,
                    dumps=dumps,
                )
            if int(text) > _FAUCET_MAX_XRP:
                return web.json_response({"error": "Invalid amount"}, status=400, dumps=dumps)
            amount_xrp = int(text)

        root = engine.open_ledger.accounts.get(GENESIS_ADDRESS)
        payment = Payment(
            account=GENESIS_ADDRESS,
            destination=account["classicAddress"],
            amount=str(amount_xrp * 1_000_000),
            destination_tag=tag,
            sequence=root.sequence if root is not None else 1,
            fee=str(engine.base_fee_drops),
            last_ledger_sequence=engine.validated_ledger.index + _LEDGER_OFFSET,
        )
        signed = sign(payment, genesis)
        try:
            outcome = engine.submit(encode(signed.to_xrpl()))
        except RpcError:
            log.exception("faucet payment was refused")
            return web.json_response(
                {"error": "Unable to fund account. Try again later", "account": account},
                status=500,
                dumps=dumps,
            )
        if outcome.engine_result not in ("tesSUCCESS", "terQUEUED"):
            log.warning("faucet payment got %s", outcome.engine_result)
            return web.json_response(
                {"error": "Failed to fund account", "account": account}, status=503, dumps=dumps
            )
        answer: JsonDict = {
            "account": account,
            "amount": amount_xrp,
            "transactionHash": outcome.tx_json["hash"],
        }
        if seed is not None:
            answer["seed"] = seed
        return web.json_response(answer, dumps=dumps)

    app.router.add_post("/accounts", accounts)
    return app


def _faucet_destination(destination: Any) -> tuple[JsonDict | None, int | None]:
    """Destination account for the faucet answer (``getDestinationAccount``), or (None, None)."""
    if not isinstance(destination, str):
        return None, None
    if is_valid_xaddress(destination):
        classic, tag, _ = xaddress_to_classic_address(destination)
        account: JsonDict = {
            "xAddress": destination,
            "classicAddress": classic,
            "address": classic,
        }
        if tag is not None:
            account["tag"] = tag
        return account, tag
    if is_valid_classic_address(destination):
        return {
            "xAddress": classic_address_to_xaddress(destination, None, True),
            "classicAddress": destination,
            "address": destination,
        }, None
    return None, None
