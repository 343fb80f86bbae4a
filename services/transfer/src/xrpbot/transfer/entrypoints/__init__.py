"""Transfer entry points: RabbitMQ consumers."""
