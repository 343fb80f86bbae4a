"""xrpbot.gateway: the only service that speaks Telegram."""
