"""Gateway entry points: the Telegram webhook, getUpdates polling, the replies consumer."""
