"""Gateway adapters: Postgres, the Telegram Bot API and its limiter, charts, QR codes, RabbitMQ
queue depths, metrics."""
