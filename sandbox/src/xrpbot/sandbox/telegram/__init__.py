"""An offline stand-in for the Telegram Bot API (https://core.telegram.org/bots/api).

It answers `GET|POST /bot<token>/<method>` the way api.telegram.org does for the methods xrpbot's
gateway uses, with Telegram's validation rules and its exact error descriptions. Where the Bot API
page is silent, the behaviour is copied from the server's source, tdlib/telegram-bot-api
(`telegram-bot-api/Client.cpp`, `WebhookActor.cpp`) and tdlib's `td/telegram/MessageEntity.cpp`
(HTML parsing, automatic entities); the docstrings name the section or function.

Besides the Bot API it serves a *control API* under `/sandbox/...` (no token) that plays the users:
send a message, press an inline button, block the bot, read what the bot sent and every Bot API call
it received. See `app.create_telegram_app` for the list.

Everything is in memory and runs on one asyncio loop. Differences from the real service that are on
purpose: webhook URLs may be plain `http://` on any port and are not probed before
`setWebhook` answers; `getUpdates` does not stretch short timeouts to 3 s for repeated offsets;
`setWebhook` has no one-call-per-second limit; formatted dates (tg-time, tg://time) keep their
text but get no entity.

Modules, from the text up: `constants`, `errors`, `args` (request parameters), `text`, `html`,
`markdown`, `entities` (a message's text and entities), `markup` (keyboards, commands), `images`,
`state`, `flood`, the methods (`messages`, `commands`, `updates`, dispatched by `methods`),
`webhook` (delivery), `control` (the control API) and `app` (`create_telegram_app`).
"""
