"""Pricing entry points: RabbitMQ consumers."""
