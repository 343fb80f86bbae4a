"""Transactors: the pipeline every transaction goes through, and one module per transaction type."""
