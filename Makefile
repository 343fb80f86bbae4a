# xrpbot developer commands. Targets stay thin so people and CI (.ci/run) run the same thing.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
RUN := $(UV) run --all-packages --frozen

.PHONY: help install run up down status demo chat test test-unit test-integration lint fmt migrate

help:
	@echo "make run     the whole system in the foreground (sandbox stand-ins unless configured)"
	@echo "make up/down the same in the background (logs and pids under .run/) / stop it"
	@echo "make demo    scripted conversation of two users; prints the transcript"
	@echo "make chat    chat with the bot in the terminal as a sandbox user"
	@echo "make test    every test, unit and integration (local RabbitMQ + Postgres)"
	@echo "make lint    ruff + mypy"

# idempotent: installs uv if missing, then the locked environment
install:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user uv
	@$(UV) sync --all-packages --frozen --quiet

run: install
	@$(RUN) python -m xrpbot.sandbox.stack run

up: install
	@$(RUN) python -m xrpbot.sandbox.stack up

down:
	@$(RUN) python -m xrpbot.sandbox.stack down

status:
	@$(RUN) python -m xrpbot.sandbox.stack status

migrate: install
	@for s in wallet transfer pricing gateway; do $(RUN) python -m xrpbot.$$s migrate || exit 1; done

demo: install
	@$(RUN) python -m xrpbot.sandbox.demo

chat: install
	@$(RUN) python -m xrpbot.sandbox.chat

test: install
	@$(RUN) pytest -q

test-unit: install
	@$(RUN) pytest -q -m "not integration"

test-integration: install
	@$(RUN) pytest -q -m integration

lint: install
	@$(RUN) ruff format --check .
	@$(RUN) ruff check .
	@$(RUN) mypy

fmt: install
	@$(RUN) ruff format .
	@$(RUN) ruff check --fix .
