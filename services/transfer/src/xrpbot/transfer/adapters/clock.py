"""The system clock (`ports.Clock`)."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["SystemClock"]


class SystemClock:
    """The machine's time, tz-aware UTC."""

    def now(self) -> datetime:
        """Now, UTC."""
        return datetime.now(UTC)
