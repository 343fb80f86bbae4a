"""Deterministic ids for a Telegram update, so a retried update carries the same ids.

Telegram re-sends an update until the webhook answers 2xx (or until getUpdates confirms it
with a higher offset), always with the same `update_id`
(https://core.telegram.org/bots/api#getting-updates). Deriving the command's correlation_id
and event_id from `(bot id, update_id)` makes every retry produce the very same command.
"""

from __future__ import annotations

from uuid import UUID, uuid5

__all__ = ["UPDATE_NAMESPACE", "command_event_id", "correlation_id_for"]

UPDATE_NAMESPACE = UUID("5b0f6f0e-3c64-4f63-9a43-4a3c1b1f7a11")
"""Fixed uuid5 namespace of xrpbot's Telegram updates. Never change it."""


def correlation_id_for(bot_id: int, update_id: int) -> UUID:
    """`uuid5(UPDATE_NAMESPACE, "<bot_id>:<update_id>")`: ties a reply to the update that caused it."""
    return uuid5(UPDATE_NAMESPACE, f"{bot_id}:{update_id}")


def command_event_id(correlation_id: UUID, kind: str) -> UUID:
    """The event_id of the command of kind `kind` caused by an update: `uuid5(correlation_id, kind)`."""
    return uuid5(correlation_id, kind)
