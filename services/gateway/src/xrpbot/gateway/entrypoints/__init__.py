"""Gateway entry points: the bus consumers, the Telegram webhook and its update queue, polling,
background work."""
