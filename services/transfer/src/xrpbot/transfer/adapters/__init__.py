"""Transfer adapters: Postgres."""
