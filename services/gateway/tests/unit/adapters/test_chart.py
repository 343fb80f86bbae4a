"""The price chart as a PNG, drawn off the event loop."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image

from xrpbot.gateway.adapters.chart import CHART_SIZE_PX, MatplotlibCharts, draw_price_chart
from xrpbot.gateway.render.prices import price_message
from xrpbot.schemas import (
    PricePeriod,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
USER = 4242


# ---- the PNG ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "points"),
    [
        (PricePeriod.DAY, 289),
        (PricePeriod.WEEK, 169),
        (PricePeriod.MONTH, 240),
        (PricePeriod.YEAR, 2),
    ],
)
def test_chart_is_a_png_that_opens_at_the_expected_size(
    period: PricePeriod, points: int, price_reply: Callable[..., Any]
) -> None:
    chart = price_message(price_reply(period=period, points=points, stale=True)).chart
    assert chart is not None
    png = draw_price_chart(chart)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == CHART_SIZE_PX
        colors = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
        assert len(colors) > 10, "something is drawn"


async def test_charts_are_drawn_in_a_worker_process_started_again_if_it_dies(
    price_reply: Callable[..., Any],
) -> None:
    chart = price_message(price_reply()).chart
    assert chart is not None
    charts = MatplotlibCharts()
    try:
        png = await charts.draw(chart)
        (worker,) = charts._worker()._processes.values()  # the pool's one process
        assert worker.pid != os.getpid()
        worker.kill()
        worker.join()
        again = await asyncio.gather(charts.draw(chart), charts.draw(chart))
    finally:
        charts.close()
    assert png[:4] == again[0][:4] == again[1][:4] == b"\x89PNG"


# the gateway's own process: a fresh interpreter, so that this test's process (which draws
# charts itself above) says nothing about it
_GATEWAY_DRAWS_A_CHART = """
import asyncio, sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import xrpbot.gateway.app
from xrpbot.gateway.adapters.chart import MatplotlibCharts
from xrpbot.gateway.render.message import PriceChart

start = datetime(2026, 11, 21, tzinfo=UTC)
chart = PriceChart(
    title="XRP / USD", currency="USD", times=(start, start + timedelta(hours=1)),
    prices=(Decimal("2.1"), Decimal("2.2")), last_price=Decimal("2.2"), last_label="2.20",
)
charts = MatplotlibCharts()
png = asyncio.run(charts.draw(chart))
charts.close()
print(png[:4] == b"\\x89PNG", any(name.startswith("matplotlib") for name in sys.modules))
"""


def test_the_gateway_process_never_loads_matplotlib() -> None:
    run = subprocess.run(  # noqa: S603  our own interpreter on our own code
        [sys.executable, "-c", _GATEWAY_DRAWS_A_CHART],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert run.stdout.split() == ["True", "False"], run.stderr
