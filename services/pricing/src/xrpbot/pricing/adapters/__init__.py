"""Pricing adapters: CoinGecko over httpx, Postgres."""
