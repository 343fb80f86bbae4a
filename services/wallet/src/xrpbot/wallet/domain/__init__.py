"""Wallet domain: accounts and reserves. Pure: no I/O."""
