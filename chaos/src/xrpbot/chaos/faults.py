"""Injecting the scheduled faults into the running system (the adapter side of `schedule`).

Each fault runs in its own thread so a slow one (a SIGTERM'd service draining, a frozen sandbox)
never delays the next; a process fault always ends with the process started again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from .schedule import Fault
from .system import ChaosSystem

__all__ = ["FaultInjector"]


@dataclass
class FaultInjector:
    """Applies faults to `system`; `done` counts the applied ones by kind, `errors` what failed."""

    system: ChaosSystem
    done: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    _threads: list[threading.Thread] = field(default_factory=list)
    _locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def run(
        self, schedule: list[Fault], started: float, deadline: float, log: bool = True
    ) -> None:
        """Apply `schedule` (times relative to `started`, time.monotonic()) until `deadline`."""
        for fault in schedule:
            at = started + fault.at_s
            if at >= deadline:
                break
            time.sleep(max(0.0, at - time.monotonic()))
            if log:
                print(f"  fault {fault.describe()}", flush=True)
            thread = threading.Thread(
                target=self._apply, args=(fault,), name=f"fault-{fault.kind}"
            )
            thread.start()
            self._threads.append(thread)

    def join(self, timeout: float = 60.0) -> None:
        """Wait for every fault to end (processes restarted, freezes lifted)."""
        end = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.1, end - time.monotonic()))

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _apply(self, fault: Fault) -> None:
        try:
            with self._lock(fault.target or fault.kind):
                self._inject(fault)
            with self._guard:
                self.done[fault.kind] += 1
        except Exception as err:  # recorded in the report; the run goes on
            with self._guard:
                self.errors.append(f"{fault.describe()}: {type(err).__name__}: {err}")

    def _inject(self, fault: Fault) -> None:
        system = self.system
        match fault.kind:
            case "sigkill" | "sigterm":
                self._signal_and_restart(fault.target, fault.kind == "sigkill")
            case "rabbitmq_bounce":
                system.infra.rabbit.stop_app()
                time.sleep(fault.hold_s)
                system.infra.rabbit.start_app()
            case "postgres_crash":
                system.infra.postgres.crash_restart()
            case "sandbox_freeze":
                pid = system.stack.procs["sandbox"].pid
                os.kill(pid, signal.SIGSTOP)
                try:
                    time.sleep(fault.hold_s)
                finally:
                    os.kill(pid, signal.SIGCONT)
            case "ledger_refuse":
                self._post(system.xrpl_url + "sandbox/faults", {"refuse": fault.count})
            case "ledger_hold":
                body = {"hold": fault.count, "hold_seconds": fault.hold_s}
                self._post(system.xrpl_url + "sandbox/faults", body)
            case "telegram_5xx":
                body = {"error_code": 502 if fault.count % 2 else 500, "count": fault.count}
                self._post(system.telegram_url + "/sandbox/fail", body)
            case "telegram_429":
                body = {"error_code": 429, "retry_after": 2, "count": fault.count}
                self._post(system.telegram_url + "/sandbox/fail", body)
            case _:
                raise ValueError(f"unknown fault kind {fault.kind!r}")

    @staticmethod
    def _post(url: str, body: Mapping[str, object]) -> None:
        # the sandbox may be frozen by another fault: wait it out rather than drop the fault
        httpx.post(url, json=body, timeout=20).raise_for_status()

    def _signal_and_restart(self, name: str, crash: bool) -> None:
        stack = self.system.stack
        proc = stack.procs[name]
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL if crash else signal.SIGTERM)
            try:
                proc.wait(25)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        stack.spawn(name)

    def ensure_running(self) -> list[str]:
        """Start again any service process that is not running (a fault that failed midway);
        returns their names."""
        stack = self.system.stack
        restarted = []
        for name in stack.instances():
            if stack.procs[name].poll() is not None:
                with contextlib.suppress(OSError):
                    stack.spawn(name)
                    restarted.append(name)
        return restarted
