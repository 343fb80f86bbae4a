"""The audit's rules (pure): what users were shown against what the ledger holds.

Judged only from outside the services: each chat as the user sees it now (the Telegram stand-in's
control API) and the ledger's validated Payments (`account_tx`), plus what the load itself did
(which quote messages it confirmed). Never the services' tables.

Rules (issue "Every message true under crashes"):
- a confirmed quote's message ends showing its one true final outcome: "✅ Sent" iff its payment
  is validated on the ledger, "not sent" iff it is not (`stale_outcome`, `sent_not_on_ledger`,
  `false_not_sent`);
- ledger payments = "Sent" outcomes: a payment no message claims by its hash is a second
  payment of a confirmed quote (`doubled_payment`: same sender, recipient and amount) or one
  no message shows (`payment_not_shown_sent`);
- every incoming payment is alerted exactly once (`alert_missing`, `alert_doubled`,
  `alert_without_payment`);
- no placeholder is left (`placeholder_left`; a confirmed quote's message is judged by the
  first rule only); no dead letter (`dead_letter`); every service ready (`not_ready`).

Each fact is counted once: a stale quote message whose earlier version named its (validated)
payment is a `stale_outcome` with that `ledger_tx`, not also a `payment_not_shown_sent`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from xrpbot.sandbox.tools.telegram_control import BotMessage

__all__ = [
    "PLACEHOLDERS",
    "AuditInput",
    "ConfirmedQuote",
    "LedgerPayment",
    "Violation",
    "audit",
    "message_outcome",
    "message_tx_hashes",
]

PLACEHOLDERS: Final = (
    "Checking your payment…",
    "⏳ Sending…",
    "Cancelling…",
    "Creating your wallet…",
    "Checking your balance…",
    "Loading your payments…",
    "Getting your address…",
    "⚙️ Opening your settings…",
    "Fetching the XRP price…",
)
"""The gateway's English placeholders (render/texts): a message must not end as one of them."""

_HASH: Final = re.compile(r"\b[0-9A-F]{64}\b")
_SHORT_HASH: Final = re.compile(r"\b([0-9A-F]{8})…")
_ALERT: Final = "📥 You received"


@dataclass(frozen=True)
class ConfirmedQuote:
    """A quote message the load confirmed (pressed Confirm under).

    Attributes:
        user_id: the sender's Telegram id (== their private chat id).
        message_id: the quote's message in that chat.
        sender: the sender's classic address.
        destination: the recipient's classic address.
        amount_drops: the quoted amount, in drops (read from the quote's text).
        pressed_twice: Confirm was pressed twice.
        fiat: the quote was asked in fiat (`/send 5 USD @x`).
    """

    user_id: int
    message_id: int
    sender: str
    destination: str
    amount_drops: int
    pressed_twice: bool = False
    fiat: bool = False


@dataclass(frozen=True)
class LedgerPayment:
    """A Payment in a validated ledger (from `account_tx`).

    Attributes:
        tx_hash: the transaction's hash (64 hex, upper case).
        account: the sender's address.
        destination: the recipient's address.
        delivered_drops: `meta.delivered_amount` in drops (0 when not XRP or not delivered).
        result: `meta.TransactionResult` ("tesSUCCESS", "tec…").
    """

    tx_hash: str
    account: str
    destination: str
    delivered_drops: int
    result: str


