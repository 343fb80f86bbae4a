"""Postgres repositories of the gateway's schema, one per table group, and its unit of work."""
