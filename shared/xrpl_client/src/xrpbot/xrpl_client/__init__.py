"""rippled JSON-RPC for the services that talk to the XRP Ledger (wallet, transfer)."""

from .jsonrpc import LedgerUnavailable, XrplJsonRpc

__all__ = ["LedgerUnavailable", "XrplJsonRpc"]
