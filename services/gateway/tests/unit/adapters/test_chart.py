"""The price chart as a PNG, drawn off the event loop."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from PIL import Image

from xrpbot.gateway.adapters.chart import CHART_SIZE_PX, MatplotlibCharts, draw_price_chart
from xrpbot.gateway.render.prices import price_message
from xrpbot.schemas import (
    Actor,
    PricePeriod,
    PricePoint,
    PriceReported,
)

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
USER = 4242


def reported(
    *,
    period: PricePeriod = PricePeriod.WEEK,
    currency: str = "usd",
    stale: bool = False,
    history: bool = True,
    age: timedelta = timedelta(0),
    points: int = 169,
) -> PriceReported:
    step = {
        PricePeriod.DAY: timedelta(minutes=5),
        PricePeriod.WEEK: timedelta(hours=1),
        PricePeriod.MONTH: timedelta(hours=1),
        PricePeriod.YEAR: timedelta(days=1),
    }[period]
    series = tuple(
        PricePoint(
            at=NOW - age - step * (points - 1 - i), price=Decimal("0.5") + Decimal(i % 13) / 200
        )
        for i in range(points)
    )
    return PriceReported(
        correlation_id=uuid4(),
        user=Actor(telegram_id=USER),
        chat_id=USER,
        occurred_at=NOW,
        vs_currency=currency,
        price=series[-1].price,
        change_24h_pct=Decimal("-1.234"),
        as_of=NOW - age,
        period=period,
        history=series if history else (),
        high=max(p.price for p in series) if history else None,
        low=min(p.price for p in series) if history else None,
        history_as_of=series[-1].at if history else None,
        stale=stale,
    )


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
def test_chart_is_a_png_that_opens_at_the_expected_size(period: PricePeriod, points: int) -> None:
    chart = price_message(reported(period=period, points=points, stale=True)).chart
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


async def test_charts_are_drawn_off_the_event_loop() -> None:
    chart = price_message(reported()).chart
    assert chart is not None
    charts = MatplotlibCharts()
    try:
        png = await charts.draw(chart)
    finally:
        charts.close()
    assert png[:4] == b"\x89PNG"
