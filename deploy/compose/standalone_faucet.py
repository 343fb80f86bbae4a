"""A Testnet-style faucet for the stand-alone rippled of docker-compose.yml (local use only).

`POST /accounts {"destination": "r..."}` pays FAUCET_AMOUNT_XRP from the genesis account of a
stand-alone ledger, which holds all XRP and whose keys are public
(https://xrpl.org/docs/infrastructure/testing-and-auditing/start-a-new-genesis-ledger-in-stand-alone-mode).
It answers in the Testnet faucet's shape. The ledger-accept ticker closes the ledger that
validates the payment. Runs with the wallet image (xrpl-py): `python standalone_faucet.py`.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from xrpl.clients import JsonRpcClient
from xrpl.core.addresscodec import is_valid_classic_address
from xrpl.models.transactions import Payment
from xrpl.transaction import autofill_and_sign, submit
from xrpl.utils import xrp_to_drops
from xrpl.wallet import Wallet

log = logging.getLogger("faucet")

# the well-known genesis seed of every new stand-alone ledger ("masterpassphrase"), not a secret
GENESIS_SEED = "snoPBrXtMeMyMHUVTgbuqAfg1SUTb"
RPC_URL = os.environ.get("XRPL_RPC_URL", "http://rippled:5005/")
AMOUNT_XRP = int(os.environ.get("FAUCET_AMOUNT_XRP", "1000"))
PORT = int(os.environ.get("FAUCET_PORT", "5006"))

_client = JsonRpcClient(RPC_URL)
_genesis = Wallet.from_seed(GENESIS_SEED)
_lock = threading.Lock()  # one payment at a time: each takes the genesis account's next Sequence


class Faucet(BaseHTTPRequestHandler):
    """POST /accounts funds `destination`; GET /health answers 200."""

    def _answer(self, status: int, body: dict[str, object]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(200 if self.path == "/health" else 404, {})

    def do_POST(self) -> None:
        if self.path != "/accounts":
            self._answer(404, {"error": "not found"})
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(min(length, 65536)) or b"{}")
            destination = str(body.get("destination", ""))
        except (ValueError, AttributeError):
            self._answer(400, {"error": "invalid JSON"})
            return
        if not is_valid_classic_address(destination):
            self._answer(400, {"error": "destination must be a classic address"})
            return
        payment = Payment(
            account=_genesis.classic_address,
            destination=destination,
            amount=xrp_to_drops(AMOUNT_XRP),
        )
        try:
            with _lock:
                result = submit(autofill_and_sign(payment, _client, _genesis), _client).result
        except Exception as exc:
            log.warning("payment to %s failed: %s", destination, type(exc).__name__)
            self._answer(503, {"error": "ledger unavailable"})
            return
        log.info("funded %s: %s", destination, result.get("engine_result"))
        self._answer(
            200,
            {
                "account": {"address": destination, "classicAddress": destination},
                "amount": AMOUNT_XRP,
                "transactionHash": result.get("tx_json", {}).get("hash"),
            },
        )

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Faucet)  # noqa: S104  inside its container
    log.info("stand-alone faucet on :%d paying %d XRP via %s", PORT, AMOUNT_XRP, RPC_URL)
    server.serve_forever()
