"""Gateway adapters: Postgres (update claims, pending replies) and the Telegram Bot API."""
