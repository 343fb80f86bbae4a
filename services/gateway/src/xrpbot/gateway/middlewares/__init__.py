"""aiogram middlewares of the gateway: who acts, the update's transaction, language, groups, throttle."""
