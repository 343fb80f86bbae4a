"""The seeded fault schedule (pure): which fault happens when, reproducible from the seed alone.

The same (seed, load seconds, targets) always gives the same list, so a printed seed replays a
run's faults (their effects still depend on timing: the system is real).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import Any, Final

__all__ = ["FAULT_KINDS", "Fault", "fault_schedule"]

FAULT_KINDS: Final = (
    "sigkill",  # a service process killed with SIGKILL, then started again
    "sigterm",  # a service process stopped with SIGTERM (graceful), then started again
    "rabbitmq_bounce",  # rabbitmqctl stop_app, hold, start_app
    "postgres_crash",  # pg_ctl restart -m immediate
    "sandbox_freeze",  # SIGSTOP the sandbox (Telegram and the ledger hang), hold, SIGCONT
    "ledger_refuse",  # the XRPL stand-in answers 503 "Server is overloaded" to the next N calls
    "ledger_hold",  # the XRPL stand-in holds the next N calls T seconds
    "telegram_5xx",  # the Telegram stand-in answers the next N Bot API calls 500/502
    "telegram_429",  # the Telegram stand-in answers the next N Bot API calls 429 retry_after
)
"""Every kind of fault the chaos run injects."""

_PROCESS_KINDS: Final = ("sigkill", "sigterm")


@dataclass(frozen=True)
class Fault:
    """One scheduled fault.

    Attributes:
        at_s: seconds after the load starts.
        kind: one of `FAULT_KINDS`.
        target: the service instance for sigkill/sigterm ("transfer-2"); "" otherwise.
        hold_s: seconds the fault lasts (freeze, broker down, held calls; 0 when instant).
        count: calls affected (ledger_refuse, ledger_hold, telegram_5xx, telegram_429; else 0).
    """

    at_s: float
    kind: str
    target: str = ""
    hold_s: float = 0.0
    count: int = 0

    def as_json(self) -> dict[str, Any]:
        """The fault as a JSON object (the report's `faults`)."""
        return asdict(self)

    def describe(self) -> str:
        """One line: "12.3 s sigkill transfer-2"."""
        extra = [self.target] if self.target else []
        if self.hold_s:
            extra.append(f"{self.hold_s:g} s")
        if self.count:
            extra.append(f"{self.count} calls")
        return f"{self.at_s:6.1f} s {self.kind} {' '.join(extra)}".rstrip()


def _one(rng: random.Random, kind: str, at_s: float, targets: list[str]) -> Fault:
    match kind:
        case "sigkill" | "sigterm":
            return Fault(round(at_s, 1), kind, target=rng.choice(targets))
        case "rabbitmq_bounce":
            return Fault(round(at_s, 1), kind, hold_s=round(rng.uniform(2, 6), 1))
        case "sandbox_freeze":
            return Fault(round(at_s, 1), kind, hold_s=round(rng.uniform(2, 5), 1))
        case "ledger_refuse":
            return Fault(round(at_s, 1), kind, count=rng.randint(3, 15))
        case "ledger_hold":
            return Fault(
                round(at_s, 1), kind, hold_s=round(rng.uniform(3, 12), 1), count=rng.randint(2, 8)
            )
        case "telegram_5xx" | "telegram_429":
            return Fault(round(at_s, 1), kind, count=rng.randint(2, 10))
        case _:
            return Fault(round(at_s, 1), kind)


def fault_schedule(
    seed: int, load_s: float, targets: list[str], *, mean_gap_s: float = 8.0
) -> list[Fault]:
    """Faults for a load of `load_s` seconds, in time order.

    The first comes after 5 s (the users are set up by then) and none in the last 3 s; gaps are
    exponential with mean `mean_gap_s`. Every kind appears at least once when the load is long
    enough to hold one of each (the schedule is then shuffled in time), so a long run covers
    everything; a short one draws kinds at random, process faults twice as often.

    Args:
        seed: the run's seed (printed at start; `--seed` replays it).
        load_s: seconds of load.
        targets: service instances that may be signalled ("gateway-1", "wallet", …).
        mean_gap_s: mean seconds between two faults.
    Returns:
        The faults, `at_s` ascending; empty when `load_s` < 8.
    Raises:
        ValueError: `targets` is empty or `mean_gap_s` is not positive.
    """
    if not targets or mean_gap_s <= 0:
        raise ValueError("targets must not be empty and mean_gap_s must be positive")
    rng = random.Random(seed)
    times: list[float] = []
    at = 5.0 + rng.expovariate(1 / mean_gap_s) / 2
    while at < load_s - 3:
        times.append(at)
        at += max(1.5, rng.expovariate(1 / mean_gap_s))
    weighted = [*FAULT_KINDS, *_PROCESS_KINDS]
    if len(times) >= len(FAULT_KINDS):
        kinds = list(FAULT_KINDS) + [rng.choice(weighted) for _ in times[len(FAULT_KINDS) :]]
        rng.shuffle(kinds)
    else:
        kinds = [rng.choice(weighted) for _ in times]
    return [
        _one(rng, kind, at_s, sorted(targets)) for kind, at_s in zip(kinds, times, strict=True)
    ]
