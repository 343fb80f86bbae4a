"""Readiness follows the dependencies: RabbitMQ or Postgres down → every /readyz 503; back → 200,
without restarting any service, and the bot answers again."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from typing import Any
from urllib.parse import urlsplit

import pytest

from xrpbot.sandbox.tools.stack import Stack
from xrpbot.sandbox.tools.telegram_control import TelegramSandbox

pytestmark = pytest.mark.integration


def _wait(stack: Stack, want: int, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while True:
        status = stack.readiness()
        if all(code == want for code in status.values()):
            return status
        if time.monotonic() > deadline:
            pytest.fail(f"/readyz did not all become {want} in {timeout:.0f} s: {status}")
        time.sleep(0.5)


def _local(url: str) -> bool:
    return urlsplit(url).hostname in {"127.0.0.1", "localhost"}


def _pids(stack: Stack) -> dict[str, int]:
    return {name: proc.pid for name, proc in stack.procs.items() if proc.poll() is None}


def _answers(telegram: TelegramSandbox, user: Any) -> None:
    seen = len(telegram.messages(user.chat_id))
    telegram.send(user, "/balance")
    telegram.wait_for(
        user.chat_id, lambda ms: len(ms) > seen and "/wallet" in ms[-1].text, timeout=60
    )


def test_rabbitmq_outage(ready: Stack, telegram: TelegramSandbox, new_user: Any) -> None:
    if not (_local(ready.env["RABBITMQ_URL"]) and shutil.which("rabbitmqctl")):
        pytest.skip("needs the local RabbitMQ to stop and start it") if not os.getenv(
            "CI"
        ) else None
    pids = _pids(ready)
    subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True, timeout=120)
    try:
        _wait(ready, 503, 30)
    finally:
        subprocess.run(["rabbitmqctl", "-q", "start_app"], check=True, timeout=120)
    _wait(ready, 200, 120)
    assert _pids(ready) == pids, "no service may restart"
    _answers(telegram, new_user("Ursula"))


def test_postgres_outage(ready: Stack, telegram: TelegramSandbox, new_user: Any) -> None:
    if not (_local(ready.env["DATABASE_URL"]) and shutil.which("pg_ctlcluster")):
        pytest.skip("needs the local Postgres to stop and start it") if not os.getenv(
            "CI"
        ) else None
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    pids = _pids(ready)
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"],
        check=True,
        timeout=60,
    )
    try:
        _wait(ready, 503, 30)
    finally:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=True,
            timeout=60,
        )
    _wait(ready, 200, 120)
    assert _pids(ready) == pids, "no service may restart"
    _answers(telegram, new_user("Victor"))
