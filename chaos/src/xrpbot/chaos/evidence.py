"""What the audit looked at, kept as `.chaos/evidence-<seed>.json`, so that a run can be judged
again (`python -m xrpbot.chaos --reaudit .chaos/evidence-<seed>.json`) after the rules change."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from xrpbot.sandbox.tools.telegram_control import BotMessage

from .audit import AuditInput, ConfirmedQuote, LedgerPayment

__all__ = ["load_evidence", "save_evidence"]


def save_evidence(data: AuditInput, path: Path) -> None:
    """Write `data` as JSON (chats as the users saw them, ledger payments, confirmed quotes)."""
    raw: dict[str, Any] = {
        "chats": {str(uid): [asdict(m) for m in ms] for uid, ms in data.chats.items()},
        "addresses": {str(uid): a for uid, a in data.addresses.items()},
        "confirmed": [asdict(q) for q in data.confirmed],
        "ledger": [asdict(p) for p in data.ledger],
        "outside_senders": sorted(data.outside_senders),
        "dead_letters": dict(data.dead_letters),
        "dead_letter_samples": dict(data.dead_letter_samples),
        "readiness": dict(data.readiness),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, ensure_ascii=False) + "\n")


def _message(raw: dict[str, Any]) -> BotMessage:
    buttons = [[(str(text), str(data)) for text, data in row] for row in raw["buttons"]]
    return BotMessage(
        int(raw["message_id"]), raw["text"], buttons, bool(raw["photo"]), list(raw["edits"])
    )


def load_evidence(path: Path) -> AuditInput:
    """Read what `save_evidence` wrote.

    Raises:
        OSError, ValueError, KeyError: not such a file.
    """
    raw = json.loads(path.read_text())
    return AuditInput(
        chats={int(uid): [_message(m) for m in ms] for uid, ms in raw["chats"].items()},
        addresses={int(uid): a for uid, a in raw["addresses"].items()},
        confirmed=[ConfirmedQuote(**q) for q in raw["confirmed"]],
        ledger=[LedgerPayment(**p) for p in raw["ledger"]],
        outside_senders=frozenset(raw["outside_senders"]),
        dead_letters=raw["dead_letters"],
        dead_letter_samples=raw["dead_letter_samples"],
        readiness=raw["readiness"],
    )
