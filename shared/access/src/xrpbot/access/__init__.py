"""Least privilege: each service's RabbitMQ user and Postgres role, their rights, and provisioning."""
