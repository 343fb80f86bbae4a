"""Outbound messages within Telegram's limits: the pacing rules, their shared state, the limiter."""
