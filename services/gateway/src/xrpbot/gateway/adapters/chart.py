"""The price chart as a PNG, drawn with matplotlib's Agg backend (headless: no display, no
pyplot state).

Made for a phone: 1200 x 675 pixels (16:9, what Telegram shows full width without cropping),
large fonts, the currency and period in the title, the last price marked and labelled. Each
chart is its own `Figure` on a `FigureCanvasAgg`. Drawing runs in one worker process, spawned
at the first chart: matplotlib (tens of MiB, and CPU-bound drawing) is imported only there, so
the gateway's own process never loads it and its event loop never waits on a chart.
"""

from __future__ import annotations

import asyncio
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC
from decimal import Decimal
from typing import Final

from babel.dates import format_datetime

from ..render.message import PriceChart
from ..render.numbers import format_fiat_price

__all__ = ["CHART_SIZE_PX", "MatplotlibCharts", "draw_price_chart"]

CHART_SIZE_PX: Final = (1200, 675)
"""Width and height of every chart, in pixels."""
_DPI: Final = 100
_LINE: Final = "#1f6feb"
_FILL: Final = "#1f6feb22"
_MARK: Final = "#d1242f"
_GRID: Final = "#d0d7de"
_TEXT: Final = "#1f2328"
_MUTED: Final = "#656d76"


def draw_price_chart(chart: PriceChart) -> bytes:
    """Draw `chart` as a PNG of `CHART_SIZE_PX` pixels; CPU-bound, blocking.

    Args:
        chart: at least one point.

    Returns:
        the PNG file's bytes.
    """
    # imported here, in the worker process only (see the module's docstring)
    import matplotlib

    matplotlib.use("Agg")  # before anything imports pyplot: never a GUI backend on a server
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    width, height = CHART_SIZE_PX
    figure = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.1, 0.13, 0.72, 0.7))  # room on the right for the last price
    times = [float(t) for t in mdates.date2num(list(chart.times))]  # type: ignore[no-untyped-call]
    prices = [float(p) for p in chart.prices]  # plotting only: the numbers shown are Decimal text
    axes.plot(times, prices, color=_LINE, linewidth=3.5, solid_capstyle="round")
    floor = min(prices)
    axes.fill_between(times, prices, floor, color=_FILL)
    last_time, last_price = times[-1], float(chart.last_price)
    axes.scatter(
        [last_time], [last_price], s=220, color=_MARK, zorder=5, edgecolors="white", clip_on=False
    )
    axes.axhline(last_price, color=_MARK, linewidth=1.5, linestyle="--", alpha=0.6)
    axes.annotate(
        chart.last_label,
        xy=(1.0, last_price),
        xycoords=("axes fraction", "data"),
        xytext=(16, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=20,
        fontweight="bold",
        color="white",
        bbox={"boxstyle": "round,pad=0.35", "facecolor": _MARK, "edgecolor": _MARK},
        annotation_clip=False,
    )
    figure.suptitle(
        chart.title, x=0.1, y=0.96, ha="left", fontsize=34, fontweight="bold", color=_TEXT
    )
    if chart.note:
        figure.text(0.1, 0.865, chart.note, ha="left", fontsize=18, color=_MARK, style="italic")
    span_days = times[-1] - times[0]  # matplotlib dates count days
    locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    # CLDR patterns (https://unicode.org/reports/tr35/tr35-dates.html): month names in the
    # user's language ("21 Nov", "21 nov", "21 нояб.")
    pattern = "HH:mm" if span_days <= 2 else "dd MMM" if span_days <= 60 else "MMM ''yy"
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _: _date_label(value, pattern, chart.locale))
    )
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: format_fiat_price(_as_decimal(value)))
    )
    axes.yaxis.set_major_locator(MaxNLocator(nbins=5))
    axes.set_ylabel(chart.currency, fontsize=20, color=_MUTED)
    axes.tick_params(axis="both", labelsize=18, colors=_TEXT, length=0, pad=8)
    axes.grid(True, color=_GRID, linewidth=1)
    axes.set_xlim(times[0], times[-1])
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.spines["bottom"].set_color(_GRID)
    axes.margins(x=0)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=_DPI, facecolor="white")
    return out.getvalue()


def _date_label(value: float, pattern: str, locale: str) -> str:
    from matplotlib import dates as mdates  # worker process only

    when = mdates.num2date(value, tz=UTC)  # type: ignore[no-untyped-call]
    return format_datetime(when, pattern, tzinfo=UTC, locale=locale)


def _as_decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


class MatplotlibCharts:
    """`ports.ChartDrawer`: draws charts in one worker process (spawned, not forked: the child
    starts clean instead of copying the gateway's memory, threads and connections), started at
    the first chart and started again if it dies."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None

    async def draw(self, chart: PriceChart) -> bytes:
        """The PNG of `chart` (see `draw_price_chart`).

        Raises:
            concurrent.futures.process.BrokenProcessPool: the worker died twice in a row.
        """
        loop = asyncio.get_running_loop()
        worker = self._worker()
        try:
            return await loop.run_in_executor(worker, draw_price_chart, chart)
        except BrokenProcessPool:
            # e.g. killed by the OOM killer: one new worker, one more try. Only the broken
            # pool is dropped, never the new one a concurrent chart may have started already.
            if self._executor is worker:
                self._executor = None
                worker.shutdown(wait=False, cancel_futures=True)
            return await loop.run_in_executor(self._worker(), draw_price_chart, chart)

    def _worker(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn")
            )
        return self._executor

    def close(self) -> None:
        """Stop the worker process (after the charts being drawn), if it was started."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
