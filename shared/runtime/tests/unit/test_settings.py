"""The settings every service reads: RETENTION_DAYS."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from xrpbot.runtime.settings import ServiceSettings


def test_retention_is_a_week_by_default() -> None:
    settings = ServiceSettings(http_port=1)
    assert settings.retention_days == 7
    assert settings.retention_seconds == 7 * 86400.0


def test_retention_days_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert ServiceSettings(http_port=1).retention_seconds == 30 * 86400.0


@pytest.mark.parametrize("days", ["0", "-1", "3651", "1.5"])
def test_retention_days_out_of_range_fail_at_start(
    monkeypatch: pytest.MonkeyPatch, days: str
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", days)
    with pytest.raises(ValidationError, match="retention_days"):
        ServiceSettings(http_port=1)
