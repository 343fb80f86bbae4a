"""aiogram middlewares of the gateway: who acts (actor, correlation id), and once-only updates."""
