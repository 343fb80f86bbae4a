"""Wallet entry points: RabbitMQ consumers."""
