"""Faucet adapter: the XRPL Testnet faucet's `POST /accounts` (or the sandbox's copy)."""

from __future__ import annotations

import httpx

from ..ports import LedgerUnavailable

__all__ = ["HttpFaucet"]


class HttpFaucet:
    """Funds an existing address: `POST <XRPL_FAUCET_URL> {"destination": address}`.

    The answer's shape is the Testnet faucet's (https://xrpl.org/resources/dev-tools/xrp-faucets);
    only its status matters here, since funding is confirmed from a validated ledger.
    """

    def __init__(self, url: str, client: httpx.AsyncClient) -> None:
        self.url = url
        self.client = client

    async def fund(self, address: str) -> None:
        try:
            response = await self.client.post(
                self.url, json={"destination": address, "userAgent": "xrpbot"}
            )
        except httpx.HTTPError as exc:
            raise LedgerUnavailable(f"faucet: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise LedgerUnavailable(f"faucet: HTTP {response.status_code}")
