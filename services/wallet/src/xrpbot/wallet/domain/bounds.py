"""The bounds wallet puts on every signature, whoever asks. Pure: no I/O.

A custodial wallet must not trust the service that prepares payments: a compromised transfer
(or anything that can reach wallet's queue) could otherwise drain every account. So, besides
the shape rules of `domain.signing`, wallet caps the fee and each user's outgoing total over a
rolling 24 hours, and accepts only requests authenticated by transfer within a short window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "DAY",
    "DailyLimit",
    "FeeTooHigh",
    "LimitAboveDefault",
    "LimitExceeded",
    "SigningBounds",
    "StaleRequest",
    "check_daily_limit",
    "check_fee",
    "check_freshness",
]

DAY = timedelta(hours=24)
"""The rolling window of the daily limit."""


class FeeTooHigh(ValueError):
    """The transaction's Fee is above the cap (drops)."""


class StaleRequest(ValueError):
    """The request was issued outside the validity window (too old, or from the future)."""


class LimitExceeded(ValueError):
    """The payment would exceed the user's 24-hour limit.

    Attributes:
        remaining_drops: what the user may still send in the current window (drops, ≥ 0).
    """

    def __init__(self, remaining_drops: int) -> None:
        super().__init__(f"over the daily limit; {remaining_drops} drops remain")
        self.remaining_drops = remaining_drops


class LimitAboveDefault(ValueError):
    """A user asked for an own daily limit above the default: they may only lower theirs."""


@dataclass(frozen=True)
class DailyLimit:
    """The daily limit that applies to one user, and what is left of it (all drops).

    Attributes:
        limit_drops: the limit in force (`SigningBounds.limit_for`).
        default_drops: WALLET_DAILY_LIMIT_DROPS, the highest a user may choose.
        own: the user's own limit is the one in force.
        sent_today_drops: what was signed for the user in the last 24 hours.
    """

    limit_drops: int
    default_drops: int
    own: bool
    sent_today_drops: int

    @property
    def remaining_drops(self) -> int:
        """What the user may still send in the current window (≥ 0; a lowered limit may be
        below what was already sent)."""
        return max(0, self.limit_drops - self.sent_today_drops)


@dataclass(frozen=True)
class SigningBounds:
    """Wallet's limits (from its settings).

    Attributes:
        max_fee_drops: the highest Fee wallet signs (WALLET_MAX_FEE_DROPS).
        daily_limit_drops: the most a user may send in 24 hours (WALLET_DAILY_LIMIT_DROPS);
            a user's own lower limit applies when set.
        request_max_age_seconds: how old a signing request may be (clock skew allowed both ways).
    """

    max_fee_drops: int = 1000
    daily_limit_drops: int = 10_000 * 1_000_000
    request_max_age_seconds: float = 60.0

    def limit_for(self, own_limit_drops: int | None) -> int:
        """The limit that applies to a user: their own when lower, never above the default."""
        if own_limit_drops is None:
            return self.daily_limit_drops
        return min(own_limit_drops, self.daily_limit_drops)

    def own_limit(self, requested_drops: int | None) -> int | None:
        """The own limit to store for a user's request: `requested_drops`, or None (back to
        the default).

        Raises:
            LimitAboveDefault: `requested_drops` is above `daily_limit_drops`; a request is
                refused rather than clamped, so that nobody is told a limit was stored that
                was not: a user may lower their own limit, never raise it above the default.
        """
        if requested_drops is not None and requested_drops > self.daily_limit_drops:
            raise LimitAboveDefault(
                f"{requested_drops} drops is above the default of {self.daily_limit_drops}"
            )
        return requested_drops

    def daily_limit(self, own_limit_drops: int | None, sent_today_drops: int) -> DailyLimit:
        """The limit in force for a user with `own_limit_drops` (None: never set) who sent
        `sent_today_drops` in the last 24 hours. An own limit above the default (the default
        was lowered since) is not in force."""
        limit = self.limit_for(own_limit_drops)
        own = own_limit_drops is not None and own_limit_drops <= self.daily_limit_drops
        return DailyLimit(limit, self.daily_limit_drops, own, sent_today_drops)


def check_fee(fee_drops: int, bounds: SigningBounds) -> None:
    """Raises FeeTooHigh when `fee_drops` is above `bounds.max_fee_drops`."""
    if fee_drops > bounds.max_fee_drops:
        raise FeeTooHigh(f"Fee {fee_drops} drops is above the cap of {bounds.max_fee_drops}")


def check_freshness(issued_at: datetime, now: datetime, bounds: SigningBounds) -> None:
    """Raises StaleRequest unless `issued_at` is within `request_max_age_seconds` of `now`."""
    if abs((now - issued_at).total_seconds()) > bounds.request_max_age_seconds:
        raise StaleRequest("the signing request is outside its validity window")


def check_daily_limit(amount_drops: int, sent_today_drops: int, limit_drops: int) -> None:
    """Raises LimitExceeded when `sent_today_drops + amount_drops` is above `limit_drops`.

    Args:
        amount_drops: this payment's Amount (drops).
        sent_today_drops: what the user's other transfers signed in the last 24 hours add up to.
        limit_drops: the limit that applies (`SigningBounds.limit_for`).
    """
    if sent_today_drops + amount_drops > limit_drops:
        raise LimitExceeded(max(0, limit_drops - sent_today_drops))
