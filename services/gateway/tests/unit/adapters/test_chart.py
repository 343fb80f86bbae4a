"""The price chart as a PNG, drawn off the event loop."""

from __future__ import annotations

import io
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


async def test_charts_are_drawn_off_the_event_loop(price_reply: Callable[..., Any]) -> None:
    chart = price_message(price_reply()).chart
    assert chart is not None
    charts = MatplotlibCharts()
    try:
        png = await charts.draw(chart)
    finally:
        charts.close()
    assert png[:4] == b"\x89PNG"
