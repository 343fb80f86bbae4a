"""The services' DEAD_LETTER_MAX_LENGTH default is the broker policy's max-length."""

from __future__ import annotations

from xrpbot.access.rights import DEAD_LETTER_BOUNDS
from xrpbot.runtime.settings import DEAD_LETTER_MAX_LENGTH, ServiceSettings


def test_the_services_alert_at_the_bound_the_broker_enforces() -> None:
    assert DEAD_LETTER_BOUNDS.definition["max-length"] == DEAD_LETTER_MAX_LENGTH
    assert ServiceSettings(http_port=1).dead_letter_max_length == DEAD_LETTER_MAX_LENGTH
