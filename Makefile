# xrpbot developer commands. Targets stay thin so people and CI (.ci/run) run the same thing.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
RUN := $(UV) run --all-packages --frozen

.PHONY: help install run up down status demo chat test test-unit test-integration lint fmt migrate docs docs-check test-deploy bench bench-quick chaos chaos-quick i18n

help:
	@echo "make run     the whole system in the foreground (sandbox stand-ins unless configured)"
	@echo "make up/down the same in the background (logs and pids under .run/) / stop it"
	@echo "make demo    scripted conversation of two users; prints the transcript"
	@echo "make chat    chat with the bot in the terminal as a sandbox user"
	@echo "make test    every test, unit and integration (local RabbitMQ + Postgres)"
	@echo "make lint    ruff + mypy"
	@echo "make docs    regenerate the AsyncAPI documents (docs/asyncapi/) after changing handlers"
	@echo "make i18n    extract the bot's messages into the catalogs (gateway locales/) and list what lacks a translation"
	@echo "make test-deploy  offline validation of Dockerfiles, compose and Kubernetes manifests"
	@echo "make bench   end-to-end latency/throughput vs the bare RabbitMQ round trip; report in .bench/ and docs/benchmarks.md"
	@echo "make bench-quick  the same, short (under 2 minutes), report in .bench/ only"
	@echo "make chaos   10 users, two gateways and two transfers, 150 s of seeded faults, then an audit of the chat and the ledger; report in .chaos/"
	@echo "make chaos-quick  the same with 4 users and 40 s of load (under 3 minutes)"

# idempotent: installs uv if missing, then the locked environment
install:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user uv
	@$(UV) sync --all-packages --frozen --quiet

run: install
	@$(RUN) python -m xrpbot.sandbox.tools.stack run

up: install
	@$(RUN) python -m xrpbot.sandbox.tools.stack up

down:
	@$(RUN) python -m xrpbot.sandbox.tools.stack down

status:
	@$(RUN) python -m xrpbot.sandbox.tools.stack status

migrate: install
	@for s in wallet transfer pricing gateway; do $(RUN) python -m xrpbot.$$s migrate || exit 1; done

demo: install
	@$(RUN) python -m xrpbot.sandbox.tools.demo

chat: install
	@$(RUN) python -m xrpbot.sandbox.tools.chat

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

# the event contract: every service's AsyncAPI document (run after changing handlers or schemas)
docs: install
	@$(RUN) python scripts/asyncapi.py

docs-check: install
	@$(RUN) python scripts/asyncapi.py --check

# the bot's languages: extract every _()/ngettext() message of the gateway into the
# template, merge it into each locales/<lang>/LC_MESSAGES/messages.po (new messages empty,
# changed ones fuzzy, removed ones dropped), then run the catalog test, which lists what still
# needs a translator. No .mo files: the gateway compiles the .po files in memory at start-up.
# A new language: see services/gateway/README.md ("Languages").
GATEWAY_LOCALES := src/xrpbot/gateway/render/locales
i18n: install
	@cd services/gateway && $(RUN) pybabel -q extract -F babel.cfg --add-location=file \
		-c TRANSLATORS: --project=xrpbot-gateway --version=0.1.0 \
		--copyright-holder="the xrpbot authors" -o $(GATEWAY_LOCALES)/messages.pot .
	@cd services/gateway && $(RUN) pybabel update -i $(GATEWAY_LOCALES)/messages.pot \
		-d $(GATEWAY_LOCALES) -D messages --ignore-obsolete --ignore-pot-creation-date
	@$(RUN) pytest -q services/gateway/tests/unit/render/test_catalogs.py

# offline validation of the deployment files (also part of `make test`)
test-deploy: install
	@$(RUN) pytest -q tests/deploy

# performance: own vhost, database and ports (XRPBOT_BENCH_PORT_OFFSET); never asserts timings,
# fails only when a reply is lost. BENCH_ARGS e.g. --label "clean run" --users 500
bench: install
	@$(RUN) python -m xrpbot.bench --docs $(BENCH_ARGS)

bench-quick: install
	@$(RUN) python -m xrpbot.bench --quick $(BENCH_ARGS)

# the whole system under a seeded fault schedule, on its own PostgreSQL and RabbitMQ (.chaos/);
# CHAOS_ARGS e.g. "--seed 1234 --users 6"; ports shift with XRPBOT_CHAOS_PORT_OFFSET
chaos: install
	@$(RUN) python -m xrpbot.chaos $(CHAOS_ARGS)

chaos-quick: install
	@$(RUN) python -m xrpbot.chaos --quick $(CHAOS_ARGS)
