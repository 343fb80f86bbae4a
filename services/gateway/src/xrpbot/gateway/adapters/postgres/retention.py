"""How long the gateway keeps its own rows: the rules its service's pruner applies beside the
inbox's and the outbox's (`xrpbot.runtime.retention`, in bounded batches, every hour)."""

from __future__ import annotations

from xrpbot.runtime.retention import RetentionRule
from xrpbot.runtime.settings import SECONDS_PER_DAY

__all__ = ["KEEP_PENDING_S", "THROTTLE_IDLE_S", "gateway_retention"]

KEEP_PENDING_S = 7.0 * SECONDS_PER_DAY
"""A reply that has not come in a week will not come: its placeholder, view and the quote
presses and /send flows of that age go."""
THROTTLE_IDLE_S = 3600.0
"""A throttle bucket idle for an hour is full anyway."""


def gateway_retention(retention_s: float) -> list[RetentionRule]:
    """The gateway's retention rules.

    - `processed_updates` and processed `webhook_updates` (`done_at`; pending ones never go):
      RETENTION_DAYS (`retention_s`). Telegram keeps an undelivered update at most 24 hours, and
      after a week without updates it may restart update_ids at a random value
      (https://core.telegram.org/bots/api#getting-updates), so claims must not live forever.
    - `pending_replies`, `reply_views`, `quote_presses` (a quote lives 2 minutes; its press
      only needs to outlive late double presses) and `fsm_states` (a flow abandoned that long
      must not read the user's next message as its answer): `KEEP_PENDING_S`.
    - `command_throttle`: `THROTTLE_IDLE_S` after the last refill.
    - `chat_messages` (the bot's queued messages): `KEEP_PENDING_S` after the last change, once
      shown or dropped (a due one is never pruned). A reply whose placeholder row was pruned
      comes as a new message.

    Args:
        retention_s: RETENTION_DAYS in seconds (`ServiceSettings.retention_seconds`).
    """
    return [
        RetentionRule("processed_updates", "processed_at", retention_s),
        RetentionRule("webhook_updates", "done_at", retention_s),
        RetentionRule("pending_replies", "created_at", KEEP_PENDING_S),
        RetentionRule("reply_views", "created_at", KEEP_PENDING_S),
        RetentionRule("quote_presses", "pressed_at", KEEP_PENDING_S),
        RetentionRule("fsm_states", "updated_at", KEEP_PENDING_S),
        RetentionRule("command_throttle", "refilled_at", THROTTLE_IDLE_S),
        RetentionRule("outgoing_senders", "seen_at", KEEP_PENDING_S),
        RetentionRule(
            "chat_messages",
            "updated_at",
            KEEP_PENDING_S,
            where="version = shown_version OR dropped IS NOT NULL",
        ),
    ]
