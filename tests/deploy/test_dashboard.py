"""The Grafana dashboard is valid JSON and charts every metric the services export."""

from __future__ import annotations

import json

from prometheus_client.metrics import MetricWrapperBase

from xrpbot.gateway.adapters import metrics as gateway_metrics
from xrpbot.runtime import metrics
from xrpbot.transfer.adapters import metrics as transfer_metrics

from .conftest import ROOT


def _names(module: object, prefix: str = "xrpbot_") -> set[str]:
    return {
        m._name
        for m in vars(module).values()
        if isinstance(m, MetricWrapperBase) and m._name.startswith(prefix)
    }


def test_dashboard_charts_every_xrpbot_metric() -> None:
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "xrpbot-dashboard.json").read_text())
    assert dashboard["uid"]
    exprs = " ".join(
        t["expr"] for p in dashboard["panels"] if p["type"] != "row" for t in p["targets"]
    )
    # the runtime's, transfer's, and the gateway's outbound Bot API metrics (their own modules)
    names = (
        _names(metrics) | _names(transfer_metrics) | _names(gateway_metrics, "xrpbot_telegram_")
    )
    assert len(names) >= 13
    missing = sorted(n for n in names if n not in exprs)
    assert not missing, f"add panels for {missing} to deploy/grafana/xrpbot-dashboard.json"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
