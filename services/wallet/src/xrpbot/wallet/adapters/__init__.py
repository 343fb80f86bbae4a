"""Wallet adapters: Postgres, XRPL JSON-RPC, the faucet, Fernet key custody."""
