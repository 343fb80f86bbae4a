"""Close a ledger of the stand-alone rippled every LEDGER_CLOSE_SECONDS (docker-compose.yml).

Stand-alone mode has no consensus, so ledgers close only on the admin `ledger_accept` command
(https://xrpl.org/docs/references/http-websocket-apis/admin-api-methods/server-control-methods/ledger_accept).
Standard library only; runs with any of the service images.
"""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.request

log = logging.getLogger("ledger-ticker")

RPC_URL = os.environ.get("XRPL_RPC_URL", "http://rippled:5005/")
EVERY = float(os.environ.get("LEDGER_CLOSE_SECONDS", "3"))


def accept() -> int | None:
    """Ask rippled to close the current ledger; returns the new ledger index."""
    body = json.dumps({"method": "ledger_accept", "params": [{}]}).encode()
    request = urllib.request.Request(  # noqa: S310  the configured rippled URL
        RPC_URL, data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        result = json.load(response).get("result", {})
    index = result.get("ledger_current_index")
    return int(index) if index is not None else None


if __name__ == "__main__":
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    log.info("closing a ledger every %g s via %s", EVERY, RPC_URL)
    while True:
        try:
            accept()
        except (OSError, ValueError) as exc:
            log.warning("ledger_accept failed: %s", type(exc).__name__)
        time.sleep(EVERY)
