"""`python -m xrpbot.<service> [serve|migrate]`: the one entry point of every service."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from .db import TRANSIENT_DB_ERRORS, ensure_database
from .logs import setup_logging
from .migrations import Migrations
from .service import Service
from .settings import ServiceSettings
from .tracing import setup_tracing, shutdown_tracing

__all__ = ["load_settings", "run_cli"]

S = TypeVar("S", bound=ServiceSettings)


def load_settings(settings_cls: type[S]) -> S:
    """Read settings from the environment; on error print which variables and exit 2.

    The values themselves are never printed: one of them may be a secret.
    """
    try:
        return settings_cls()
    except ValidationError as err:
        lines = [
            f"  {'.'.join(str(p) for p in e['loc']).upper() or 'configuration'}: {e['msg']}"
            for e in err.errors()
        ]
        sys.stderr.write(
            f"{settings_cls.__name__}: invalid configuration\n" + "\n".join(lines) + "\n"
        )
        raise SystemExit(2) from None


def run_cli(
    name: str,
    settings_cls: type[S],
    build: Callable[[S], Service],
    migrations_dir: Path,
    argv: Sequence[str] | None = None,
) -> None:
    """Parse the command line and run the service (`serve`, the default) or its migrations."""
    parser = argparse.ArgumentParser(prog=f"python -m xrpbot.{name}")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate"])
    args = parser.parse_args(argv)
    settings = load_settings(settings_cls)
    setup_logging(name, settings.log_level, settings.log_format)
    setup_tracing(name)
    if args.command == "migrate":
        try:
            asyncio.run(ensure_database(settings.database_url))
            Migrations(settings.database_url, name, migrations_dir).apply()
        except (*TRANSIENT_DB_ERRORS,) as exc:
            sys.stderr.write(f"{name}: cannot reach Postgres: {type(exc).__name__}\n")
            raise SystemExit(1) from None
        return
    try:
        build(settings).serve()
    finally:
        shutdown_tracing()
