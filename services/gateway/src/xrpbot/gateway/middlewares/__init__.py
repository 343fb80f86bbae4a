"""aiogram middlewares of the gateway: throttle, who acts, the update's transaction, language, groups."""