@dataclass(frozen=True)
class Violation:
    """One broken rule, with what shows it (chat, message, hash, texts)."""

    kind: str
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The violation as a JSON object."""
        return asdict(self)


@dataclass(frozen=True)
class AuditInput:
    """Everything the audit looks at.

    Attributes:
        chats: Telegram user id → the bot's messages in their private chat, as they stand now.
        addresses: Telegram user id → their bot wallet's address (read from /wallet).
        confirmed: every quote the load confirmed.
        ledger: every validated Payment that touches a bot user's address (deduplicated by hash).
        outside_senders: addresses outside the bot whose payments are part of the load.
        dead_letters: dead-letter queue → messages in it.
        dead_letter_samples: dead-letter queue → what its first messages were (routing key,
            reason), shown as the violation's evidence.
        readiness: service instance → its /readyz HTTP status (0: no answer).
    """

    chats: Mapping[int, list[BotMessage]]
    addresses: Mapping[int, str]
    confirmed: list[ConfirmedQuote]
    ledger: list[LedgerPayment]
    outside_senders: frozenset[str]
    dead_letters: Mapping[str, int] = field(default_factory=dict)
    dead_letter_samples: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    readiness: Mapping[str, int] = field(default_factory=dict)


def message_tx_hashes(message: BotMessage) -> set[str]:
    """Transaction hashes a message names: full hashes in its buttons' URLs (the explorer link),
    else the 8-hex prefixes its text shows ("ABCDEF12…")."""
    full = {h for row in message.buttons for _, data in row for h in _HASH.findall(data.upper())}
    return full or set(_SHORT_HASH.findall(message.text))


def message_outcome(message: BotMessage | None) -> str:
    """What a confirmed quote's message shows now.

    Returns:
        "sent" ("✅ Sent …"), "not_sent" ("… — not sent", or "nothing was sent": the quote
        expired before the Confirm was handled, or was cancelled), or the stale state it shows:
        "quote" (the quote again, with its Confirm button), "already_confirmed" (the
        double-press notice), "pending" ("⏳ Sending…" or submitted), "missing" (deleted or
        never seen), "other".
    """
    if message is None:
        return "missing"
    text = message.text
    if text.startswith("✅ Sent"):
        return "sent"
    if "not sent" in text or "nothing was sent" in text:  # failed, expired, cancelled
        return "not_sent"
    if "already confirmed" in text:
        return "already_confirmed"
    if text.startswith("⏳"):
        return "pending"
    if "Please check your payment" in text or any(
        "Confirm" in label for row in message.buttons for label, _ in row
    ):
        return "quote"
    return "other"


def _matches(hashes: set[str], tx_hash: str) -> bool:
    return any(tx_hash == h or tx_hash.startswith(h) for h in hashes)


def _quote_rules(data: AuditInput, ledger: list[LedgerPayment]) -> list[Violation]:
    found: list[Violation] = []
    by_id = {uid: {m.message_id: m for m in messages} for uid, messages in data.chats.items()}
    claimed: set[str] = set()
    not_sent: list[ConfirmedQuote] = []
    for quote in data.confirmed:
        message = by_id.get(quote.user_id, {}).get(quote.message_id)
        outcome = message_outcome(message)
        where = {"chat_id": quote.user_id, "message_id": quote.message_id}
        text = message.text if message else ""
        if outcome == "sent" and message is not None:
            hashes = message_tx_hashes(message)
            hit = [p for p in ledger if p.account == quote.sender and _matches(hashes, p.tx_hash)]
            if not hit:
                found.append(
                    Violation(
                        "sent_not_on_ledger",
                        "the message says Sent but the ledger has no such payment",
                        {**where, "text": text, "hashes": sorted(hashes)},
                    )
                )
            claimed.update(p.tx_hash for p in hit)
        elif outcome == "not_sent":
            not_sent.append(quote)
        else:
            # the payment a stale message once named (its earlier versions): judged here, so the
            # ledger side below does not count the same payment again
            named = (
                {h for e in message.edits for h in _SHORT_HASH.findall(e)} if message else set()
            )
            hit = [p for p in ledger if p.account == quote.sender and _matches(named, p.tx_hash)]
            claimed.update(p.tx_hash for p in hit)
            found.append(
                Violation(
                    "stale_outcome",
                    f"a confirmed quote's message ends showing {outcome!r}",
                    {
                        **where,
                        "shows": outcome,
                        "text": text,
                        "ledger_tx": hit[0].tx_hash if hit else None,
                        "was_shown_sent": any(e.startswith("✅ Sent") for e in message.edits)
                        if message
                        else False,
                        "edits": message.edits[-4:] if message else [],
                    },
                )
            )
    # every validated payment no message claims (by its hash) is one of three things
    unclaimed = [p for p in ledger if p.tx_hash not in claimed]
    for quote in not_sent:
        key = (quote.sender, quote.destination, quote.amount_drops)
        twin = next(
            (p for p in unclaimed if (p.account, p.destination, p.delivered_drops) == key), None
        )
        if twin is not None:
            unclaimed.remove(twin)
            found.append(
                Violation(
                    "false_not_sent",
                    "the message says not sent but the ledger holds the payment",
                    {
                        "chat_id": quote.user_id,
                        "message_id": quote.message_id,
                        "tx_hash": twin.tx_hash,
                    },
                )
            )
    quoted = Counter((q.sender, q.destination, q.amount_drops) for q in data.confirmed)
    paid = Counter(
        (p.account, p.destination, p.delivered_drops) for p in ledger if p not in unclaimed
    )
    for p in unclaimed:
        key = (p.account, p.destination, p.delivered_drops)
        evidence = {"tx_hash": p.tx_hash, "sender": p.account, "destination": p.destination}
        paid[key] += 1
        if quoted.get(key, 0) and paid[key] > quoted[key]:
            # every confirmed quote of this sender, recipient and amount has its payment already
            found.append(
                Violation(
                    "doubled_payment",
                    "a second validated payment for a confirmed quote",
                    {**evidence, "drops": p.delivered_drops, "quotes": quoted[key]},
                )
            )
        else:
            found.append(
                Violation(
                    "payment_not_shown_sent",
                    "a validated payment from a bot user that no message shows as Sent",
                    {**evidence, "drops": p.delivered_drops},
                )
            )
    return found


def _alert_rules(data: AuditInput, incoming: Iterable[LedgerPayment]) -> list[Violation]:
    found: list[Violation] = []
    owner = {address: uid for uid, address in data.addresses.items()}
    shown: dict[int, list[tuple[int, set[str]]]] = defaultdict(list)
    for uid, messages in data.chats.items():
        for m in messages:
            if m.text.startswith(_ALERT):
                shown[uid].append((m.message_id, message_tx_hashes(m)))
    accounted: set[tuple[int, int]] = set()
    for payment in incoming:
        uid = owner[payment.destination]
        alerts = [mid for mid, hashes in shown[uid] if _matches(hashes, payment.tx_hash)]
        accounted.update((uid, mid) for mid in alerts)
        evidence = {"chat_id": uid, "tx_hash": payment.tx_hash, "messages": alerts}
        if not alerts:
            found.append(
                Violation("alert_missing", "an incoming payment was never alerted", evidence)
            )
        elif len(alerts) > 1:
            found.append(Violation("alert_doubled", f"alerted {len(alerts)} times", evidence))
    for uid, shown_alerts in sorted(shown.items()):
        for mid, hashes in shown_alerts:
            if (uid, mid) not in accounted:
                found.append(
                    Violation(
                        "alert_without_payment",
                        "an alert names no validated incoming payment",
                        {"chat_id": uid, "message_id": mid, "hashes": sorted(hashes)},
                    )
                )
    return found


def audit(data: AuditInput) -> list[Violation]:
    """Every violation of the rules in this module's docstring, grouped by rule.

    Only successful (tesSUCCESS) payments count as sent. Incoming payments are those to a bot
    user from another bot user or from `outside_senders` (the faucet's funding is not load).
    """
    ledger = list({p.tx_hash: p for p in data.ledger if p.result == "tesSUCCESS"}.values())
    users = set(data.addresses.values())
    outgoing = [p for p in ledger if p.account in users]
    incoming = [
        p
        for p in ledger
        if p.destination in users and (p.account in users or p.account in data.outside_senders)
    ]
    found = _quote_rules(data, outgoing)
    found += _alert_rules(data, incoming)
    quotes = {(q.user_id, q.message_id) for q in data.confirmed}  # judged by the quote rules
    for uid, messages in sorted(data.chats.items()):
        found.extend(
            Violation(
                "placeholder_left",
                "a message still shows a placeholder",
                {
                    "chat_id": uid,
                    "message_id": m.message_id,
                    "text": m.text,
                    "edits": m.edits[-3:],
                },
            )
            for m in messages
            if m.text.strip() in PLACEHOLDERS and (uid, m.message_id) not in quotes
        )
    found.extend(
        Violation(
            "dead_letter",
            f"{count} message(s) in {queue}",
            {"queue": queue, "count": count, "first": data.dead_letter_samples.get(queue, [])},
        )
        for queue, count in sorted(data.dead_letters.items())
        if count
    )
    found.extend(
        Violation(
            "not_ready", f"/readyz answered {code or 'nothing'}", {"service": name, "status": code}
        )
        for name, code in sorted(data.readiness.items())
        if code != 200
    )
    return found
