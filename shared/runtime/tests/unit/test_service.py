"""What a Service prunes: the runtime's tables after RETENTION_DAYS, then the service's own rules."""

from __future__ import annotations

from pathlib import Path

from faststream.rabbit import RabbitBroker

from xrpbot.runtime.retention import RetentionRule
from xrpbot.runtime.service import Service
from xrpbot.runtime.settings import ServiceSettings


def test_a_service_prunes_inbox_outbox_and_its_own_tables(tmp_path: Path) -> None:
    own = RetentionRule("requests", "created_at", 60.0, where="state = 'refused'")
    settings = ServiceSettings(http_port=1, retention_days=3)
    service = Service("svc", settings, RabbitBroker(logger=None), tmp_path, retention=[own])
    assert [(r.table, r.column, r.keep_s) for r in service.retention] == [
        ("inbox", "processed_at", 3 * 86400.0),
        ("outbox", "published_at", 3 * 86400.0),
        ("requests", "created_at", 60.0),
    ]
    assert service.pruner is None, "the pruner starts with the service, not before"
