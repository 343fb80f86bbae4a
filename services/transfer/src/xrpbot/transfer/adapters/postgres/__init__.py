"""Postgres adapters of the transfer service (schema `transfer`): one module per table group."""
